/**
 * {@linkcode AmiMessage}: one AMI frame (a response, an event or an action)
 * as plain, immutable data.
 *
 * Why this shape:
 * - AMI frames repeat keys (`ChanVariable`, `Output`, `Variable`, `Message`)
 *   and their order carries meaning, so the truth is an ordered list of
 *   `[key, value]` pairs, kept whole.
 * - Most code wants the first value of a key by name, so the first value of
 *   each key is also an own property spelled as on the wire (`ev.Channel`).
 *   Own properties make `{ ...ev }`, `Object.keys(ev)`, `structuredClone`
 *   and property access behave as on any plain object.
 * - A message is frozen once built: what `ev.Channel`, `get`, `toString` and
 *   `toJSON` answer can never disagree.
 * - A field named like a member (`get`, `name`, `toString`, `__proto__`, …)
 *   is not an own property, so it never hides a member nor sets a
 *   prototype; {@linkcode AmiMessage.get} still reads it.
 * - Asterisk spells some keys differently from event to event (`Uniqueid` and
 *   `UniqueID`), so {@linkcode AmiMessage.get} and friends ignore case.
 * - A message parsed from the wire keeps its decoded text, so
 *   {@linkcode AmiMessage.toString} gives back exactly what was received.
 *
 * Building one is a single pass over the frame's text (see
 * {@linkcode splitFields}), then one property per distinct key, in wire
 * order: same-shaped events get the same object layout.
 *
 * @module
 */

import {
  type KnownKeys,
  LEGACY_COMMAND_START,
  sameKeyIgnoringCase,
  splitFields,
  splitLegacyCommand,
} from "./fields.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * What kind of frame a message is, from its first key: `Event`, `Response`
 * or `Action`; anything else is `unknown`.
 *
 * @example
 * ```ts
 * import { AmiMessage, type AmiMessageKind } from "@x/ami";
 * import assert from "node:assert/strict";
 * const kind: AmiMessageKind = AmiMessage.fromString("Event: Hangup\r\n\r\n").kind;
 * assert.equal(kind, "event");
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
 * import assert from "node:assert/strict";
 * const timeout: AmiFieldValue = 30000;
 * assert.equal(String(timeout), "30000");
 * ```
 */
export type AmiFieldValue = string | number | boolean;

/**
 * The decoded text of one frame, without its closing empty line: what the
 * parser hands to the constructor. Not exported, so only this module builds
 * a message that keeps its text; iterating it gives its fields, as for any
 * other source of fields.
 */
class FrameText implements Iterable<[string, string]> {
  constructor(readonly body: string, readonly known: KnownKeys | undefined) {}

  /** Keys and values, alternating: `[k0, v0, k1, v1, …]`. */
  split(): string[] {
    return this.body.startsWith(LEGACY_COMMAND_START)
      ? splitLegacyCommand(this.body)
      : splitFields(this.body, this.known);
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return pairsOf(this.split())[Symbol.iterator]();
  }
}

/**
 * One AMI frame: ordered fields, repeated keys kept, case-insensitive lookup.
 *
 * The first value of each key is an own property spelled as on the wire, so
 * `ev.Channel` works. A key named like a member (`get`, `name`, `kind`,
 * `size`, `toString`, `__proto__`, …) is no own property: the member wins,
 * and {@linkcode AmiMessage.get} reads the field. A message is frozen:
 * assigning to it throws in strict code. `structuredClone` and
 * `postMessage` copy its own properties (the first values) into a plain
 * object; pass {@linkcode AmiMessage.toJSON} or
 * {@linkcode AmiMessage.toString} to keep every field.
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
 * assert.throws(() => {
 *   (ev as unknown as Record<string, string>).Event = "Changed";
 * }, TypeError);
 * ```
 */
export class AmiMessage {
  /** Keys and values, alternating: `[k0, v0, k1, v1, …]`. */
  readonly #flat: string[];
  /** The decoded frame as received, without its closing empty line; none for a built one. */
  readonly #source: string | undefined;
  readonly #receivedAt: number;
  readonly #seq: number | undefined;
  readonly #kind: AmiMessageKind;

