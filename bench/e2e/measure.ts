// deno-lint-ignore-file no-console -- a benchmark driver reports on stdout and stderr
/**
 * What every benchmark driver shares: reading its arguments, measuring its
 * own peak memory, and reporting one JSON line to the harness.
 *
 * @module
 */

import type { ConsumerChecks, RealisticConsumer } from "./consumer.ts";

/** What an event-stream driver reports. */
export interface StreamResult {
  kind: "stream";
  /** Events seen (for the byte counter: events sent, all of whose bytes arrived). */
  events: number;
  /** What the realistic consumer found, when it ran. */
  checks?: ConsumerChecks;
  /** Bytes received (reported by the byte counter only; 0 from the clients). */
  bytes: number;
  /** From the first connect to the last event, in ms. */
  ms: number;
  /** The process's peak resident set, in bytes. */
  peakRss: number;
}

/** What a ping driver reports. */
export interface PingResult {
  kind: "pings";
  /** Pings answered (warm-up excluded). */
  pings: number;
  /** From the first measured ping to the last answer, in ms. */
  ms: number;
  /** Median latency, in ms. */
  p50: number;
  /** 99th percentile latency, in ms. */
  p99: number;
  peakRss: number;
}

/** What the memory drivers report. */
export interface FloodResult {
  kind: "flood";
  /** Events the consumer read (0 when idle). */
  read: number;
  /** Events the consumer was told it lost. */
  dropped: number;
  ms: number;
  peakRss: number;
}

/** One driver's report. */
export type DriverResult = StreamResult | PingResult | FloodResult;

/** Reads `--name=value` from the command line. */
export function argument(name: string, fallback?: number): number {
  const prefix = `--${name}=`;
  const given = Deno.args.find((arg) => arg.startsWith(prefix));
  if (given === undefined) {
    if (fallback === undefined) throw new Error(`missing --${name}`);
    return fallback;
  }
  const value = Number(given.slice(prefix.length));
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
  return value;
}

/**
 * The peak resident set size of this process, from `VmHWM` in
 * `/proc/self/status`; where that file does not exist, the current one.
 */
export function peakRss(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    if (match !== null) return Number(match[1]) * 1024;
  } catch {
    // Not Linux: fall back to what is resident now.
  }
  return Deno.memoryUsage().rss;
}

/** Prints the result for the harness and ends the process (peers may hold sockets open). */
export function report(result: DriverResult): never {
  console.log(JSON.stringify(result));
  Deno.exit(0);
}

/** The `p` quantile (0..1) of `sorted` latencies. */
export function quantile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/**
 * Watches a callback-driven client's stream: call `seen()` per event. The
 * result is reported once `events` events were seen, or, when some are
 * lost, once no event came for `idleMs` (`firstMs` for the first one; the
 * time then runs to the last event seen).
 */
export function watchStream(
  events: number,
  consumer?: RealisticConsumer,
  { idleMs = 5000, firstMs = 20_000 } = {},
): { seen(): void } {
  const started = performance.now();
  let count = 0;
  let last = started;
  const finish = () =>
    report({
      kind: "stream",
      events: count,
      bytes: 0,
      ms: last - started,
      peakRss: peakRss(),
      ...(consumer === undefined ? {} : { checks: consumer.checks }),
    });
  setInterval(() => {
    if (performance.now() - last > (count === 0 ? firstMs : idleMs)) finish();
  }, 100);
  return {
    seen() {
      last = performance.now();
      if (++count === events) finish();
    },
  };
}

/** The login every client sends; the bench server accepts any secret. */
export const USER = { username: "bench", secret: "bench" };

/**
 * Warms up, then times `pings` pings through `run` (which returns each
 * one's latency in ms), and reports the result. A client still pinging
 * after `--max-seconds` (default: no limit) sends no more; the report
 * counts the pings it timed.
 */
export async function measurePings(
  run: (count: number, deadline: number) => Promise<Float64Array>,
  pings: number,
  warmup: number,
): Promise<never> {
  await run(warmup, Infinity);
  const started = performance.now();
  const latencies = (await run(pings, started + argument("max-seconds", Infinity) * 1000)).sort();
  const ms = performance.now() - started;
  return report({
    kind: "pings",
    pings: latencies.length,
    ms,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    peakRss: peakRss(),
  });
}

/**
 * Runs `count` actions through `act`, `inflight` at a time from as many
 * loops, starting none after `deadline` (a `performance.now()` time); returns
 * the latency in ms of each one run.
 */
export async function inFlight(
  count: number,
  inflight: number,
  act: () => Promise<void>,
  deadline = Infinity,
): Promise<Float64Array> {
  const latencies = new Float64Array(count);
  let next = 0;
  let done = 0;
  const loop = async () => {
    while (next < count && performance.now() < deadline) {
      const index = next++;
      const sentAt = performance.now();
      await act();
      latencies[index] = performance.now() - sentAt;
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(inflight, count) }, loop));
  return latencies.subarray(0, done);
}

/** How a driver run ended, when it did not report. */
export class DriverFailure extends Error {
  override name = "DriverFailure";
}

/**
 * Runs the driver script at `path` in a process of its own against the
 * server on `port`, with `flags` for deno and `args` for the driver, and
 * returns what it reports. By name, so that a task needs run access to
 * "deno" only (the one on the PATH). A driver still running after
 * `timeoutMs` is killed; a failure throws a {@link DriverFailure} that
 * carries the last lines the driver wrote to stderr.
 */
export async function spawnDriver(
  path: string,
  port: number,
  args: string[],
  flags: string[] = [],
  timeoutMs = 300_000,
): Promise<DriverResult> {
  const child = new Deno.Command("deno", {
    args: [
      "run",
      "--quiet",
      "--allow-net=127.0.0.1",
      "--allow-read=/proc/self/status",
      ...flags,
      path,
      `--port=${port}`,
      ...args,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  const output = await child.output().finally(() => clearTimeout(timer));
  const text = new TextDecoder().decode(output.stdout).trim();
  if (!output.success || text === "") {
    const errors = new TextDecoder().decode(output.stderr).trim().split("\n");
    const why = timedOut ? `timed out after ${timeoutMs / 1000} s` : `exit code ${output.code}`;
    throw new DriverFailure(`${why}: ${errors.slice(-3).join(" / ") || text}`);
  }
  return JSON.parse(text.split("\n").at(-1)!) as DriverResult;
}
