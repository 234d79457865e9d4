/**
 * The npm peer `@ipcom/asterisk-ami@0.1.0`: events as objects with the keys
 * as sent (a repeated key keeps its last value; numbers, empty values and
 * values holding "unknown" converted); actions as promises
 * (`actions.Ping()`). Run with `emitAllEvents` and no reconnection.
 *
 * @module
 */

import { eAmi } from "npm:@ipcom/asterisk-ami@0.1.0";
import { variablesOf } from "../consumer.ts";
import { USER } from "../measure.ts";
import { drivePeer, PORT } from "./peer.ts";

type Fields = Record<string, unknown>;

const ami = new eAmi({
  host: "127.0.0.1",
  port: PORT,
  userName: USER.username,
  password: USER.secret,
  additionalOptions: { debug: false, emitAllEvents: true, reconnect: false },
});

await drivePeer({
  connect: async (onEvent) => {
    ami.events.on("events", onEvent);
    await ami.connect();
  },
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
  ping: async () => {
    if (await ami.actions.Ping() !== true) throw new Error("@ipcom/asterisk-ami: not a Pong");
  },
});
