/**
 * Reading a frame's text as fields: keys and values in order, repeated keys
 * kept. Two ways in, with the same rules:
 *
 * - {@linkcode splitFields} splits every line, for code that wants all of
 *   them.
 * - {@linkcode findFirstValue} (the key exactly) and
 *   {@linkcode findFirstValueIgnoringCase} read the first value of one key
 *   straight from the text, for code that wants a few fields of a frame.
 *
 * The rules: lines end in CRLF; a bare LF belongs to the value. The key ends
 * at the first colon and one space after it is dropped. A line with no colon
 * continues the previous value (Asterisk wrote a value containing CRLF),
 * joined back with CRLF; a first line with no colon is a field with an empty
 * key.
 *
 * @module
 */

/** The text that ends the reply to `Command` in Asterisk 13 and older. */
export const LEGACY_COMMAND_END = "--END COMMAND--";

const COLON = 58;
const SPACE = 32;
const CR = 13;
const LF = 10;

/** Splits a frame's text into its fields, as `[k0, v0, k1, v1, …]`. */
export function splitFields(body: string): string[] {
  const flat: string[] = [];
  const end = body.length;
  let position = 0;
  let colon = -1;
  while (position <= end) {
    let eol = body.indexOf("\r\n", position);
    if (eol === -1) eol = end;
    // Remember the next colon across colon-less lines so hostile frames stay linear.
    if (colon < position) {
      colon = body.indexOf(":", position);
      if (colon === -1) colon = end + 1;
    }
    if (colon < eol) {
      let valueStart = colon + 1;
      if (body.charCodeAt(valueStart) === SPACE) valueStart++;
      flat.push(body.slice(position, colon), body.slice(valueStart, eol));
    } else if (eol > position || position < end) {
      const line = body.slice(position, eol);
      if (flat.length === 0) flat.push("", line);
      else flat[flat.length - 1] += "\r\n" + line;
    }
    position = eol + 2;
  }
  return flat;
}

/** The key last looked up, and the text that starts its line: most code reads the same keys. */
let patternKey = "";
let pattern = "\r\n:";

/**
 * The first value of the field whose key is exactly `key`, read from the
 * text without splitting the other lines; `undefined` when there is none.
 * Gives what {@linkcode splitFields} would, for any non-empty key (the empty
 * key also names a first line without a colon: split for that one).
 */
export function findFirstValue(body: string, key: string): string | undefined {
  const line = findKeyLine(body, key);
  return line === -1 ? undefined : valueFrom(body, line + key.length + 1, true);
}

/**
 * Where the first line whose key is exactly `key` starts, or -1. For any
 * non-empty key.
 */
function findKeyLine(body: string, key: string): number {
  // A key ends at the first colon of its line, so it holds neither a colon nor a line end.
  if (key.includes(":") || key.includes("\r\n")) return -1;
  if (body.startsWith(key) && body.charCodeAt(key.length) === COLON) return 0;
  // The second line next (ActionID, in a response): cheaper to look at than to search for.
  const second = body.indexOf("\r\n") + 2;
  if (second === 1) return -1;
  if (body.startsWith(key, second) && body.charCodeAt(second + key.length) === COLON) return second;
  // Every CRLF ends a line, so CRLF, the key and a colon is a line with that key.
  if (key !== patternKey) {
    patternKey = key;
    pattern = "\r\n" + key + ":";
  }
  const found = body.indexOf(pattern, second);
  return found === -1 ? -1 : found + 2;
}

/** A key the case-insensitive lookup handles: ASCII, with no colon and no line end. */
const PLAIN_ASCII_KEY = /^[^:\r\n\u0080-\uffff]+$/;
/** U+212A KELVIN SIGN: the only character that lowers to an ASCII one (`k`). */
const KELVIN_SIGN = "\u212a";
/** How to find a key in any case: a pattern for its line, and whether it holds a `k`. */
interface KeyLookup {
  /** A line with the key in any ASCII case. Global, so a test leaves the match's end in lastIndex. */
  readonly line: RegExp;
  readonly hasK: boolean;
}
/** Per key; `null` for a key that is not plain ASCII. Bounded. */
const keyLookups = new Map<string, KeyLookup | null>();
const MAX_KEY_LOOKUPS = 256;
/** A key spelled as asked within this many characters of the start is checked against the lines before it only. */
const NEAR_TOP = 256;

/**
 * The first value of the field whose key is `key` ignoring case, as a
 * case-insensitive lookup over the split fields gives it, read from the
 * text; `null` when only splitting can tell: a key that is not plain ASCII,
 * a Kelvin sign that could spell a `k`, or too many different keys asked.
 */
