/**
 * The npm peer `asterisk-ami-client@1.1.5`: events as objects with the keys
 * as sent; actions as promises (`action(fields, true)`). Run with no
 * reconnection and no keep-alive.
 *
 * @module
 */

import AmiClient from "npm:asterisk-ami-client@1.1.5";
import { variablesOf } from "../consumer.ts";
import { USER } from "../measure.ts";
import { checkPong, drivePeer, PORT } from "./peer.ts";

type Fields = Record<string, unknown>;

const client = new AmiClient({ reconnect: false, keepAlive: false });

await drivePeer({
  connect: async (onEvent) => {
    client.on("event", onEvent);
    await client.connect(USER.username, USER.secret, { host: "127.0.0.1", port: PORT });
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
  ping: async () => checkPong(await client.action({ Action: "Ping" }, true)),
});
