/**
 * The npm peer `yana@0.3.0`: events as objects with the keys as sent,
 * repeated keys as arrays; actions with `send(fields, callback)`.
 *
 * @module
 */

import Yana from "npm:yana@0.3.0";
import { variablesOf } from "../consumer.ts";
import { USER } from "../measure.ts";
import { checkPong, drivePeer, PORT } from "./peer.ts";

type Fields = Record<string, unknown>;

const ami = new Yana({
  port: PORT,
  host: "127.0.0.1",
  login: USER.username,
  password: USER.secret,
  events: true,
});
// It reports the end of the stream as an error; a run that lost events says so by its count.
ami.on("error", () => {});

await drivePeer({
  connect: (onEvent) =>
    new Promise<void>((resolve) => {
      ami.on("event", onEvent);
      ami.connect(() => resolve());
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
      ami.send({ Action: "Ping" }, (answer: unknown) => {
        checkPong(answer);
        resolve();
      });
    }),
});
