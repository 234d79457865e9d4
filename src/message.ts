/**
 * {@linkcode AmiMessage}: one AMI frame (a response, an event or an action)
 * as an ordered list of fields.
 *
 * Why this shape:
 * - AMI frames repeat keys (`ChanVariable`, `Output`, `Variable`, `Message`)
 *   and their order carries meaning, so the truth is an ordered list of
 *   `[key, value]` pairs, kept whole.
 * - Most code wants the first value of a key by name, so the first value of
 *   each key is also an own property spelled as on the wire (`ev.Channel`).
 *   Own properties make `{ ...ev }`, `Object.keys(ev)` and property access
 *   behave as users expect, and cost one store per field.
 * - Asterisk spells some keys differently from event to event (`Uniqueid` and
 *   `UniqueID`), so {@linkcode AmiMessage.get} and friends ignore case.
 * - A message parsed from the wire keeps its decoded text, so
 *   {@linkcode AmiMessage.toString} gives back exactly what was received.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

let fromFlat: (flat: string[], source: string | undefined, receivedAt: number) => AmiMessage;
let fromSource: (flat: string[], source: string, receivedAt: number) => AmiMessage;

/** The text that starts the reply to `Command` in Asterisk 13 and older. */
const LEGACY_COMMAND_START = "Response: Follows\r\n";
/** The text that ends the reply to `Command` in Asterisk 13 and older. */
export const LEGACY_COMMAND_END = "--END COMMAND--";

/**
 * What kind of frame a message is, from its first key: `Event`, `Response`
 * or `Action`; anything else is `unknown`.
 *
 * @example
 * ```ts
 * import { AmiMessage, type AmiMessageKind } from "@x/ami";
 * const kind: AmiMessageKind = AmiMessage.fromString("Event: Hangup\r\n\r\n").kind;
 * console.assert(kind === "event");
 * ```
 */
export type AmiMessageKind = "event" | "response" | "action" | "unknown";

/**
 * A value that can be written as a field: strings as they are, numbers in
 * decimal, booleans as `true`/`false`.
 *
 * @example
 * ```ts
 * import type { AmiFieldValue } from "@x/ami";
 * const timeout: AmiFieldValue = 30000;
 * console.assert(String(timeout) === "30000");
 * ```
 */
export type AmiFieldValue = string | number | boolean;

/**
 * One AMI frame: ordered fields, repeated keys kept, case-insensitive lookup.
 *
 * The first value of each key is an own property spelled as on the wire, so
 * `ev.Channel` works; a key that would hide a method (say a field named
 * `get`) is reachable through {@linkcode AmiMessage.get} only.
 *
 * @example Reading fields
 * ```ts
 * import { AmiMessage } from "@x/ami";
 * import assert from "node:assert/strict";
 *
 * const ev = AmiMessage.fromString(
 *   "Event: Cdr\r\nUniqueID: 42\r\nChanVariable: A=1\r\nChanVariable: B=2\r\n\r\n",
 * );
 * assert.equal(ev.kind, "event");
 * assert.equal(ev.name, "Cdr");
 * assert.equal(ev.get("uniqueid"), "42");
 * assert.deepEqual(ev.getAll("ChanVariable"), ["A=1", "B=2"]);
 * ```
 */
export class AmiMessage {
  /** Keys and values, alternating: `[k0, v0, k1, v1, …]`. */
  #flat: string[];
  /** The decoded frame as received, without its closing empty line. */
  #source: string | undefined;
  #receivedAt: number;

  /**
   * Creates a message from fields in order.
   *
   * @param fields `[key, value]` pairs, in order; repeated keys are kept.
   * @param receivedAt When the message was received (ms since the epoch);
   *   defaults to now.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * const m = new AmiMessage([["Action", "Ping"], ["ActionID", "1"]]);
   * console.assert(m.toString() === "Action: Ping\r\nActionID: 1\r\n\r\n");
   * ```
   */
  constructor(fields?: Iterable<readonly [string, string]>, receivedAt: number = Date.now()) {
    const flat: string[] = [];
    if (fields !== undefined) { for (const [key, value] of fields) flat.push(key, value); }
    this.#flat = flat;
    this.#source = undefined;
    this.#receivedAt = receivedAt;
    assignFirstValues(this, flat);
  }

  static {
    // Gives the parser a fast path into the private fields without making it public API.
    fromFlat = (flat, source, receivedAt) => {
      const message = new AmiMessage(undefined, receivedAt);
      message.#flat = flat;
      message.#source = source;
      assignFirstValues(message, flat);
      return message;
    };
    // The same, for a message whose fields the caller fills in (own properties included).
    fromSource = (flat, source, receivedAt) => {
      const message = new AmiMessage(undefined, receivedAt);
      message.#flat = flat;
      message.#source = source;
      return message;
    };
  }

