/**
 * How the loopback benchmark shows its results: Markdown tables, target
 * verdicts, and the number formats they share.
 *
 * @module
 */

import type { ConsumerChecks } from "./consumer.ts";

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
