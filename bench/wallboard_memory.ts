// deno-lint-ignore-file no-console -- a benchmark reports on the console
/**
 * Memory of the wallboard over an hour of call-centre traffic, compressed:
 * a simulated PBX (in this process) runs `--minutes` of traffic (calls
 * between endpoints, callers into queues answered by agents or giving up,
 * agents pausing) `--speed` times faster than real time; a live view with
 * queues, devices and hints follows it, and the wallboard server streams the
 * board to one page (read and thrown away, as a browser would).
 *
 * Prints heap (as it is, and after a full GC) and RSS after the setup,
 * every ten simulated minutes, when the traffic stops, and once the calls
 * have ended, with what the live view holds then. The PBX and the wallboard share the
 * process, so the figures include the PBX's own memory.
 *
 * Run: deno task bench:wallboard-memory [--minutes 60] [--speed 60] [--calls-per-minute 20]
 *
 * @module
 */

import { AmiClient, createLiveView } from "../mod.ts";
import { callCentreOptions, SimulatedPbx, SimulatedTraffic } from "../testing.ts";
import { serveWallboard } from "../examples/wallboard/server.ts";

/** A number option `--name value`, or its default. */
function option(name: string, fallback: number): number {
  const index = Deno.args.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(Deno.args[index + 1]);
  if (!(value > 0)) {
    throw new Error(`--${name} takes a positive number, not "${Deno.args[index + 1]}"`);
  }
  return value;
}

/** A seeded random source (mulberry32), so that runs are alike. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const minutes = option("minutes", 60);
const speed = option("speed", 60);
const callsPerMinute = option("calls-per-minute", 20);
const agents = 8;
const random = seeded(17);
/** Simulated milliseconds to real ones. */
const real = (ms: number) => ms / speed;

const mib = (bytes: number) => (bytes / 1_048_576).toFixed(1).padStart(5);
/** Heap and RSS now, then the heap after a full GC (what is really kept). */
function report(label: string, extra = ""): void {
  const { heapUsed, rss } = Deno.memoryUsage();
  collectGarbage();
  const kept = Deno.memoryUsage().heapUsed;
  console.log(
    `${label.padEnd(22)} heap ${mib(heapUsed)} MiB, ${mib(kept)} MiB after GC; ` +
      `rss ${mib(rss)} MiB${extra}`,
  );
}
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with --v8-flags=--expose-gc");
  gc();
}

/**
 * Waits (up to 5 s) until the view holds no channel and no unended call, as
 * the idle PBX; false if it never does (the figures then say what is left).
 */
async function settle(): Promise<boolean> {
  const busy = () => {
    const snap = live.snapshot();
    return snap.channels.size > 0 || [...snap.calls.values()].some((c) => c.state !== "ended");
  };
  const deadline = performance.now() + 5_000;
  while (busy() && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return !busy();
}

const base = callCentreOptions(agents);
await using pbx = new SimulatedPbx({
  ...base,
  // The call centre's times (ring 1.5 s, talk 8–38 s, give up after 20–80 s), sped up.
  ringMs: real(1_500),
  callDurationMs: () => real(8_000 + random() * 30_000),
  queueWaitMs: () => real(20_000 + random() * 60_000),
  memberRingTimeoutMs: real(15_000),
  queueRetryMs: real(5_000),
});
pbx.server.listen();
await using client = await AmiClient.connect(pbx.server.url);
// Ended channels and calls stay in the view for a while (60 s and 30 s by default): sped up too.
await using live = await createLiveView(client, {
  queues: true,
  devices: true,
  hints: true,
  retain: { tombstoneTtlMs: real(60_000), endedCallTtlMs: real(30_000) },
});
await using board = await serveWallboard(live, { port: 0 });
const page = await fetch(new URL("events", board.url));
let pageBytes = 0;
const reading = page.body!.pipeTo(
  new WritableStream({ write: (chunk) => void (pageBytes += chunk.byteLength) }),
).catch(() => {});

report("after setup");
console.log(
  `${minutes} simulated minutes at ${speed}x: ${callsPerMinute} calls a minute (half into queues), ` +
    `${agents} agents pausing 2 times a minute`,
);
const traffic = new SimulatedTraffic(pbx, {
  callsPerMinute: callsPerMinute * speed,
  pausesPerMinute: 2 * speed,
  agents: Array.from({ length: agents }, (_, i) => `PJSIP/${201 + i}`),
  random,
});
const started = performance.now();
for (let minute = 10; minute <= minutes; minute += 10) {
  const at = started + real(minute * 60_000);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
  const snap = live.snapshot();
  const active = [...snap.calls.values()].filter((call) => call.state !== "ended").length;
  report(
    `minute ${minute}`,
    `   calls started ${traffic.callsStarted}, in progress ${active}, revision ${snap.revision}`,
  );
}
await traffic.stop();
report("traffic stopped");
await pbx.waitForIdle();
// The PBX has written its last events; a Ping answered means the client has read them all.
await client.send({ Action: "Ping" });
const settleStart = performance.now();
const settled = await settle();
const settleMs = performance.now() - settleStart;
const snap = live.snapshot();
const callers = [...snap.queues.values()].reduce((n, queue) => n + queue.callers.length, 0);
if (!settled) {
  const left = [...snap.channels.values()].map((c) => `${c.name} (${c.state})`).join(", ");
  console.log(`The view still holds channels the idle PBX no longer has: ${left}`);
}
report(
  "idle",
  `   live: ${snap.channels.size} channels, ${snap.calls.size} calls kept, ${callers} queue callers, ` +
    `${snap.devices.size} devices, ${snap.hints.size} hints; ${traffic.callsStarted} calls in ` +
    `${((performance.now() - started) / 1000).toFixed(1)} s; ` +
    `${(pageBytes / 1_048_576).toFixed(1)} MiB sent to the page; idle in the view ` +
    `${settleMs.toFixed(0)} ms after the PBX`,
);
await board.close();
await reading;
