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

import { splitInto, splitLegacyCommand } from "./fields.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

let fromFlat: (flat: string[], source: string | undefined, receivedAt: number) => AmiMessage;
let fromSource: (flat: string[], source: string, receivedAt: number) => AmiMessage;

/** The text that starts the reply to `Command` in Asterisk 13 and older. */
const LEGACY_COMMAND_START = "Response: Follows\r\n";

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
    // Asterisk spells the first key this way; only another spelling needs lowering.
    if (first === "Event") return "event";
    if (first === "Response") return "response";
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
 * case). The length check skips most keys; an ASCII key (all AMI keys are)
 * is then compared one character at a time, lowering A–Z on the way, so no
 * string is built. Any other character falls back to `toLowerCase`. This
 * only differs from comparing lowercased strings for U+0130, which no AMI
 * key holds.
 */
function sameKeyIgnoringCase(candidate: string, key: string, wanted: string): boolean {
  const length = candidate.length;
  if (length !== key.length) return false;
  if (wanted.length !== length) return candidate.toLowerCase() === wanted;
  for (let i = 0; i < length; i++) {
    const code = candidate.charCodeAt(i);
    if (code >= 128) return candidate.toLowerCase() === wanted;
    const lower = code >= 65 && code <= 90 ? code + 32 : code;
    // Lowering the ASCII characters before this one kept their positions, so this one decides.
    if (lower !== wanted.charCodeAt(i)) return false;
  }
  return true;
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
