/**
 * The npm peer `asterisk-manager@0.2.0` (the most used): events with
 * lower-cased keys, `ChanVariable` lines as a `name → value` object; actions
 * with `action(fields, callback)`, held until the login is answered.
 *
 * @module
 */

import AsteriskManager from "npm:asterisk-manager@0.2.0";
import { variablesOf } from "../consumer.ts";
import { USER } from "../measure.ts";
import { checkPong, drivePeer, PORT } from "./peer.ts";

type Fields = Record<string, unknown>;

let ami: ReturnType<typeof AsteriskManager>;

await drivePeer({
  connect: (onEvent) => {
    ami = AsteriskManager(PORT, "127.0.0.1", USER.username, USER.secret, true);
    ami.on("managerevent", onEvent);
  },
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
      ami.action({ action: "ping" }, (error: unknown, answer: unknown) => {
        if (error) reject(new Error(`asterisk-manager: ${JSON.stringify(error)}`));
        checkPong(answer);
        resolve();
      });
    }),
});
