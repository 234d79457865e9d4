// deno-lint-ignore-file no-console -- a benchmark reports on the console
/**
 * Update latency of the wallboard to the page itself: from just before the
 * simulated PBX is told to put a caller into a queue (it writes
 * `QueueCallerJoin` at once) to the moment the caller's row is in the DOM of
 * the page in headless Chromium (a MutationObserver in the page stamps it).
 * Includes the board's 50 ms coalescing window, the Server-Sent Event and
 * the page's redraw; not the paint. Both clocks are this machine's
 * `Date.now()`, so the figures are whole milliseconds.
 *
 * Run: deno task bench:wallboard-page-latency [samples]
 *
 * @module
 */

import { AmiClient, createLiveView } from "../mod.ts";
import { SimulatedPbx } from "../testing.ts";
import { serveWallboard } from "../examples/wallboard/server.ts";
import { Chromium } from "../tests/support/chromium.ts";

/** Installed in the page: when each caller's row first appeared. */
const STAMP_ROWS = `
  globalThis.appeared = new Map();
  new MutationObserver(() => {
    for (const row of document.querySelectorAll("li.caller")) {
      if (!appeared.has(row.dataset.uniqueid)) appeared.set(row.dataset.uniqueid, Date.now());
    }
  }).observe(document.getElementById("queues"), { childList: true, subtree: true });
`;

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
await using chromium = await Chromium.start();
const page = await chromium.browser.newPage();
await page.goto(board.url);
await page.waitForSelector('#status[data-status="live"]');
await page.evaluate(STAMP_ROWS);
const times: number[] = [];
for (let i = 0; i < samples; i++) {
  const start = Date.now();
  const caller = await pbx.originate({
    Channel: "PJSIP/100",
    Application: "Queue",
    Data: "support",
  });
  const id = JSON.stringify(caller.uniqueid);
  await page.waitForFunction(`appeared.has(${id})`);
  times.push(await page.evaluate(`appeared.get(${id})`) as number - start);
  await pbx.waitForIdle();
}
await page.close();
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
console.log(
  `${samples} queue joins, AMI event to the row in the page's DOM (Chromium): ` +
    `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`,
);
