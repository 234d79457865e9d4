/**
 * Splitting a frame's text into fields: keys and values in order, repeated
 * keys kept, and the first value of each key made an own property of the
 * message in the same pass. Frames repeat the same few dozen keys in the same
 * order, so keys are remembered (in a bounded table) rather than sliced again
 * for every frame.
 *
 * @module
 */

import { AmiMessage } from "./message.ts";

/** The text that ends the reply to `Command` in Asterisk 13 and older. */
export const LEGACY_COMMAND_END = "--END COMMAND--";

/**
 * A key seen in an earlier frame. Frames repeat the same few dozen keys, so
 * each is sliced (and hashed by the engine) once, not once per frame.
 */
interface KnownKey {
  readonly name: string;
  /** Whether an own property of that name would hide a member of AmiMessage. */
  readonly hidesMember: boolean;
  /** The frame that last gave this key an own property: only its first value gets one. */
  stamp: number;
  /** The key that came after this one last time: the first guess for the next line. */
  next: KnownKey | undefined;
}

/** Slots of the known-key table, found from a key's length and its first and last characters. */
const KEY_SLOTS = 4096;
/** Bounds on what is remembered, so a server sending endless new keys cannot grow memory. */
const MAX_KNOWN_KEYS = 2048;
const MAX_KNOWN_KEY_LENGTH = 64;
/** Stamps stay small integers; on wrapping, every known key's stamp is reset. */
const MAX_STAMP = 0x3fff_ffff;
const knownKeys: (KnownKey | KnownKey[] | undefined)[] = new Array(KEY_SLOTS);
const allKnownKeys: KnownKey[] = [];
let currentStamp = 0;
/** The key that began the last frame: the first guess for the next frame. */
let firstKnownKey: KnownKey | undefined;

function nextStamp(): number {
  if (currentStamp === MAX_STAMP) {
    for (const known of allKnownKeys) known.stamp = 0;
    currentStamp = 0;
  }
  return ++currentStamp;
}

/** Whether `text` holds `name` at `start`. */
function holdsAt(text: string, start: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    if (text.charCodeAt(start + i) !== name.charCodeAt(i)) return false;
  }
  return true;
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
  if (allKnownKeys.length >= MAX_KNOWN_KEYS) return undefined;
  const name = body.slice(start, end);
  const known: KnownKey = {
    name,
    hidesMember: name in AmiMessage.prototype,
    stamp: 0,
    next: undefined,
  };
  allKnownKeys.push(known);
  if (entry === undefined) knownKeys[slot] = known;
  else if (Array.isArray(entry)) entry.push(known);
  else knownKeys[slot] = [entry, known];
  return known;
}

/**
 * Adds a field to `flat` and, when it is the key's first value and hides no
 * member, to `target`. The key is `known`, or `body[keyStart, keyEnd)` when
 * it is not remembered. Returns whether the field went to `target`.
 */
function addField(
  known: KnownKey | undefined,
  body: string,
  keyStart: number,
  keyEnd: number,
  value: string,
  flat: string[],
  target: Record<string, string> | undefined,
  stamp: number,
): boolean {
  let key: string;
  let owned: boolean;
  if (known !== undefined) {
    key = known.name;
    owned = target !== undefined && known.stamp !== stamp && !known.hidesMember;
    known.stamp = stamp;
  } else {
    key = body.slice(keyStart, keyEnd);
    owned = target !== undefined && !(key in target);
  }
  flat.push(key, value);
  if (owned) target![key] = value;
  return owned;
}

/**
 * Splits a frame's text into `flat`, alternating keys and values, and, when
 * `target` is given, makes the first value of each key its own property in
 * the same pass, unless the key would hide a member. Lines end in CRLF; a
 * bare LF belongs to the value. The key ends at the first colon and one space
 * after it is dropped. A line with no colon continues the previous value
 * (Asterisk wrote a value containing CRLF), joined back with CRLF.
 *
 * Frames of a kind list their keys in the same order, so each line is first
 * tried against the key that followed the previous one last time: when the
 * guess holds (its text, then a colon), no search for the colon is needed.
 */
export function splitInto(
  body: string,
  flat: string[],
  target: Record<string, string> | undefined,
): void {
  const stamp = nextStamp();
  const end = body.length;
  let position = 0;
  let colon = -1;
  /** Whether the last field became an own property, which a continuation line must update. */
  let lastOwned = false;
  let guess = firstKnownKey;
  /** The last known key, whose successor is learned from this line. */
  let previous: KnownKey | undefined;
  while (position <= end) {
    let known: KnownKey | undefined;
    if (
      guess !== undefined && holdsAt(body, position, guess.name) &&
      body.charCodeAt(position + guess.name.length) === 58
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
      if (body.charCodeAt(valueStart) === 32) valueStart++;
      known ??= knownKeyAt(body, position, colon);
      const value = body.slice(valueStart, eol);
      lastOwned = addField(known, body, position, colon, value, flat, target, stamp);
    } else if (eol > position || position < end) {
      const line = body.slice(position, eol);
      if (flat.length === 0) {
        known = knownKeyAt(body, position, position);
        lastOwned = addField(known, body, position, position, line, flat, target, stamp);
      } else {
        const value = flat[flat.length - 1] + "\r\n" + line;
        flat[flat.length - 1] = value;
        if (lastOwned) target![flat[flat.length - 2]!] = value;
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