  /**
   * Creates a message from fields in order.
   *
   * @param fields `[key, value]` pairs, in order; repeated keys are kept.
   * @param receivedAt When the message was received (ms since the epoch);
   *   defaults to now.
   * @param seq Its place in the order its client read frames (see
   *   {@linkcode AmiMessage.seq}); none for a message built by hand.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * import assert from "node:assert/strict";
   * const m = new AmiMessage([["Action", "Ping"], ["ActionID", "1"]]);
   * assert.equal(m.toString(), "Action: Ping\r\nActionID: 1\r\n\r\n");
   * ```
   */
  constructor(
    fields?: Iterable<readonly [string, string]>,
    receivedAt: number = Date.now(),
    seq?: number,
  ) {
    let flat: string[];
    if (fields instanceof FrameText) {
      this.#source = fields.body;
      flat = fields.split();
    } else {
      this.#source = undefined;
      flat = [];
      if (fields !== undefined) { for (const [key, value] of fields) flat.push(key, value); }
    }
    this.#flat = flat;
    this.#receivedAt = receivedAt;
    this.#seq = seq;
    this.#kind = kindOf(flat[0]);
    const properties = this as unknown as Record<string, string>;
    for (let i = 0; i < flat.length; i += 2) {
      const key = flat[i]!;
      // A repeated key keeps its first value; a member's name stays the member's. (`hasOwn` first:
      // it is the cheaper test, and it leaves the key hashed for the set and the store.)
      if (Object.hasOwn(properties, key) || MEMBER_NAMES.has(key)) continue;
      properties[key] = flat[i + 1]!;
    }
    Object.freeze(this);
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
   * import assert from "node:assert/strict";
   * const m = AmiMessage.fromString("Response: Success\r\nPing: Pong\r\n\r\n") as AmiResponse;
   * assert.equal(m.Ping, "Pong");
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
   * import assert from "node:assert/strict";
   * const bytes = new TextEncoder().encode("Event: FullyBooted\r\n\r\n");
   * assert.equal(AmiMessage.fromBytes(bytes).name, "FullyBooted");
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
   * import assert from "node:assert/strict";
   * const m = AmiMessage.fromString("Event: OriginateResponse\r\nResponse: Success\r\n\r\n");
   * assert.equal(m.kind, "event");
   * ```
   */
  get kind(): AmiMessageKind {
    return this.#kind;
  }

  /**
   * The first value: the event name, the response status or the action name.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * import assert from "node:assert/strict";
   * assert.equal(AmiMessage.fromString("Event: Hangup\r\n\r\n").name, "Hangup");
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
   * import assert from "node:assert/strict";
   * const m = AmiMessage.fromString("Response: Success\r\nActionID: 7\r\n\r\n");
   * assert.equal(m.actionId, "7");
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
   * import assert from "node:assert/strict";
   * const m = new AmiMessage([["Event", "X"]], 1000);
   * assert.equal(m.receivedAt, 1000);
   * ```
   */
  get receivedAt(): number {
    return this.#receivedAt;
  }

  /**
   * The message's place in the order its client read frames: increasing by
   * one per frame, across reconnects, for every event and response a client
   * receives; `undefined` for a message not read by a client. Code that
   * combines a list with the event stream compares an event's `seq` with
   * the `seq` of the list's opening response to tell which came first.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * import assert from "node:assert/strict";
   * assert.equal(new AmiMessage([["Event", "X"]], 1000, 7).seq, 7);
   * assert.equal(new AmiMessage([["Event", "X"]]).seq, undefined);
   * ```
   */
  get seq(): number | undefined {
    return this.#seq;
  }

  /**
   * How many fields the message has, repeated keys counted each time.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * import assert from "node:assert/strict";
   * assert.equal(AmiMessage.fromString("Event: A\r\nX: 1\r\nX: 2\r\n\r\n").size, 3);
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
   * import assert from "node:assert/strict";
   * const m = AmiMessage.fromString("Event: Cdr\r\nUniqueID: 1\r\n\r\n");
   * assert.equal(m.get("Uniqueid"), "1");
   * ```
   */
  get(key: string): string | undefined {
    const flat = this.#flat;
    let wanted: string | undefined;
    for (let i = 0; i < flat.length; i += 2) {
      const candidate = flat[i]!;
      if (candidate === key) return flat[i + 1];
      if (candidate.length !== key.length) continue;
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
   * import assert from "node:assert/strict";
   * const m = AmiMessage.fromString("Response: Success\r\nOutput: a\r\nOutput: b\r\n\r\n");
   * assert.equal(m.getAll("output").join(), "a,b");
   * ```
   */
  getAll(key: string): string[] {
    const flat = this.#flat;
    const wanted = key.toLowerCase();
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
   * import assert from "node:assert/strict";
   * assert.ok(AmiMessage.fromString("Event: A\r\nKey: \r\n\r\n").has("key"));
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
   * import assert from "node:assert/strict";
   * const m = AmiMessage.fromString("Event: A\r\nX: 1\r\n\r\n");
   * assert.equal(JSON.stringify(m.fields()), '[["Event","A"],["X","1"]]');
   * ```
   */
  fields(): [string, string][] {
    return pairsOf(this.#flat);
  }

  /**
   * Iterates the fields in order as `[key, value]` pairs.
   *
   * @returns An iterator of pairs.
   *
   * @example
   * ```ts
   * import { AmiMessage } from "@x/ami";
   * import assert from "node:assert/strict";
   * for (const [key, value] of AmiMessage.fromString("Event: A\r\n\r\n")) {
   *   assert.ok(key === "Event" && value === "A");
   * }
   * ```
   */
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return pairsOf(this.#flat)[Symbol.iterator]();
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
   * import assert from "node:assert/strict";
   * const text = "Event: A\r\nPadded:   two spaces kept\r\n\r\n";
   * assert.equal(AmiMessage.fromString(text).toString(), text);
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
   * import assert from "node:assert/strict";
   * const bytes = AmiMessage.fromString("Event: A\r\n\r\n").toBytes();
   * assert.equal(bytes.length, 12);
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
   * import assert from "node:assert/strict";
   * const m = AmiMessage.fromString("Event: A\r\nV: 1\r\nV: 2\r\n\r\n");
   * assert.equal(JSON.stringify(m), '{"Event":"A","V":["1","2"]}');
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
    // Built without a prototype so that no key (`__proto__`, `constructor`) meets an inherited one.
    return Object.setPrototypeOf(object, Object.prototype);
  }
}

/**
 * Names no field may take as an own property: every member of a message,
 * its own and those it inherits from `Object.prototype` (`__proto__`,
 * `constructor`, `hasOwnProperty`, …).
 */
const MEMBER_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(AmiMessage.prototype),
  ...Object.getOwnPropertyNames(Object.prototype),
]);

/** The kind of a frame whose first key is `first`. */
function kindOf(first: string | undefined): AmiMessageKind {
  // Asterisk spells the first key this way; only another spelling needs lowering.
  if (first === "Event") return "event";
  if (first === "Response") return "response";
  switch (first?.toLowerCase()) {
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

/** `[k0, v0, k1, v1, …]` as new `[key, value]` pairs. */
function pairsOf(flat: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  return pairs;
}

/**
 * Builds a message from the decoded text of one frame, without its closing
 * empty line; the message keeps that text for `toString`. Internal: used by
 * the parser (with its table of known keys) and by `fromString`.
 */
export function createMessage(
  body: string,
  receivedAt: number,
  seq?: number,
  known?: KnownKeys,
): AmiMessage {
  return new AmiMessage(new FrameText(body, known), receivedAt, seq);
}
