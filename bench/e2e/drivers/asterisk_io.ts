/**
 * The npm peer `asterisk.io@0.1.1`: events as objects with the keys as
 * sent (a repeated key keeps its last value); actions with
 * `action(name, fields, callback)`.
 *
 * @module
 */

import asteriskIo from "npm:asterisk.io@0.1.1";
import { variablesOf } from "../consumer.ts";
import { USER } from "../measure.ts";
import { checkPong, drivePeer, PORT } from "./peer.ts";

type Fields = Record<string, unknown>;

let ami: ReturnType<typeof asteriskIo.ami>;

await drivePeer({
  connect: (onEvent) =>
    new Promise<void>((resolve) => {
      ami = asteriskIo.ami("127.0.0.1", PORT, USER.username, USER.secret);
      // It reports the end of the stream as an error; a run that lost events says so by its count.
      ami.on("error", () => {});
      ami.on("eventAny", onEvent);
      ami.on("ready", () => resolve());
    }),
  read: (event, consumer) => {
    const e = event as Fields;
    consumer.take(
      e.Event,
      e.Channel,
      e.Uniqueid,
      e.Linkedid,
      e.CallerIDName,
      variablesOf(e.ChanVariable),
    );
  },
  ping: () =>
    new Promise<void>((resolve) => {
      ami.action("Ping", {}, (answer: unknown) => {
        checkPong(answer);
        resolve();
      });
    }),
});
