/**
 * What the loopback benchmark's tables and targets share: the outcome of a
 * driver's runs, what is read from it, and the number formats.
 *
 * @module
 */

import type { Driver } from "./catalog.ts";
import type { ConsumerChecks } from "./consumer.ts";
import type { DriverResult, PingResult, StreamResult } from "./measure.ts";

const MiB = 1024 * 1024;

/** A Markdown table, the first column left-aligned and the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const lines = [header, header.map((_, i) => (i === 0 ? "---" : "---:")), ...rows];
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

/** One line saying whether a target was met. */
export function verdict(target: string, met: boolean, measured: string): string {
  return `- ${met ? "met" : "NOT met"}: ${target} (measured ${measured})`;
}

/** A count with thousands separators. */
export function thousands(value: number): string {
  return Math.round(value).toLocaleString("en");
}

/** A ratio, such as `0.25×`. */
export function ratio(value: number): string {
  if (!Number.isFinite(value)) return "—";
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}×`;
}

/** Bytes in MiB. */
export function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(0)} MiB`;
}

/** Milliseconds as microseconds. */
export function micros(ms: number): string {
  return `${(ms * 1000).toFixed(0)} µs`;
}

/** The three check columns of a stream row: repeated keys, UTF-8, other fields. */
export function checkCells(checks: ConsumerChecks | undefined): string[] {
  if (checks === undefined) return ["—", "—", "—"];
  const cell = (wrong: number, of: number) =>
    wrong === 0 ? "✓" : `✗ ${thousands(wrong)} of ${thousands(of)}`;
  return [
    cell(checks.repeatedWrong, checks.seen),
    cell(checks.utf8Wrong, checks.utf8Checked),
    cell(checks.fieldsWrong, checks.seen),
  ];
}

/** What the runs of one driver gave. */
export interface Outcome {
  driver: Driver;
  runs: DriverResult[];
  /** Why runs failed, one line each. */
  failures: string[];
  /** The median run by time, when any run succeeded. */
  median: DriverResult | undefined;
  /** For a stream driver, the events the server sent it in each run. */
  expected?: number;
}

/** The events a stream driver lost in its worst run. */
export function worstLoss(outcome: Outcome): number {
  const sent = outcome.expected ?? 0;
  return Math.max(0, ...outcome.runs.map((run) => sent - (run as StreamResult).events));
}

/** The events a stream driver lost over all its runs. */
export function totalLoss(outcome: Outcome): number {
  const sent = outcome.expected ?? 0;
  return outcome.runs.reduce((sum, run) => sum + sent - (run as StreamResult).events, 0);
}

/** Events per ms in the median run of the row labelled `label`; NaN without one. */
export function streamRate(outcomes: Outcome[], label: string): number {
  const result = outcomes.find((outcome) => outcome.driver.label === label)?.median;
  return result === undefined ? NaN : (result as StreamResult).events / result.ms;
}

/** Pings per ms of a ping run. */
export function pingRate(result: PingResult): number {
  return result.pings / result.ms;
}

/** How many pings a ping driver keeps in flight. */
export function inflightOf(driver: Driver): number {
  return driver.args.includes("--inflight=100") ? 100 : 1;
}

/** The median of the ping row labelled `label` with `inflight` in flight. */
export function pingResult(
  outcomes: Outcome[],
  label: string,
  inflight: number,
): PingResult | undefined {
  return outcomes.find((outcome) =>
    outcome.driver.label === label && inflightOf(outcome.driver) === inflight
  )?.median as PingResult | undefined;
}
