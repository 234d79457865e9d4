// deno-lint-ignore-file no-console -- a benchmark harness reports on stdout and stderr
/**
 * The end-to-end loopback benchmark: a local AMI server streams events and
 * answers pings; each client under test runs in a process of its own (so
 * its peak RSS is its own); the results are printed at the end as Markdown
 * tables with ratios to the references, and written to
 * `bench/results/e2e-<time>.json`.
 *
 * Rows: the raw byte counter (the limit), "decode and cut frames" (the floor
 * any JavaScript client pays), @x/ami reading one field, every field, and
 * the realistic consumer (`consumer.ts`), and every npm peer running the
 * same consumer, each with its checks (events lost, repeated keys kept,
 * UTF-8 intact, other fields intact); the stream in large and in small,
 * uneven writes; pings one at a time for every client and 100 in flight for
 * the references and @x/ami; memory under a flood.
 *
 * A run in which @x/ami or a reference row loses an event or fails exits
 * non-zero and says so on a line starting with `FAIL`; a peer's losses are
 * shown in its row.
 *
 * ```sh
 * deno task bench:e2e --help
 * deno task bench:e2e --events=50000 --pings=5000 --flood=200000 --rounds=1   # a quick check
 * deno task bench:e2e                                                          # the full run
 * ```
 *
 * @module
 */

import { BenchServer, type Chunking } from "./server.ts";
import {
  DriverFailure,
  type DriverResult,
  type FloodResult,
  type PingResult,
  spawnDriver,
  type StreamResult,
} from "./measure.ts";
import { choosePeers, type Driver, pingDrivers, streamDrivers } from "./catalog.ts";
import { parseOptions, USAGE } from "./options.ts";
import { checkCells, mib, micros, ratio, table, thousands, verdict } from "./report.ts";

const options = (() => {
  try {
    return parseOptions(Deno.args);
  } catch (error) {
    console.error(`bench:e2e: ${(error as Error).message}`);
    Deno.exit(2);
  }
})();
if (options.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const peers = choosePeers(options.peers);

/** What the runs of one driver gave. */
interface Outcome {
  driver: Driver;
  runs: DriverResult[];
  failures: string[];
  /** The median run by time, when any run succeeded. */
  median: DriverResult | undefined;
}

await using server = new BenchServer();
const machine = `${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} CPUs, ` +
  `Deno ${Deno.version.deno} (V8 ${Deno.version.v8}), load average ${loadAverage()}`;
const sections: string[] = [`# @x/ami loopback benchmark\n\n${machine}`];
const verdicts: string[] = [];
const failures: string[] = [];
const notes: string[] = [];
const json: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine,
  options: Deno.args,
};

const streams: Partial<Record<Chunking, Outcome[]>> = {};
if (options.only.has("stream")) {
  for (const chunks of options.chunks) streams[chunks] = await streamSection(chunks);
  streamVerdicts(streams.large ?? streams.small!);
}
if (options.only.has("pings")) await pingSection();
if (options.only.has("flood")) await floodSection();

if (verdicts.length > 0) sections.push(`## Targets\n\n${verdicts.join("\n")}`);
if (notes.length > 0) sections.push(`## Peers that lost events or failed\n\n${notes.join("\n")}`);
console.log(`\n${sections.join("\n\n")}\n`);
json.verdicts = verdicts;
json.failures = failures;
json.notes = notes;
const path = await writeResults();
console.log(`Results: ${path}`);
if (failures.length > 0) {
  console.log(failures.map((line) => `FAIL: ${line}`).join("\n"));
  Deno.exit(1);
}

