// deno-lint-ignore-file no-console -- a benchmark reports on the console
/**
 * Update latency of the wallboard: from the moment the simulated PBX writes
 * a `QueueCallerJoin` (the `Originate` into a queue resolves right after)
 * to the moment the board with that caller arrives over Server-Sent Events.
 * Includes the board's 50 ms coalescing window.
 *
 * Run: deno run --allow-net=127.0.0.1 --allow-read=examples/wallboard bench/wallboard_latency.ts [samples]
 *
 * @module
 */

import { AmiClient, createLiveView } from "../mod.ts";
import { SimulatedPbx } from "../testing.ts";
import { serveWallboard } from "../examples/wallboard/server.ts";

const samples = Number(Deno.args[0] ?? 50);
await using pbx = new SimulatedPbx({
  endpoints: ["100"],
  queues: { support: {} },
  queueWaitMs: 300,
});
pbx.server.listen();
await using client = await AmiClient.connect(pbx.server.url);
await using live = await createLiveView(client, { queues: true });
await using board = await serveWallboard(live, { port: 0 });
const response = await fetch(new URL("events", board.url));
const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
let text = "";
async function boardWith(uniqueid: string): Promise<void> {
  while (!text.includes(`"uniqueid":"${uniqueid}"`)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the stream ended");
    text += value;
  }
  text = "";
}
const times: number[] = [];
for (let i = 0; i < samples; i++) {
  const start = performance.now();
  const caller = await pbx.originate({
    Channel: "PJSIP/100",
    Application: "Queue",
    Data: "support",
  });
  await boardWith(caller.uniqueid!);
  times.push(performance.now() - start);
  await pbx.waitForIdle();
}
await reader.cancel();
times.sort((a, b) => a - b);
const at = (q: number) =>
  times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
console.log(
  `${samples} queue joins, AMI event to board over SSE: p50 ${at(0.5)} ms, p95 ${
    at(0.95)
  } ms, max ${at(1)} ms`,
);
