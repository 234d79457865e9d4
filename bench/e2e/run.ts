// deno-lint-ignore-file no-console -- a benchmark harness reports on stdout
/**
 * The end-to-end loopback benchmark: a local AMI server streams events
 * and answers pings; each client under test runs in its own process (so
 * its peak RSS is its own), and the results are printed as tables with
 * ratios to the raw-socket baseline.
 *
 * Run with `deno task bench:e2e`; options (defaults in brackets):
 * `--events=N` [200000] events per stream run, `--pings=K` [20000],
 * `--flood=N` [1000000] events for the memory runs, `--runs=R` [3] runs of
 * each stream and ping driver (the median is shown), `--only=stream,pings,flood`,
 * `--cpu-prof=DIR` to write a V8 CPU profile of every driver run into DIR.
 *
 * @module
 */

import { BenchServer } from "./server.ts";
import {
  type DriverResult,
  type FloodResult,
  type PingResult,
  spawnDriver,
  type StreamResult,
} from "./measure.ts";

const options = parseOptions(Deno.args);
/** Ping drivers per in-flight setting: the raw socket, @x/ami, the minimal client. */
const PING_DRIVERS = 3;
const MiB = 1024 * 1024;

/** One way of running a client against the server. */
interface Driver {
  label: string;
  file: string;
  args?: string[];
}

const STREAM_DRIVERS: Driver[] = [
  { label: "raw Deno.connect, counting bytes", file: "raw_events.ts" },
  { label: "@x/ami, one field per event", file: "ami_events.ts", args: ["--fields=one"] },
  { label: "@x/ami, every field", file: "ami_events.ts", args: ["--fields=all"] },
  { label: "npm:yana@0.3.0, one field", file: "yana_events.ts" },
  { label: "npm:asterisk-manager@0.2.0, one field", file: "asterisk_manager_events.ts" },
];

await using server = new BenchServer();
const machine = `${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} CPUs, ` +
  `Deno ${Deno.version.deno} (V8 ${Deno.version.v8})`;
console.log(`# @x/ami loopback benchmark\n\n${machine}\n`);

const verdicts: string[] = [];

if (options.only.has("stream")) await streamSection();
if (options.only.has("pings")) await pingSection();
if (options.only.has("flood")) await floodSection();

if (verdicts.length > 0) console.log(`## Targets\n\n${verdicts.join("\n")}\n`);

async function streamSection(): Promise<void> {
  const events = options.events;
  server.plan = { events };
  const bytes = server.streamBytes(events);
  const results = await medians(STREAM_DRIVERS, (driver) => [
    ...(driver.args ?? []),
    `--events=${events}`,
  ]) as StreamResult[];
  const raw = results[0]!;
  if (raw.bytes < bytes) throw new Error(`the raw reader got ${raw.bytes} of ${bytes} bytes`);
  for (const [i, result] of results.entries()) {
    if (result.events !== events) {
      throw new Error(`${STREAM_DRIVERS[i]!.label} saw ${result.events} of ${events} events`);
    }
  }
  const rawRate = events / raw.ms;
  console.log(
    `## Event stream: ${events.toLocaleString("en")} events, ${
      (bytes / 1e6).toFixed(1)
    } MB (median of ${options.runs})\n`,
  );
  table(
    ["client", "events/s", "MB/s", "× raw", "peak RSS", "time"],
    results.map((result, i) => [
      STREAM_DRIVERS[i]!.label,
      thousands(events / result.ms * 1000),
      (bytes / 1e6 / (result.ms / 1000)).toFixed(0),
      ratio(events / result.ms / rawRate),
      mib(result.peakRss),
      `${result.ms.toFixed(0)} ms`,
    ]),
  );
  const one = events / results[1]!.ms / rawRate;
  const all = events / results[2]!.ms / rawRate;
  const fasterPeer = Math.min(results[3]!.ms, results[4]!.ms);
  const overPeer = fasterPeer / results[1]!.ms;
  verdicts.push(
    verdict("events, one field read ≥ 0.25× raw", one >= 0.25, ratio(one)),
    verdict("events, every field read ≥ 0.12× raw", all >= 0.12, ratio(all)),
    verdict("≥ 10× the faster npm peer (one field read)", overPeer >= 10, ratio(overPeer)),
  );
}

