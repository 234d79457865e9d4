/**
 * The npm peer `nami@0.7.2`: events with lower-cased keys, variables
 * (`ChanVariable: name=value`) in a `variables` object; actions with
 * `send(action, callback)`. Run with a silent logger (its default logs every
 * frame); it decodes the socket as ASCII, with no option to change that.
 *
 * @module
 */

import namiModule from "npm:nami@0.7.2";
import { variablesOf } from "../consumer.ts";
import { USER } from "../measure.ts";
import { checkPong, drivePeer, PORT } from "./peer.ts";

type Fields = Record<string, unknown>;

const silent = { error() {}, warn() {}, info() {}, debug() {} };
const nami = new namiModule.Nami({
  host: "127.0.0.1",
  port: PORT,
  username: USER.username,
  secret: USER.secret,
  logger: silent,
});

await drivePeer({
  connect: (onEvent) =>
    new Promise<void>((resolve) => {
      nami.on("namiEvent", onEvent);
      nami.on("namiConnected", () => resolve());
      nami.open();
    }),
  read: (event, consumer) => {
    const e = event as Fields;
    consumer.take(
      e.event,
      e.channel,
      e.uniqueid,
      e.linkedid,
      e.calleridname,
      variablesOf(e.variables),
    );
  },
  ping: () =>
    new Promise<void>((resolve) => {
      nami.send(new namiModule.Actions.Ping(), (answer: unknown) => {
        checkPong(answer);
        resolve();
      });
    }),
});
