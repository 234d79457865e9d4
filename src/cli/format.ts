/**
 * How the CLI prints messages: as `Key: Value` lines, as one line per
 * event, as a table, or as JSON.
 *
 * @module
 */

import type { AmiMessage } from "../wire/message.ts";

/**
 * A message as `Key: Value` lines, in wire order, repeated keys repeated.
 *
 * @param message The message.
 * @param omit Keys to leave out (compared ignoring case).
 * @returns The lines, each ending in `\n`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AmiMessage } from "../wire/message.ts";
 * import { formatFields } from "./format.ts";
 * const text = formatFields(AmiMessage.fromString("Response: Success\r\nActionID: 7\r\nPing: Pong\r\n\r\n"), ["ActionID"]);
 * assert.equal(text, "Response: Success\nPing: Pong\n");
 * ```
 */
export function formatFields(message: AmiMessage, omit: readonly string[] = []): string {
  const skipped = new Set(omit.map((key) => key.toLowerCase()));
  let text = "";
  for (const [key, value] of message.fields()) {
    if (!skipped.has(key.toLowerCase())) text += `${key}: ${value}\n`;
  }
  return text;
}

/**
 * An event on one line: the local time it arrived, its name, then
 * `Key=Value` pairs (`Event` and `Privilege` left out). Values with spaces,
 * quotes or `=` are JSON-quoted, so the line splits back unambiguously.
 *
 * @param event The event.
 * @returns The line, ending in `\n`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AmiMessage } from "../wire/message.ts";
 * import { formatEventLine } from "./format.ts";
 * const event = AmiMessage.fromString("Event: Hangup\r\nPrivilege: call,all\r\nChannel: PJSIP/100-0001\r\nCause-txt: Normal Clearing\r\n\r\n");
 * assert.ok(formatEventLine(event).endsWith(' Hangup Channel=PJSIP/100-0001 Cause-txt="Normal Clearing"\n'));
 * ```
 */
export function formatEventLine(event: AmiMessage): string {
  let line = `${clock(event.receivedAt)} ${event.get("Event") ?? "?"}`;
  for (const [key, value] of event.fields()) {
    const lower = key.toLowerCase();
    if (lower === "event" || lower === "privilege") continue;
    line += ` ${key}=${quoteIfNeeded(value)}`;
  }
  return line + "\n";
}

/**
 * Event list items as a text table: one column per key (in the order keys
 * first appear), or the chosen `columns`. `ActionID` and `EventList` are
 * left out, and `Event` too when every item has the same name.
 *
 * @param items The list's items.
 * @param columns The keys to show, in order (matched ignoring case).
 * @returns The table, a header row first; lines end in `\n`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AmiMessage } from "../wire/message.ts";
 * import { formatTable } from "./format.ts";
 * const items = [
 *   AmiMessage.fromString("Event: CoreShowChannel\r\nChannel: PJSIP/100-01\r\nState: Up\r\n\r\n"),
 *   AmiMessage.fromString("Event: CoreShowChannel\r\nChannel: PJSIP/2-02\r\nState: Ring\r\n\r\n"),
 * ];
 * assert.equal(formatTable(items), "Channel       State\nPJSIP/100-01  Up\nPJSIP/2-02    Ring\n");
 * ```
 */
export function formatTable(items: readonly AmiMessage[], columns?: readonly string[]): string {
  const keys = columns === undefined ? defaultColumns(items) : [...columns];
  const rows = [keys, ...items.map((item) => keys.map((key) => item.get(key) ?? ""))];
  const widths = keys.map((_, column) => Math.max(...rows.map((row) => [...row[column]!].length)));
  return rows.map((row) =>
    row.map((cell, column) =>
      column === row.length - 1 ? cell : cell + " ".repeat(widths[column]! - [...cell].length + 2)
    ).join("").trimEnd() + "\n"
  ).join("");
}

/**
 * A value as one JSON line.
 *
 * @param value Anything JSON can hold (messages become objects of their fields).
 * @returns The JSON text and `\n`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonLine } from "./format.ts";
 * assert.equal(jsonLine({ ok: true }), '{"ok":true}\n');
 * ```
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value) + "\n";
}

/**
 * Text made safe for a terminal: control characters (C0 but tab and line
 * feed, DEL, and C1) become `\uXXXX`, so an escape sequence from the server
 * cannot move the cursor, recolour or retitle the terminal. JSON text stays
 * valid JSON (it can only hold these inside strings, where `\uXXXX` means
 * the same character).
 *
 * @param text Any text.
 * @returns The text with its control characters escaped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeControls } from "./format.ts";
 * assert.equal(escapeControls("red \x1b[31mtext\n"), "red \\u001b[31mtext\n");
 * ```
 */
export function escapeControls(text: string): string {
  return text.replace(
    CONTROLS,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** C0 controls but tab and line feed, DEL, and C1 controls. */
// deno-lint-ignore no-control-regex -- finding control characters is the point
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

function defaultColumns(items: readonly AmiMessage[]): string[] {
  const seen = new Map<string, string>();
  const names = new Set<string>();
  for (const item of items) {
    names.add((item.get("Event") ?? "").toLowerCase());
    for (const [key] of item.fields()) {
      const lower = key.toLowerCase();
      if (!seen.has(lower)) seen.set(lower, key);
    }
  }
  seen.delete("actionid");
  seen.delete("eventlist");
  if (names.size <= 1) seen.delete("event");
  return [...seen.values()];
}

function quoteIfNeeded(value: string): string {
  return value === "" || /[\s"=\\]/.test(value) ? JSON.stringify(value) : value;
}

function clock(at: number): string {
  const time = new Date(at);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}.` +
    String(time.getMilliseconds()).padStart(3, "0");
}
