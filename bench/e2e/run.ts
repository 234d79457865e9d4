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
import { DriverFailure, type DriverResult, type FloodResult, spawnDriver } from "./measure.ts";
import { choosePeers, type Driver, pingDrivers, streamDrivers } from "./catalog.ts";
import { parseOptions, USAGE } from "./options.ts";
import { type Outcome, thousands, verdict, worstLoss } from "./report.ts";
import { floodTable, pingTable, streamTable } from "./tables.ts";
import { pingTargets, streamTargets } from "./targets.ts";

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

await using server = new BenchServer();
const machine = `${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} CPUs, ` +
  `Deno ${Deno.version.deno} (V8 ${Deno.version.v8}), load average ${loadAverage()}`;
const sections: string[] = [`# @x/ami loopback benchmark\n\n${machine}`];
const verdicts: string[] = [];
/** Lines that fail the run: losses and failures of @x/ami and the references. */
const failures: string[] = [];
/** Losses and failures of npm peers, shown but not failing the run. */
const notes: string[] = [];
const json: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine,
  options: Deno.args,
};

if (options.only.has("stream")) {
  const tables = new Map<Chunking, Outcome[]>();
  for (const chunks of options.chunks) tables.set(chunks, await streamSection(chunks));
  const main = tables.get("large") ?? tables.get("small")!;
  verdicts.push(...streamTargets(main, [...tables.values()].flat()));
}
if (options.only.has("pings")) await pingSection();
if (options.only.has("flood")) await floodSection();

if (verdicts.length > 0) sections.push(`## Targets\n\n${verdicts.join("\n")}`);
if (notes.length > 0) sections.push(`## Peers that lost events or failed\n\n${notes.join("\n")}`);
console.log(`\n${sections.join("\n\n")}\n`);
Object.assign(json, { verdicts, failures, notes });
console.log(`Results: ${await writeResults()}`);
if (failures.length > 0) {
  console.log(failures.map((line) => `FAIL: ${line}`).join("\n"));
  Deno.exit(1);
}

async function streamSection(chunks: Chunking): Promise<Outcome[]> {
  const events = options.events;
  const peerEvents = Math.min(events, options.peerEvents);
  const eventsOf = (driver: Driver) => driver.kind === "peer" ? peerEvents : events;
  const bytes = server.streamBytes(events);
  const outcomes = await runAll(streamDrivers(peers), `stream, ${chunks} writes`, (driver) => {
    server.plan = { events: eventsOf(driver), chunks };
    return [`--events=${eventsOf(driver)}`];
  });
  for (const outcome of outcomes) {
    outcome.expected = eventsOf(outcome.driver);
    const lost = worstLoss(outcome);
    if (lost > 0) {
      record(
        outcome,
        `${outcome.driver.label} lost ${thousands(lost)} of ${
          thousands(outcome.expected)
        } events in a run (${chunks} writes)`,
      );
    }
  }
  const raw = outcomes[0]!.median;
  if (raw?.kind === "stream" && raw.bytes < bytes) {
    failures.push(`the raw reader got ${raw.bytes} of ${bytes} bytes (${chunks} writes)`);
  }
  sections.push(
    streamTable(outcomes, { events, peerEvents, bytes, chunks, rounds: options.rounds }),
  );
  json[`stream_${chunks}`] = outcomes.map(plain);
  return outcomes;
}

async function pingSection(): Promise<void> {
  server.plan = { events: 0 };
  const pings = options.pings;
  const warmup = Math.min(2000, Math.ceil(pings / 10));
  const args = [`--pings=${pings}`, `--warmup=${warmup}`, `--max-seconds=${options.pingSeconds}`];
  const outcomes = await runAll(pingDrivers(peers), "pings", () => args);
  sections.push(pingTable(outcomes, { pings, warmup, rounds: options.rounds }));
  verdicts.push(...pingTargets(outcomes));
  json.pings = outcomes.map(plain);
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
  const outcomes = await runAll(drivers, "flood", () => [], 1);
  json.flood = outcomes.map(plain);
  const [idle, slow] = outcomes.map((outcome) => outcome.median as FloodResult | undefined);
  if (idle === undefined || slow === undefined) return;
  if (slow.read + slow.dropped !== events) {
    failures.push(
      `the slow consumer read ${slow.read} and was told of ${slow.dropped} lost, of ${events} events`,
    );
  }
  sections.push(floodTable(drivers, [idle, slow], { events, bytes: server.streamBytes(events) }));
  const extra = (slow.peakRss - idle.peakRss) / 1024 / 1024;
  verdicts.push(
    verdict("peak RSS, slow consumer ≤ idle + 64 MiB", extra <= 64, `+${extra.toFixed(0)} MiB`),
  );
}
/**
 * Runs every driver `rounds` times, round-robin (so that drift in the
 * machine's state hits all alike), and keeps each one's median run.
 * `prepare` readies the server for a driver and returns its arguments. A
 * failed run is recorded, not retried.
 */
async function runAll(
  drivers: Driver[],
  section: string,
  prepare: (driver: Driver) => string[],
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
        outcome.runs.push(
          await runDriver(driver, [...driver.args, ...prepare(driver)], section === "pings"),
        );
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
        record(outcome, `${driver.label} failed (${section}): ${error.message}`);
      }
    }
  }
  for (const outcome of outcomes) {
    const sorted = outcome.runs.toSorted((a, b) => a.ms - b.ms);
    outcome.median = sorted[Math.floor(sorted.length / 2)];
  }
  return outcomes;
}

/**
 * Runs one driver in a process of its own and returns what it reports. A
 * ping run stops sending after --ping-seconds, so one still running a minute
 * later is stuck (a client that lost an answer): it fails then, not after
 * the default five minutes.
 */
function runDriver(driver: Driver, args: string[], pinging: boolean): Promise<DriverResult> {
  return spawnDriver(
    new URL(`./drivers/${driver.file}`, import.meta.url).pathname,
    server.port,
    args,
    [
      ...(driver.flags ?? []),
      ...(options.cpuProf === "" ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProf}`]),
    ],
    pinging ? (options.pingSeconds + 60) * 1_000 : undefined,
  );
}

/** Records a problem: a failure of the run, or a note for a peer. */
function record(outcome: Outcome, line: string): void {
  if (outcome.driver.kind === "peer") notes.push(`- ${line}`);
  else failures.push(line);
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
