/**
 * @x/ami under an event flood, for memory: `--consumer=idle` attaches no
 * consumer; `--consumer=slow` attaches one that takes a millisecond per
 * event, falls behind at once and is told of its losses (`gaps: true`).
 * Either way the reader must drain the socket with bounded memory.
 *
 * @module
 */

import { AmiClient, AmiGap } from "../../../mod.ts";
import { argument, peakRss, report, USER } from "../measure.ts";

const port = argument("port");
const slow = Deno.args.includes("--consumer=slow");

const started = performance.now();
const client = new AmiClient(await Deno.connect({ hostname: "127.0.0.1", port }));
let read = 0;
let dropped = 0;
let flooding = true;
let consumed: Promise<void> = Promise.resolve();
if (slow) {
  const stream = client.events(undefined, { gaps: true });
  consumed = (async () => {
    for await (const item of stream) {
      if (item instanceof AmiGap) {
        dropped += item.dropped ?? 0;
      } else {
        read++;
        if (flooding) await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
  })().catch(() => {});
}
await client.login({ ...USER, auth: "plain" });
// The server ends the stream after the flood; the client then closes.
await client.closed;
const ms = performance.now() - started;
const rss = peakRss();
// Read what is left at full speed, to check that every event was either read or reported lost.
flooding = false;
await consumed;
report({ kind: "flood", read, dropped, ms, peakRss: rss });