  /**
   * Parses one frame from text. The closing empty line is optional; the
   * legacy `Response: Follows` reply to `Command` becomes `Output` fields.
   *
   * @param text One frame.
   * @returns The message.
   *
   * @example
   * ```ts
   * import { AmiMessage, type AmiResponse } from "@x/ami";
   * const m = AmiMessage.fromString("Response: Success\r\nPing: Pong\r\n\r\n") as AmiResponse;
   * console.assert(m.Ping === "Pong");
   * ```
   */
  static fromString(text: string): AmiMessage {
    let body = text;
    while (body.endsWith("\r\n")) body = body.slice(0, -2);
    return createMessage(body, Date.now());
  }

  /**
   * Parses one frame from UTF-8 bytes; see {@linkcode AmiMessage.fromString}.
   * Invalid UTF-8 becomes U+FFFD.
   *
   * @param bytes One frame.
   * @returns The message.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * const bytes = new TextEncoder().encode("Event: FullyBooted\r\n\r\n");
   * console.assert(AmiMessage.fromBytes(bytes).name === "FullyBooted");
   * ```
   */
  static fromBytes(bytes: Uint8Array): AmiMessage {
    return AmiMessage.fromString(decoder.decode(bytes));
  }

  /**
   * `event`, `response`, `action` or `unknown`, from the first key. An
   * `OriginateResponse` carries a `Response` field, yet it is an event.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * const m = AmiMessage.fromString("Event: OriginateResponse\r\nResponse: Success\r\n\r\n");
   * console.assert(m.kind === "event");
   * ```
   */
  get kind(): AmiMessageKind {
    const first = this.#flat[0];
    if (first === undefined) return "unknown";
    switch (first.toLowerCase()) {
      case "event":
        return "event";
      case "response":
        return "response";
      case "action":
        return "action";
      default:
        return "unknown";
    }
  }

  /**
   * The first value: the event name, the response status or the action name.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * console.assert(AmiMessage.fromString("Event: Hangup\r\n\r\n").name === "Hangup");
   * ```
   */
  get name(): string {
    return this.#flat[1] ?? "";
  }

  /**
   * The `ActionID`, whatever its case, or `undefined`.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * const m = AmiMessage.fromString("Response: Success\r\nActionID: 7\r\n\r\n");
   * console.assert(m.actionId === "7");
   * ```
   */
  get actionId(): string | undefined {
    return this.get("ActionID");
  }

  /**
   * When the message was received, in milliseconds since the epoch.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * const m = new AmiMessage([["Event", "X"]], 1000);
   * console.assert(m.receivedAt === 1000);
   * ```
   */
  get receivedAt(): number {
    return this.#receivedAt;
  }

  /**
   * How many fields the message has, repeated keys counted each time.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * console.assert(AmiMessage.fromString("Event: A\r\nX: 1\r\nX: 2\r\n\r\n").size === 3);
   * ```
   */
  get size(): number {
    return this.#flat.length >> 1;
  }

  /**
   * The first value of a key, ignoring case, or `undefined`.
   *
   * @param key The field name, in any case.
   * @returns Its first value.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * const m = AmiMessage.fromString("Event: Cdr\r\nUniqueID: 1\r\n\r\n");
   * console.assert(m.get("Uniqueid") === "1");
   * ```
   */
  get(key: string): string | undefined {
    const flat = this.#flat;
    let wanted: string | undefined;
    for (let i = 0; i < flat.length; i += 2) {
      const candidate = flat[i]!;
      if (candidate === key) return flat[i + 1];
      if (sameKeyIgnoringCase(candidate, key, wanted ??= key.toLowerCase())) return flat[i + 1];
    }
    return undefined;
  }

  /**
   * Every value of a key, in order, ignoring case.
   *
   * @param key The field name, in any case.
   * @returns The values; empty when the key is absent.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * const m = AmiMessage.fromString("Response: Success\r\nOutput: a\r\nOutput: b\r\n\r\n");
   * console.assert(m.getAll("output").join() === "a,b");
   * ```
   */
  getAll(key: string): string[] {
    const wanted = key.toLowerCase();
    const flat = this.#flat;
    const values: string[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const candidate = flat[i]!;
      if (candidate === key || sameKeyIgnoringCase(candidate, key, wanted)) {
        values.push(flat[i + 1]!);
      }
    }
    return values;
  }

