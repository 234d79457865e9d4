/**
 * The npm peer `asterisk-ami@0.1.0`: every frame (event or response) as an
 * object with lower-cased keys, a repeated key keeping its last value;
 * actions written with `send(fields)`, answers matched here by ActionID.
 * Run with `ami_encoding: "utf8"` (its default, `ascii`, would mangle every
 * non-ASCII name).
 *
 * @module
 */

import AsteriskAmi from "npm:asterisk-ami@0.1.0";
import { variablesOf } from "../consumer.ts";
import { USER } from "../measure.ts";
import { checkPong, drivePeer, PORT } from "./peer.ts";

type Fields = Record<string, unknown>;

const ami = new AsteriskAmi({
  host: "127.0.0.1",
  port: PORT,
  username: USER.username,
  password: USER.secret,
  ami_encoding: "utf8",
});
const waiting = new Map<string, (answer: Fields) => void>();
let nextId = 0;

await drivePeer({
  connect: (onEvent) =>
    new Promise<void>((resolve) => {
      ami.on("ami_login", () => resolve());
      ami.on("ami_data", (data: Fields) => {
        if (data.event !== undefined) {
          onEvent(data);
          return;
        }
        const id = String(data.actionid);
        const settle = waiting.get(id);
        waiting.delete(id);
        settle?.(data);
      });
      ami.connect();
    }),
  read: (event, consumer) => {
    const e = event as Fields;
    consumer.take(
      e.event,
      e.channel,
      e.uniqueid,
      e.linkedid,
      e.calleridname,
      variablesOf(e.chanvariable),
    );
  },
  ping: () =>
    new Promise<void>((resolve) => {
      const id = `p${++nextId}`;
      waiting.set(id, (answer) => {
        checkPong(answer);
        resolve();
      });
      ami.send({ Action: "Ping", ActionID: id });
    }),
});
