/**
 * The npm peer `asterisk-ami-connector@1.1.6` (the transport under
 * `asterisk-ami-client`): a connection that emits events and responses as
 * objects with the keys as sent; actions written with `write(fields)`,
 * answers matched here by ActionID.
 *
 * The package calls `require("debug")` yet lists `debug` among its
 * development dependencies only: under npm it loads because another package
 * happens to install `debug` next to it, and in a fresh Deno cache, where
 * each package sees only what it declares, it fails. So the driver hands it
 * the `debug` its authors developed against (2.6.9, pinned) when it asks.
 *
 * @module
 */

import Module from "node:module";
import debug from "npm:debug@2.6.9";
import { variablesOf } from "../consumer.ts";
import { USER } from "../measure.ts";
import { checkPong, drivePeer, PORT } from "./peer.ts";

type Fields = Record<string, unknown>;

// deno-lint-ignore no-explicit-any -- Module._load is Node's internal loader, untyped
const loader = Module as any;
const load = loader._load;
loader._load = function (request: string, ...rest: unknown[]) {
  return request === "debug" ? debug : load.call(this, request, ...rest);
};
const { default: connector } = await import("npm:asterisk-ami-connector@1.1.6");

const waiting = new Map<string, (answer: Fields) => void>();
let nextId = 0;
// deno-lint-ignore no-explicit-any -- the package ships no types
let connection: any;

await drivePeer({
  connect: async (onEvent) => {
    connection = await connector({ reconnect: false }).connect(USER.username, USER.secret, {
      host: "127.0.0.1",
      port: PORT,
    });
    connection.on("event", onEvent);
    connection.on("response", (answer: Fields) => {
      const id = String(answer.ActionID);
      const settle = waiting.get(id);
      waiting.delete(id);
      settle?.(answer);
    });
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
  ping: () =>
    new Promise<void>((resolve) => {
      const id = `p${++nextId}`;
      waiting.set(id, (answer) => {
        checkPong(answer);
        resolve();
      });
      connection.write({ Action: "Ping", ActionID: id });
    }),
});