async function streamSection(chunks: Chunking): Promise<Outcome[]> {
  const events = options.events;
  server.plan = { events, chunks };
  const bytes = server.streamBytes(events);
  const drivers = streamDrivers(peers);
  const outcomes = await runAll(drivers, [`--events=${events}`], `stream, ${chunks} writes`);
  for (const outcome of outcomes) {
    const lost = Math.max(0, ...outcome.runs.map((run) => events - (run as StreamResult).events));
    if (lost > 0) {
      report(
        outcome,
        `${outcome.driver.label} lost ${thousands(lost)} of ${
          thousands(events)
        } events in a run (${chunks} writes)`,
      );
    }
  }
  const raw = outcomes[0]!.median as StreamResult | undefined;
  if (raw !== undefined && raw.bytes < bytes) {
    failures.push(`the raw reader got ${raw.bytes} of ${bytes} bytes (${chunks} writes)`);
  }
  const floor = outcomes[1]!.median;
  const write = chunks === "large"
    ? "512 events a write"
    : "one event a write, each cut again inside a UTF-8 character and inside CRLFCRLF, TCP_NODELAY";
  const rows = outcomes.map(({ driver, runs, failures, median }) => {
    const result = median as StreamResult | undefined;
    if (result === undefined) {
      return [driver.label, `failed: ${failures[0]}`, ...Array(8).fill("—")];
    }
    const lost = Math.max(...runs.map((run) => events - (run as StreamResult).events));
    return [
      driver.label,
      thousands(result.events / result.ms * 1000),
      raw === undefined ? "—" : ratio(raw.ms / result.ms * result.events / events),
      floor === undefined ? "—" : ratio(floor.ms / result.ms * result.events / events),
      lost === 0 ? "0" : `**${thousands(lost)}**`,
      ...checkCells(result.checks),
      mib(result.peakRss),
      `${result.ms.toFixed(0)} ms`,
    ];
  });
  sections.push(
    `## Event stream, ${chunks} writes: ${thousands(events)} events, ${
      (bytes / 1e6).toFixed(1)
    } MB ` +
      `(${write}; median of ${options.rounds})\n\n` +
      table(
        [
          "client",
          "events/s",
          "× raw",
          "× floor",
          "lost (worst run)",
          "repeated keys kept",
          "UTF-8 intact",
          "other fields intact",
          "peak RSS",
          "time",
        ],
        rows,
      ) + examples(outcomes),
  );
  json[`stream_${chunks}`] = outcomes.map(plain);
  return outcomes;
}

function streamVerdicts(outcomes: Outcome[]): void {
  const rate = (label: string) => {
    const result = outcomes.find((outcome) => outcome.driver.label === label)?.median;
    return result === undefined ? NaN : (result as StreamResult).events / result.ms;
  };
  const raw = rate(outcomes[0]!.driver.label);
  const consumer = rate("@x/ami, realistic consumer");
  const fastestPeer = Math.max(
    ...outcomes.filter((outcome) => outcome.driver.kind === "peer").map((outcome) =>
      rate(outcome.driver.label)
    ).filter(Number.isFinite),
  );
  const lostByAmi = Object.values(streams).flat().filter((outcome) =>
    outcome.driver.kind !== "peer"
  )
    .reduce(
      (sum, outcome) =>
        sum +
        outcome.runs.reduce((lost, run) => lost + options.events - (run as StreamResult).events, 0),
      0,
    );
  verdicts.push(
    verdict("realistic consumer ≥ 0.25× raw", consumer / raw >= 0.25, ratio(consumer / raw)),
    verdict(
      "one field per event ≥ 0.3× raw",
      rate("@x/ami, one field") / raw >= 0.3,
      ratio(rate("@x/ami, one field") / raw),
    ),
    verdict(
      "zero events lost by @x/ami and the references, in every run",
      lostByAmi === 0,
      `${thousands(lostByAmi)} lost`,
    ),
  );
  if (Number.isFinite(fastestPeer)) {
    verdicts.push(
      verdict(
        "realistic consumer ≥ 10× the fastest npm peer",
        consumer / fastestPeer >= 10,
        ratio(consumer / fastestPeer),
      ),
    );
  }
}