  /**
   * Whether the key is present, ignoring case.
   *
   * @param key The field name, in any case.
   * @returns `true` when at least one field has that key.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * console.assert(AmiMessage.fromString("Event: A\r\nKey: \r\n\r\n").has("key"));
   * ```
   */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * All fields in order, as `[key, value]` pairs.
   *
   * @returns A new array of pairs.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * const m = AmiMessage.fromString("Event: A\r\nX: 1\r\n\r\n");
   * console.assert(JSON.stringify(m.fields()) === '[["Event","A"],["X","1"]]');
   * ```
   */
  fields(): [string, string][] {
    const flat = this.#flat;
    const pairs: [string, string][] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
    return pairs;
  }

  /**
   * Iterates the fields in order as `[key, value]` pairs.
   *
   * @returns An iterator of pairs.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * for (const [key, value] of AmiMessage.fromString("Event: A\r\n\r\n")) {
   *   console.assert(key === "Event" && value === "A");
   * }
   * ```
   */
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    const flat = this.#flat;
    for (let i = 0; i < flat.length; i += 2) yield [flat[i]!, flat[i + 1]!];
  }

  /**
   * The frame as text, closing empty line included. A parsed message gives
   * back exactly the text it was parsed from; others are serialized as
   * `Key: value` lines.
   *
   * @returns The frame.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * const text = "Event: A\r\nPadded:   two spaces kept\r\n\r\n";
   * console.assert(AmiMessage.fromString(text).toString() === text);
   * ```
   */
  toString(): string {
    if (this.#source !== undefined) return this.#source + "\r\n\r\n";
    const flat = this.#flat;
    let text = "";
    for (let i = 0; i < flat.length; i += 2) text += flat[i] + ": " + flat[i + 1] + "\r\n";
    return text + "\r\n";
  }

  /**
   * The frame as UTF-8 bytes; see {@linkcode AmiMessage.toString}.
   *
   * @returns The frame's bytes.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * const bytes = AmiMessage.fromString("Event: A\r\n\r\n").toBytes();
   * console.assert(bytes.length === 12);
   * ```
   */
  toBytes(): Uint8Array {
    return encoder.encode(this.toString());
  }

  /**
   * A plain object for `JSON.stringify`: each key once, in order of first
   * appearance; a repeated key's values become an array.
   *
   * @returns The fields as an object.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * const m = AmiMessage.fromString("Event: A\r\nV: 1\r\nV: 2\r\n\r\n");
   * console.assert(JSON.stringify(m) === '{"Event":"A","V":["1","2"]}');
   * ```
   */
  toJSON(): Record<string, string | string[]> {
    const flat = this.#flat;
    const object: Record<string, string | string[]> = Object.create(null);
    for (let i = 0; i < flat.length; i += 2) {
      const key = flat[i]!;
      const value = flat[i + 1]!;
      const seen = object[key];
      if (seen === undefined) object[key] = value;
      else if (typeof seen === "string") object[key] = [seen, value];
      else seen.push(value);
    }
    return { ...object };
  }
}

/**
 * Whether `candidate` is `key` ignoring case (`wanted` is `key` in lower
 * case). The length check skips most keys without lowercasing them; it only
 * differs from comparing lowercased strings for U+0130, which no AMI key holds.
 */
function sameKeyIgnoringCase(candidate: string, key: string, wanted: string): boolean {
  return candidate.length === key.length && candidate.toLowerCase() === wanted;
}

/** Makes the first value of each key an own property, unless it would hide a member. */
function assignFirstValues(message: AmiMessage, flat: string[]): void {
  const target = message as unknown as Record<string, string>;
  for (let i = 0; i < flat.length; i += 2) {
    const key = flat[i]!;
    if (!(key in target)) target[key] = flat[i + 1]!;
  }
}

/**
 * Builds a message from the decoded text of one frame, without its closing
 * empty line. Internal: used by the parser and by `fromString`.
 */
export function createMessage(body: string, receivedAt: number): AmiMessage {
  if (body.startsWith(LEGACY_COMMAND_START)) {
    return fromFlat(splitLegacyCommand(body), body, receivedAt);
  }
  const flat: string[] = [];
  const message = fromSource(flat, body, receivedAt);
  splitInto(body, flat, message as unknown as Record<string, string>);
  return message;
}

/**
 * Splits a frame's text into alternating keys and values. Lines end in CRLF;
 * a bare LF belongs to the value. The key ends at the first colon and one
 * space after it is dropped. A line with no colon continues the previous
 * value (Asterisk wrote a value containing CRLF), joined back with CRLF.
 */
export function splitFields(body: string): string[] {
  const flat: string[] = [];
  splitInto(body, flat, undefined);
  return flat;
}

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
 * Splits `body` into `flat` (see {@linkcode splitFields}) and, when `target`
 * is given, makes the first value of each key its own property in the same
 * pass, unless the key would hide a member.
 *
 * Frames of a kind list their keys in the same order, so each line is first
 * tried against the key that followed the previous one last time: when the
 * guess holds (its text, then a colon), no search for the colon is needed.
 */
function splitInto(body: string, flat: string[], target: Record<string, string> | undefined): void {
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
function splitLegacyCommand(body: string): string[] {
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
