/**
 * Byte scans of the frame parser: where a frame ends, including the legacy
 * `Response: Follows` reply to `Command`, which may hold empty lines.
 *
 * @module
 */

import { LEGACY_COMMAND_END } from "./fields.ts";

const CR = 13;
const LF = 10;
const encoder = new TextEncoder();

/** The bytes that start the legacy reply to `Command` (Asterisk 13 and older). */
export const LEGACY_START: Uint8Array = encoder.encode("Response: Follows\r\n");
/** The bytes that end its output, right before the closing CRLFCRLF. */
const LEGACY_END = encoder.encode(LEGACY_COMMAND_END);
/**
 * First lines that start a normal frame. After an empty line inside a
 * legacy reply, one of them means the reply's end marker never came: CLI
 * output ends its lines with a bare LF, so a CRLF empty line followed by
 * one of these is where Asterisk's next frame begins.
 */
const FRAME_STARTS = [encoder.encode("Event: "), encoder.encode("Response: ")];
/** How many bytes after an empty line tell whether a normal frame starts there. */
export const FRAME_START_LOOKAHEAD: number = Math.max(...FRAME_STARTS.map((s) => s.length));

/**
 * The index of the next CRLFCRLF in `data[from, length)`, or -1.
 *
 * Looks at the last byte of each 4-byte window and skips ahead as far as
 * that byte allows (Horspool): most bytes are neither CR nor LF, so most
 * steps skip 4 bytes.
 */
export function findFrameEnd(data: Uint8Array, length: number, from: number): number {
  let last = from + 3;
  while (last < length) {
    const byte = data[last];
    if (byte === LF) {
      if (data[last - 1] === CR && data[last - 2] === LF && data[last - 3] === CR) return last - 3;
      // The LF may be the first one of the pattern.
      last += 2;
    } else if (byte === CR) {
      // The CR may be the second one of the pattern.
      last += 1;
    } else {
      last += 4;
    }
  }
  return -1;
}

/**
 * The index of the CRLFCRLF that ends the frame starting at `start`,
 * searching from `from`, or -1 when the bytes so far do not tell.
 *
 * A legacy Command reply may hold empty lines: it ends at the first
 * CRLFCRLF right after `--END COMMAND--`, or, when that marker never came,
 * at the first CRLFCRLF followed by the start of a normal frame (see
 * {@linkcode legacyReplyComplete} to tell the two apart).
 */
export function findEnd(
  data: Uint8Array,
  start: number,
  length: number,
  from: number,
  legacy: boolean,
): number {
  let end = findFrameEnd(data, length, from);
  if (!legacy) return end;
  while (end >= 0) {
    if (endsWith(data, start, end, LEGACY_END)) return end;
    const next = frameStartAt(data, end + 4, length);
    if (next === true) return end;
    // Too few bytes yet to tell whether a frame starts there: wait for more.
    if (next === undefined) return -1;
    end = findFrameEnd(data, length, end + 2);
  }
  return end;
}

/** Whether the legacy reply `data[start, end)` ends with its `--END COMMAND--` marker. */
export function legacyReplyComplete(data: Uint8Array, start: number, end: number): boolean {
  return endsWith(data, start, end, LEGACY_END);
}

/**
 * Whether a normal frame starts at `at`; `undefined` when the bytes before
 * `length` are too few to tell.
 */
function frameStartAt(data: Uint8Array, at: number, length: number): boolean | undefined {
  let undecided = false;
  for (const prefix of FRAME_STARTS) {
    const available = Math.min(prefix.length, length - at);
    let same = true;
    for (let i = 0; i < available && same; i++) same = data[at + i] === prefix[i];
    if (!same) continue;
    if (available === prefix.length) return true;
    undecided = true;
  }
  return undecided ? undefined : false;
}

/**
 * How many trailing bytes a skipped frame must keep to find its end in the
 * next chunk: the closing CRLFCRLF less one byte and, for a legacy reply,
 * the end marker before it (longer than the look-ahead after an empty line).
 */
export function tailToKeep(legacy: boolean): number {
  return legacy ? 3 + Math.max(LEGACY_END.length, 1 + FRAME_START_LOOKAHEAD) : 3;
}

/** Whether `data[at, length)` starts with `prefix`. */
export function startsWith(
  data: Uint8Array,
  at: number,
  length: number,
  prefix: Uint8Array,
): boolean {
  if (length - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[at + i] !== prefix[i]) return false;
  return true;
}

/** Whether `data[start, end)` ends with `suffix`. */
function endsWith(data: Uint8Array, start: number, end: number, suffix: Uint8Array): boolean {
  const from = end - suffix.length;
  if (from < start) return false;
  for (let i = 0; i < suffix.length; i++) if (data[from + i] !== suffix[i]) return false;
  return true;
}
