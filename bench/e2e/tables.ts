/**
 * The loopback benchmark's Markdown tables, one per section.
 *
 * @module
 */

import type { Driver } from "./catalog.ts";
import type { FloodResult, PingResult, StreamResult } from "./measure.ts";
import {
  checkCells,
  inflightOf,
  mib,
  micros,
  type Outcome,
  pingRate,
  pingResult,
  ratio,
  table,
  thousands,
  worstLoss,
} from "./report.ts";
import type { Chunking } from "./server.ts";

const WRITES: Record<Chunking, string> = {
  large: "512 events a write",
  small: "one event a write, each cut again inside a UTF-8 character and inside CRLFCRLF, " +
    "TCP_NODELAY",
};

/** The event stream table, with the examples of what the checks found under it. */
export function streamTable(
  outcomes: Outcome[],
  { events, peerEvents, bytes, chunks, rounds }: {
    events: number;
    peerEvents: number;
    bytes: number;
    chunks: Chunking;
    rounds: number;
  },
): string {
  const raw = outcomes[0]!.median;
  const floor = outcomes[1]!.median;
  const times = (reference: typeof raw, result: StreamResult) =>
    reference === undefined
      ? "—"
      : ratio(result.events / result.ms / ((reference as StreamResult).events / reference.ms));
  const rows = outcomes.map((outcome) => {
    const result = outcome.median as StreamResult | undefined;
    if (result === undefined) return failedRow(outcome, 9);
    if (result.events === 0) {
      return [
        outcome.driver.label,
        "none seen",
        "—",
        "—",
        `**${thousands(outcome.expected ?? 0)}**`,
        ...Array(5).fill("—"),
      ];
    }
    const lost = worstLoss(outcome);
    return [
      outcome.driver.label,
      thousands(result.events / result.ms * 1000),
      times(raw, result),
      times(floor, result),
      lost === 0 ? "0" : `**${thousands(lost)}**`,
      ...checkCells(result.checks),
      mib(result.peakRss),
      `${result.ms.toFixed(0)} ms`,
    ];
  });
  const header = [
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
  ];
  const peers = peerEvents < events ? ` (npm peers: ${thousands(peerEvents)})` : "";
  return `## Event stream, ${chunks} writes: ${thousands(events)} events${peers}, ` +
    `${(bytes / 1e6).toFixed(1)} MB (${WRITES[chunks]}; median of ${rounds})\n\n` +
    table(header, rows) + examples(outcomes);
}

/** The ping table: one at a time for every client, then 100 in flight. */
export function pingTable(
  outcomes: Outcome[],
  { pings, warmup, rounds }: { pings: number; warmup: number; rounds: number },
): string {
  const rows = outcomes.map((outcome) => {
    const { driver } = outcome;
    const inflight = inflightOf(driver);
    const result = outcome.median as PingResult | undefined;
    if (result === undefined) return failedRow(outcome, 8, [String(inflight)]);
    const raw = pingResult(outcomes, "raw socket", inflight);
    const minimal = pingResult(outcomes, "minimal promise-per-action client", inflight);
    return [
      driver.label,
      String(inflight),
      thousands(pingRate(result) * 1000) + (result.pings < pings ? ` (${stopped(result)})` : ""),
      raw === undefined ? "—" : ratio(pingRate(result) / pingRate(raw)),
      minimal === undefined ? "—" : ratio(pingRate(result) / pingRate(minimal)),
      micros(result.p50),
      micros(result.p99),
      raw === undefined ? "—" : ratio(result.p99 / raw.p99),
      mib(result.peakRss),
    ];
  });
  const header = [
    "client",
    "in flight",
    "actions/s",
    "× raw",
    "× minimal",
    "p50",
    "p99",
    "p99 × raw",
    "peak RSS",
  ];
  return `## Pings: ${thousands(pings)} after ${thousands(warmup)} to warm up ` +
    `(median of ${rounds})\n\n` + table(header, rows);
}

/** The memory table: an idle client and a slow consumer under one flood. */
export function floodTable(
  drivers: Driver[],
  [idle, slow]: FloodResult[],
  { events, bytes }: { events: number; bytes: number },
): string {
  const header = [
    "client",
    "time",
    "events read",
    "reported lost",
    "unreported lost",
    "peak RSS",
    "Δ vs idle",
  ];
  const rows = [idle!, slow!].map((result, i) => [
    drivers[i]!.label,
    `${result.ms.toFixed(0)} ms`,
    thousands(result.read),
    thousands(result.dropped),
    i === 0 ? "—" : thousands(events - result.read - result.dropped),
    mib(result.peakRss),
    `${((result.peakRss - idle!.peakRss) / 1024 / 1024).toFixed(0)} MiB`,
  ]);
  return `## Memory: a flood of ${thousands(events)} events (${(bytes / 1e6).toFixed(0)} MB), ` +
    `default buffer\n\n` + table(header, rows);
}

/** Why a ping run timed fewer pings than asked. */
function stopped(result: PingResult): string {
  return `${thousands(result.pings)} in ${(result.ms / 1000).toFixed(0)} s`;
}

/** A row for a driver none of whose runs succeeded. */
function failedRow(outcome: Outcome, blanks: number, lead: string[] = []): string[] {
  const why = `failed: ${outcome.failures[0]?.replaceAll("|", "/")}`;
  return [outcome.driver.label, ...lead, why, ...Array<string>(blanks - lead.length - 1).fill("—")];
}

/** One example of each kind of check failure, per client, under a stream table. */
function examples(outcomes: Outcome[]): string {
  const lines = outcomes.flatMap(({ driver, median }) =>
    ((median as StreamResult | undefined)?.checks?.examples ?? []).map((example) =>
      `- ${driver.label}: ${example.replaceAll("|", "/")}`
    )
  );
  if (lines.length === 0) return "";
  return `\n\nWhat the checks found (one example of each):\n\n${lines.join("\n")}`;
}
