/**
 * @x/ami sending `Ping` actions, `--inflight` at a time, each awaited.
 *
 * @module
 */

import { AmiClient } from "../../../mod.ts";
import { argument, measurePings, USER } from "../measure.ts";

const port = argument("port");
const pings = argument("pings");
const inflight = argument("inflight");
const warmup = argument("warmup", 0);

const conn = await Deno.connect({ hostname: "127.0.0.1", port });
// As the raw baseline does, and as AmiClient.connect() does for the sockets it opens.
conn.setNoDelay(true);
const client = new AmiClient(conn);
await client.login({ ...USER, auth: "plain" });

/** Runs `count` pings from `inflight` loops; returns each one's latency in ms. */
async function run(count: number): Promise<Float64Array> {
  const latencies = new Float64Array(count);
  let next = 0;
  const loop = async () => {
    while (next < count) {
      const index = next++;
      const sentAt = performance.now();
      const response = await client.send({ Action: "Ping" });
      latencies[index] = performance.now() - sentAt;
      if (response.Ping !== "Pong") throw new Error("not a Pong");
    }
  };
  await Promise.all(Array.from({ length: Math.min(inflight, count) }, loop));
  return latencies;
}

await measurePings(run, pings, warmup);