async function pingSection(): Promise<void> {
  server.plan = { events: 0 };
  const pings = options.pings;
  const warmup = Math.min(2000, Math.ceil(pings / 10));
  const drivers = pingDrivers(peers);
  const outcomes = await runAll(drivers, [`--pings=${pings}`, `--warmup=${warmup}`], "pings");
  const inflightOf = (driver: Driver) => driver.args.includes("--inflight=100") ? 100 : 1;
  const find = (label: string, inflight: number) =>
    outcomes.find((outcome) =>
      outcome.driver.label === label && inflightOf(outcome.driver) === inflight
    )?.median as PingResult | undefined;
  const rows = outcomes.map(({ driver, failures, median }) => {
    const inflight = inflightOf(driver);
    const result = median as PingResult | undefined;
    if (result === undefined) {
      return [driver.label, String(inflight), `failed: ${failures[0]}`, ...Array(6).fill("—")];
    }
    const raw = find("raw socket", inflight);
    const minimal = find("minimal promise-per-action client", inflight);
    return [
      driver.label,
      String(inflight),
      thousands(pings / result.ms * 1000),
      raw === undefined ? "—" : ratio(raw.ms / result.ms),
      minimal === undefined ? "—" : ratio(minimal.ms / result.ms),
      micros(result.p50),
      micros(result.p99),
      raw === undefined ? "—" : ratio(result.p99 / raw.p99),
      mib(result.peakRss),
    ];
  });
  sections.push(
    `## Pings: ${thousands(pings)} after ${
      thousands(warmup)
    } to warm up (median of ${options.rounds})\n\n` +
      table([
        "client",
        "in flight",
        "actions/s",
        "× raw",
        "× minimal",
        "p50",
        "p99",
        "p99 × raw",
        "peak RSS",
      ], rows),
  );
  json.pings = outcomes.map(plain);
  const ours = find("@x/ami", 1);
  const raw = find("raw socket", 1);
  if (ours !== undefined && raw !== undefined) {
    verdicts.push(
      verdict("pings, 1 in flight ≥ 0.95× raw", raw.ms / ours.ms >= 0.95, ratio(raw.ms / ours.ms)),
    );
    const peerResults = outcomes.filter((outcome) =>
      outcome.driver.kind === "peer" && outcome.median !== undefined
    )
      .map((outcome) => outcome.median as PingResult);
    const behind = (pick: (result: PingResult) => number) =>
      peerResults.filter((peer) => pick(peer) < pick(ours)).length;
    verdicts.push(verdict(
      "pings, 1 in flight: ahead of every npm peer on throughput, p50 and p99",
      behind((r) => r.ms) + behind((r) => r.p50) + behind((r) => r.p99) === 0,
      `peers ahead: ${behind((r) => r.ms)} on time, ${behind((r) => r.p50)} on p50, ${
        behind((r) => r.p99)
      } on p99`,
    ));
  }
  const ours100 = find("@x/ami", 100);
  const minimal100 = find("minimal promise-per-action client", 100);
  if (ours100 !== undefined && minimal100 !== undefined) {
    verdicts.push(
      verdict(
        "pings, 100 in flight ≥ 0.9× the minimal client",
        minimal100.ms / ours100.ms >= 0.9,
        ratio(minimal100.ms / ours100.ms),
      ),
      verdict(
        "pings, 100 in flight: p99 ≤ 1.2× the minimal client's",
        ours100.p99 / minimal100.p99 <= 1.2,
        ratio(ours100.p99 / minimal100.p99),
      ),
    );
  }
}

