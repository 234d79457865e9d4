/**
 * The npm peer `ami-io@1.2.1`: events with lower-cased keys, `ChanVariable`
 * lines as an object keyed by the lower-cased variable name; actions with
 * `send(action, callback)`. Run with `encoding: "utf8"` (its default,
 * `ascii`, would mangle every non-ASCII name) and its silent logger.
 *
 * @module
 */

import AmiIo from "npm:ami-io@1.2.1";
import { variablesOf } from "../consumer.ts";
import { USER } from "../measure.ts";
import { checkPong, drivePeer, PORT } from "./peer.ts";

type Fields = Record<string, unknown>;

const client = AmiIo.createClient({
  port: PORT,
  host: "127.0.0.1",
  login: USER.username,
  password: USER.secret,
  encoding: "utf8",
  logger: new AmiIo.SilentLogger(),
});

await drivePeer({
  connect: (onEvent) =>
    new Promise<void>((resolve) => {
      client.on("event", onEvent);
      client.once("connected", () => resolve());
      client.connect();
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
    new Promise<void>((resolve, reject) => {
      client.send(new AmiIo.Action.Ping(), (error: unknown, answer: unknown) => {
        if (error) reject(error);
        checkPong(answer);
        resolve();
      });
    }),
});