async function pingSection(): Promise<void> {
  server.plan = { events: 0 };
  const pings = options.pings;
  const warmup = Math.min(2000, Math.ceil(pings / 10));
  const drivers: Driver[] = [];
  for (const inflight of [1, 100]) {
    for (
      const [label, file] of [
        ["raw socket", "raw_pings.ts"],
        ["@x/ami", "ami_pings.ts"],
        ["minimal promise-per-action client", "minimal_pings.ts"],
      ]
    ) {
      drivers.push({
        label: `${label}, ${inflight} in flight`,
        file: file!,
        args: [`--pings=${pings}`, `--inflight=${inflight}`, `--warmup=${warmup}`],
      });
    }
  }
  const results = await medians(drivers, (driver) => driver.args ?? []) as PingResult[];
  console.log(
    `## Pings: ${pings.toLocaleString("en")} after ${warmup.toLocaleString("en")} to warm up ` +
      `(median of ${options.runs})\n`,
  );
  table(
    ["client", "actions/s", "× raw", "p50", "p99", "p99 × raw", "peak RSS"],
    results.map((result, i) => {
      const raw = results[i - (i % PING_DRIVERS)]!;
      return [
        drivers[i]!.label,
        thousands(pings / result.ms * 1000),
        ratio(raw.ms / result.ms),
        `${(result.p50 * 1000).toFixed(0)} µs`,
        `${(result.p99 * 1000).toFixed(0)} µs`,
        ratio(result.p99 / raw.p99),
        mib(result.peakRss),
      ];
    }),
  );
  const raw = results[PING_DRIVERS]!;
  const ours = results[PING_DRIVERS + 1]!;
  const rate = raw.ms / ours.ms;
  const tail = ours.p99 / raw.p99;
  verdicts.push(
    verdict("pings, 100 in flight ≥ 0.9× raw", rate >= 0.9, ratio(rate)),
    verdict("pings, 100 in flight: p99 ≤ 1.2× raw", tail <= 1.2, ratio(tail)),
  );
}

async function floodSection(): Promise<void> {
  const events = options.flood;
  server.plan = { events };
  const drivers: Driver[] = [
    { label: "idle client (no consumer)", file: "ami_flood.ts", args: ["--consumer=idle"] },
    {
      label: "one slow consumer (1 ms per event, gaps: true)",
      file: "ami_flood.ts",
      args: ["--consumer=slow"],
    },
  ];
  const results: FloodResult[] = [];
  for (const driver of drivers) {
    results.push(await runDriver(driver, driver.args ?? []) as FloodResult);
  }
  const idle = results[0]!;
  console.log(
    `## Memory: a flood of ${events.toLocaleString("en")} events (${
      (server.streamBytes(events) / 1e6).toFixed(0)
    } MB), default buffer\n`,
  );
  table(
    ["client", "time", "events read", "reported lost", "peak RSS", "Δ vs idle"],
    results.map((result, i) => [
      drivers[i]!.label,
      `${result.ms.toFixed(0)} ms`,
      thousands(result.read),
      thousands(result.dropped),
      mib(result.peakRss),
      `${((result.peakRss - idle.peakRss) / MiB).toFixed(0)} MiB`,
    ]),
  );
  const slow = results[1]!;
  if (slow.read + slow.dropped !== events) {
    throw new Error(`the slow consumer read ${slow.read} and lost ${slow.dropped} of ${events}`);
  }
  const extra = (slow.peakRss - idle.peakRss) / MiB;
  verdicts.push(
    verdict(
      "peak RSS, slow consumer ≤ idle + 64 MiB",
      extra <= 64,
      `+${extra.toFixed(0)} MiB`,
    ),
  );
}

/**
 * Runs every driver `options.runs` times, round-robin (so that drift in
 * the machine's state hits all alike), and keeps each one's median run.
 */
async function medians(
  drivers: Driver[],
  argsOf: (driver: Driver) => string[],
): Promise<DriverResult[]> {
  const runs: DriverResult[][] = drivers.map(() => []);
  for (let run = 0; run < options.runs; run++) {
    for (const [i, driver] of drivers.entries()) {
      runs[i]!.push(await runDriver(driver, argsOf(driver)));
    }
  }
  return runs.map((results) => {
    const sorted = results.toSorted((a, b) => a.ms - b.ms);
    return sorted[Math.floor(sorted.length / 2)]!;
  });
}

/** Runs one driver in a process of its own and returns what it reports. */
function runDriver(driver: Driver, args: string[]): Promise<DriverResult> {
  return spawnDriver(
    new URL(`./drivers/${driver.file}`, import.meta.url).pathname,
    server.port,
    args,
    options.cpuProf === "" ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProf}`],
  );
}

function table(header: string[], rows: string[][]): void {
  const lines = [header, header.map((_, i) => (i === 0 ? "---" : "---:")), ...rows];
  console.log(lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n") + "\n");
}

function verdict(target: string, met: boolean, measured: string): string {
  return `- ${met ? "met" : "NOT met"}: ${target} (measured ${measured})`;
}

function thousands(value: number): string {
  return Math.round(value).toLocaleString("en");
}

function ratio(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}×`;
}

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(0)} MiB`;
}

function parseOptions(args: string[]): {
  events: number;
  pings: number;
  flood: number;
  runs: number;
  only: Set<string>;
  cpuProf: string;
} {
  const value = (name: string, fallback: string): string =>
    args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
  const count = (name: string, fallback: number): number => {
    const parsed = Number(value(name, String(fallback)));
    if (!Number.isInteger(parsed) || parsed < 1) {
      throw new Error(`--${name} must be a whole number of at least 1`);
    }
    return parsed;
  };
  return {
    events: count("events", 200_000),
    pings: count("pings", 20_000),
    flood: count("flood", 1_000_000),
    runs: count("runs", 3),
    only: new Set(value("only", "stream,pings,flood").split(",")),
    cpuProf: value("cpu-prof", ""),
  };
}
