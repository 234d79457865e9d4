/**
 * @x/ami sending `Ping` actions, `--inflight` at a time, each awaited.
 *
 * @module
 */

import { AmiClient } from "../../../mod.ts";
import { argument, inFlight, measurePings, USER } from "../measure.ts";

const port = argument("port");
const pings = argument("pings");
const inflight = argument("inflight");
const warmup = argument("warmup", 0);

const conn = await Deno.connect({ hostname: "127.0.0.1", port });
// As the raw baseline does, and as AmiClient.connect() does for the sockets it opens.
conn.setNoDelay(true);
const client = new AmiClient(conn);
await client.login({ ...USER, auth: "plain" });

/** One ping, checked. */
async function ping(): Promise<void> {
  const response = await client.send({ Action: "Ping" });
  if (response.Ping !== "Pong") throw new Error("not a Pong");
}

await measurePings(
  (count, deadline) => inFlight(count, inflight, ping, deadline),
  pings,
  warmup,
);