export function findFirstValueIgnoringCase(body: string, key: string): string | undefined | null {
  // Spelled as asked on the first line: nothing comes before it.
  const exact = findKeyLine(body, key);
  if (exact === 0) return valueFrom(body, key.length + 1, true);
  let lookup = keyLookups.get(key);
  if (lookup === undefined) {
    if (keyLookups.size >= MAX_KEY_LOOKUPS) return null;
    // Without the `u` flag, only ASCII letters match in another case.
    const escaped = key.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    lookup = key.length === 0 || !PLAIN_ASCII_KEY.test(key)
      ? null
      : { line: new RegExp("(?:^|\\r\\n)" + escaped + ":", "gi"), hasK: /k/i.test(key) };
    keyLookups.set(key, lookup);
  }
  if (lookup === null || (lookup.hasK && body.includes(KELVIN_SIGN))) return null;
  // Spelled as asked near the top, with no other spelling on a line before it: what Asterisk
  // sends (Response first, ActionID second).
  if (exact > 0 && exact <= NEAR_TOP && !keyBefore(body, key, exact)) {
    return valueFrom(body, exact + key.length + 1, true);
  }
  const line = lookup.line;
  line.lastIndex = 0;
  if (!line.test(body)) return undefined;
  // The match ends right after the colon.
  const valueStart = line.lastIndex;
  line.lastIndex = 0;
  return valueFrom(body, valueStart, true);
}

/** Whether a line starting before `end` has `key` (plain ASCII) as its key, in any case. */
function keyBefore(body: string, key: string, end: number): boolean {
  const length = key.length;
  let position = 0;
  while (position < end) {
    if (
      body.charCodeAt(position + length) === COLON && sameIgnoringAsciiCase(body, position, key)
    ) {
      return true;
    }
    const eol = body.indexOf("\r\n", position);
    if (eol === -1) return false;
    position = eol + 2;
  }
  return false;
}

/** Whether `body` holds `key` (plain ASCII) at `at`, ignoring the case of ASCII letters. */
function sameIgnoringAsciiCase(body: string, at: number, key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const code = body.charCodeAt(at + i);
    if (code === key.charCodeAt(i)) continue;
    // Only letters match in another case (`| 32` also pairs @ with ` and [ with {).
    const lower = code | 32;
    if (lower !== (key.charCodeAt(i) | 32) || lower < 97 || lower > 122) return false;
  }
  return true;
}

/**
 * The first field of a frame, as `[key, value]`, read without splitting the
 * rest; `undefined` for an empty frame.
 */
export function firstField(body: string): [string, string] | undefined {
  if (body.length === 0) return undefined;
  let eol = body.indexOf("\r\n");
  if (eol === -1) eol = body.length;
  const colon = body.indexOf(":");
  if (colon !== -1 && colon < eol) return [body.slice(0, colon), valueFrom(body, colon + 1, true)];
  return ["", valueFrom(body, 0, false)];
}

/**
 * The value that starts at `start` (after one space, if `skipSpace`): the
 * rest of its line, then every following line without a colon, joined with
 * CRLF.
 */
function valueFrom(body: string, start: number, skipSpace: boolean): string {
  const end = body.length;
  if (skipSpace && body.charCodeAt(start) === SPACE) start++;
  let eol = body.indexOf("\r\n", start);
  if (eol === -1) eol = end;
  let value = body.slice(start, eol);
  let position = eol + 2;
  let colon = -1;
  while (position <= end) {
    if (colon < position) {
      colon = body.indexOf(":", position);
      if (colon === -1) colon = end + 1;
    }
    // No line end before the next colon: the line has one, so it is the next field.
    let next = lineEndBefore(body, position, colon < end ? colon : end);
    if (next === -1) {
      if (colon <= end) break;
      next = end;
    }
    // An empty last line is no line at all.
    if (next === position && position === end) break;
    value += "\r\n" + body.slice(position, next);
    position = next + 2;
  }
  return value;
}

/**
 * Where the first CRLF in `body[from, to)` starts, or -1. Called with `to`
 * at the next colon, which is usually a key's length away.
 */
function lineEndBefore(body: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    if (body.charCodeAt(i) === CR && body.charCodeAt(i + 1) === LF) return i;
  }
  return -1;
}

/**
 * Splits the legacy reply to `Command` (`Response: Follows`, `Privilege:
 * Command`, an optional `ActionID`, raw CLI output, `--END COMMAND--`) into
 * its headers and one `Output` field per line of output, as modern Asterisk
 * sends it.
 */
export function splitLegacyCommand(body: string): string[] {
  const flat: string[] = [];
  let position = 0;
  // The fixed headers come first, each on its own CRLF line.
  for (let header = 0; header < 3; header++) {
    const eol = body.indexOf("\r\n", position);
    if (eol === -1) break;
    const line = body.slice(position, eol);
    const colon = line.indexOf(":");
    if (colon === -1) break;
    const key = line.slice(0, colon);
    if (header === 2 && key.toLowerCase() !== "actionid") break;
    flat.push(key, line.slice(colon + (line.charCodeAt(colon + 1) === 32 ? 2 : 1)));
    position = eol + 2;
  }
  let output = body.slice(position);
  if (output.endsWith(LEGACY_COMMAND_END)) output = output.slice(0, -LEGACY_COMMAND_END.length);
  if (output.endsWith("\n")) output = output.slice(0, -1);
  if (output.endsWith("\r")) output = output.slice(0, -1);
  if (output.length > 0) {
    for (const line of output.split("\n")) {
      flat.push("Output", line.endsWith("\r") ? line.slice(0, -1) : line);
    }
  }
  return flat;
}
