/**
 * Reading a frame's text as fields: keys and values in order, repeated keys
 * kept. Two ways in, with the same rules:
 *
 * - {@linkcode splitFields} splits every line, for code that wants all of
 *   them. Frames repeat the same few dozen keys in the same order, so keys
 *   are remembered (in a bounded table) rather than sliced again for every
 *   frame.
 * - {@linkcode findFirstValue} reads the first value of one key straight
 *   from the text, for code that wants one or two fields of a frame.
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

/**
 * A key seen in an earlier frame. Frames repeat the same few dozen keys, so
 * each is sliced (and hashed by the engine) once, not once per frame.
 */
interface KnownKey {
  /** The key, interned by the engine, so comparing it with a property name is one pointer check. */
  readonly name: string;
  /** The key that came after this one last time: the first guess for the next line. */
  next: KnownKey | undefined;
}

/** Slots of the known-key table, found from a key's length and its first and last characters. */
const KEY_SLOTS = 4096;
/** Bounds on what is remembered, so a server sending endless new keys cannot grow memory. */
const MAX_KNOWN_KEYS = 2048;
const MAX_KNOWN_KEY_LENGTH = 64;
const knownKeys: (KnownKey | KnownKey[] | undefined)[] = new Array(KEY_SLOTS);
let knownKeyCount = 0;
/** The key that began the last frame: the first guess for the next frame. */
let firstKnownKey: KnownKey | undefined;

/** Whether `text` holds `name` at `start`. */
function holdsAt(text: string, start: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    if (text.charCodeAt(start + i) !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** `text`, interned: property names are, so the engine hands back its interned copy. */
function intern(text: string): string {
  return Object.keys({ [text]: 0 })[0]!;
}

/** The known key `body[start, end)`, remembered now if there is room; `undefined` otherwise. */
function knownKeyAt(body: string, start: number, end: number): KnownKey | undefined {
  const length = end - start;
  if (length > MAX_KNOWN_KEY_LENGTH) return undefined;
  // The slot depends on the key's own characters only, so a key always has the same one.
  const slot = length === 0
    ? 0
    : (length * 61 + body.charCodeAt(start) * 31 + body.charCodeAt(end - 1)) & (KEY_SLOTS - 1);
  const entry = knownKeys[slot];
  if (entry !== undefined) {
    if (!Array.isArray(entry)) {
      if (entry.name.length === length && holdsAt(body, start, entry.name)) return entry;
    } else {
      for (const known of entry) {
        if (known.name.length === length && holdsAt(body, start, known.name)) return known;
      }
    }
  }
  if (knownKeyCount >= MAX_KNOWN_KEYS) return undefined;
  const known: KnownKey = { name: intern(body.slice(start, end)), next: undefined };
  knownKeyCount++;
  if (entry === undefined) knownKeys[slot] = known;
  else if (Array.isArray(entry)) entry.push(known);
  else knownKeys[slot] = [entry, known];
  return known;
}

/**
 * Splits a frame's text into its fields, as `[k0, v0, k1, v1, …]`.
 *
 * Frames of a kind list their keys in the same order, so each line is first
 * tried against the key that followed the previous one last time: when the
 * guess holds (its text, then a colon), no search for the colon is needed.
 */
export function splitFields(body: string): string[] {
  const flat: string[] = [];
  const end = body.length;
  let position = 0;
  let colon = -1;
  let guess = firstKnownKey;
  /** The last known key, whose successor is learned from this line. */
  let previous: KnownKey | undefined;
  while (position <= end) {
    let known: KnownKey | undefined;
    if (
      guess !== undefined && holdsAt(body, position, guess.name) &&
      body.charCodeAt(position + guess.name.length) === COLON
    ) {
      // A known key holds no colon, so this is the first colon of the line, before its end.
      known = guess;
      colon = position + guess.name.length;
    }
    let eol = body.indexOf("\r\n", known === undefined ? position : colon + 1);
    if (eol === -1) eol = end;
    // Remember the next colon across colon-less lines so hostile frames stay linear.
    if (colon < position) {
      colon = body.indexOf(":", position);
      if (colon === -1) colon = end + 1;
    }
    if (colon < eol) {
      let valueStart = colon + 1;
      if (body.charCodeAt(valueStart) === SPACE) valueStart++;
      known ??= knownKeyAt(body, position, colon);
      flat.push(
        known === undefined ? body.slice(position, colon) : known.name,
        body.slice(valueStart, eol),
      );
    } else if (eol > position || position < end) {
      const line = body.slice(position, eol);
      if (flat.length === 0) {
        known = knownKeyAt(body, position, position);
        flat.push("", line);
      } else {
        flat[flat.length - 1] += "\r\n" + line;
      }
    }
    if (known !== undefined) {
      if (previous === undefined) firstKnownKey = known;
      else previous.next = known;
      previous = known;
      guess = known.next;
    } else {
      guess = undefined;
    }
    position = eol + 2;
  }
  return flat;
}

/**
 * The first value of the field whose key is exactly `key`, read from the
 * text without splitting the other lines; `undefined` when there is none.
 * Gives what {@linkcode splitFields} would, for any non-empty key (the empty
 * key also names a first line without a colon: split for that one).
 */
export function findFirstValue(body: string, key: string): string | undefined {
  // A key ends at the first colon of its line, so it holds neither a colon nor a line end.
  if (key.includes(":") || key.includes("\r\n")) return undefined;
  let keyStart: number;
  if (body.startsWith(key) && body.charCodeAt(key.length) === COLON) {
    keyStart = 0;
  } else {
    // Every CRLF ends a line, so CRLF, the key and a colon is a line with that key.
    const found = body.indexOf("\r\n" + key + ":");
    if (found === -1) return undefined;
    keyStart = found + 2;
  }
  return valueFrom(body, keyStart + key.length + 1, true);
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
    let next = body.indexOf("\r\n", position);
    if (next === -1) next = end;
    if (colon < position) {
      colon = body.indexOf(":", position);
      if (colon === -1) colon = end + 1;
    }
    // A line with a colon is the next field; an empty last line is no line at all.
    if (colon < next || (next === position && position === end)) break;
    value += "\r\n" + body.slice(position, next);
    position = next + 2;
  }
  return value;
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