async function floodSection(): Promise<void> {
  const events = options.flood;
  server.plan = { events };
  const drivers: Driver[] = [
    {
      label: "idle client (no consumer)",
      file: "ami_flood.ts",
      args: ["--consumer=idle"],
      kind: "ami",
    },
    {
      label: "one slow consumer (1 ms per event, gaps: true)",
      file: "ami_flood.ts",
      args: ["--consumer=slow"],
      kind: "ami",
    },
  ];
  const outcomes = await runAll(drivers, [], "flood", 1);
  const [idle, slow] = outcomes.map((outcome) => outcome.median as FloodResult | undefined);
  if (idle === undefined || slow === undefined) return;
  if (slow.read + slow.dropped !== events) {
    failures.push(
      `the slow consumer read ${slow.read} and was told of ${slow.dropped} lost, of ${events} events`,
    );
  }
  sections.push(
    `## Memory: a flood of ${thousands(events)} events (${
      (server.streamBytes(events) / 1e6).toFixed(0)
    } MB), default buffer\n\n` +
      table(
        [
          "client",
          "time",
          "events read",
          "reported lost",
          "unreported lost",
          "peak RSS",
          "Δ vs idle",
        ],
        [idle, slow].map((result, i) => [
          drivers[i]!.label,
          `${result.ms.toFixed(0)} ms`,
          thousands(result.read),
          thousands(result.dropped),
          i === 0 ? "—" : thousands(events - result.read - result.dropped),
          mib(result.peakRss),
          `${((result.peakRss - idle.peakRss) / 1024 / 1024).toFixed(0)} MiB`,
        ]),
      ),
  );
  json.flood = outcomes.map(plain);
  const extra = (slow.peakRss - idle.peakRss) / 1024 / 1024;
  verdicts.push(
    verdict("peak RSS, slow consumer ≤ idle + 64 MiB", extra <= 64, `+${extra.toFixed(0)} MiB`),
  );
}

/**
 * Runs every driver `rounds` times, round-robin (so that drift in the
 * machine's state hits all alike), and keeps each one's median run. A
 * failed run is recorded, not retried.
 */
async function runAll(
  drivers: Driver[],
  args: string[],
  section: string,
  rounds = options.rounds,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = drivers.map((driver) => ({
    driver,
    runs: [],
    failures: [],
    median: undefined,
  }));
  for (let round = 1; round <= rounds; round++) {
    for (const outcome of outcomes) {
      const { driver } = outcome;
      const started = performance.now();
      try {
        outcome.runs.push(await runDriver(driver, [...driver.args, ...args]));
        console.error(
          `${section}, round ${round}/${rounds}: ${driver.label} ${
            (performance.now() - started).toFixed(0)
          } ms`,
        );
      } catch (error) {
        if (!(error instanceof DriverFailure)) throw error;
        outcome.failures.push(error.message);
        console.error(
          `${section}, round ${round}/${rounds}: ${driver.label} FAILED: ${error.message}`,
        );
        report(outcome, `${driver.label} failed (${section}): ${error.message}`);
      }
    }
  }
  for (const outcome of outcomes) {
    const sorted = outcome.runs.toSorted((a, b) => a.ms - b.ms);
    outcome.median = sorted[Math.floor(sorted.length / 2)];
  }
  return outcomes;
}

/** Runs one driver in a process of its own and returns what it reports. */
function runDriver(driver: Driver, args: string[]): Promise<DriverResult> {
  return spawnDriver(
    new URL(`./drivers/${driver.file}`, import.meta.url).pathname,
    server.port,
    args,
    [
      ...(driver.flags ?? []),
      ...(options.cpuProf === "" ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProf}`]),
    ],
  );
}

/** Records a problem: a failure of the run, or a note for a peer. */
function report(outcome: Outcome, line: string): void {
  if (outcome.driver.kind === "peer") notes.push(`- ${line}`);
  else failures.push(line);
}

/** One example of each kind of check failure, per client, under a stream table. */
function examples(outcomes: Outcome[]): string {
  const lines = outcomes.flatMap(({ driver, median }) =>
    ((median as StreamResult | undefined)?.checks?.examples ?? []).map((example) =>
      `- ${driver.label}: ${example}`
    )
  );
  return lines.length === 0
    ? ""
    : `\n\nWhat the checks found (one example of each):\n\n${lines.join("\n")}`;
}

function plain(outcome: Outcome): Record<string, unknown> {
  return {
    ...outcome.driver,
    runs: outcome.runs,
    failures: outcome.failures,
    median: outcome.median,
  };
}

async function writeResults(): Promise<string> {
  const dir = new URL("../results/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  const file = new URL(`e2e-${(json.date as string).replaceAll(":", "-")}.json`, dir);
  await Deno.writeTextFile(file, JSON.stringify(json, null, 2) + "\n");
  return file.pathname;
}

function loadAverage(): string {
  try {
    return Deno.loadavg().map((load) => load.toFixed(2)).join(" ");
  } catch {
    return "unknown";
  }
}
