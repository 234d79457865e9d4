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
 *   behave as users expect.
 * - Most code reads a few fields of each event and drops it, so a message
 *   read from the wire keeps its text and reads fields only when asked: a
 *   message is a `Proxy` over that text. The first reads of single
 *   properties look the key up in the text; anything that needs every field
 *   (iterating, `get`, `Object.keys`) splits the text once; writing to the
 *   message turns its fields into real own properties first. Every way of
 *   reading gives what splitting the whole frame gives.
 * - Asterisk spells some keys differently from event to event (`Uniqueid` and
 *   `UniqueID`), so {@linkcode AmiMessage.get} and friends ignore case.
 * - A message parsed from the wire keeps its decoded text, so
 *   {@linkcode AmiMessage.toString} gives back exactly what was received.
 *
 * @module
 */

import {
  findFirstValue,
  findFirstValueIgnoringCase,
  firstField,
  splitFields,
  splitLegacyCommand,
} from "./fields.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Set just before the parser constructs a message and read by the
 * constructor: the text of the frame, whose fields are read when asked.
 */
let parsedBody: string | undefined;
/** The same, for a frame whose fields were split already (the legacy `Command` reply). */
let parsedFlat: string[] | undefined;
/** Reads of single properties answered from the text before the text is split once for all. */
const LOOKUPS_BEFORE_SPLIT = 3;
/** The message behind a proxy: a getter on the prototype, reached through the proxy. */
const TARGET: unique symbol = Symbol("AmiMessage.target");

/** The proxy handler that shows the first value of each key as an own property. */
let fieldsAsProperties: ProxyHandler<AmiMessage>;
/** The first value of each key, as a plain object. */
let ownView: (message: AmiMessage) => Record<string, string>;
let actionIdOf: (message: AmiMessage) => string | undefined;
let createParsed: (body: string, flat: string[] | undefined, receivedAt: number) => AmiMessage;

/** The message a proxy stands for (the proxy's target), or `message` itself. */
function targetOf(message: AmiMessage): AmiMessage {
  return (message as unknown as { [TARGET]: AmiMessage })[TARGET];
}

/** The text that starts the reply to `Command` in Asterisk 13 and older. */
const LEGACY_COMMAND_START = "Response: Follows\r\n";

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
 * One AMI frame: ordered fields, repeated keys kept, case-insensitive lookup.
 *
 * The first value of each key is an own property spelled as on the wire, so
 * `ev.Channel` works; a key that would hide a method (say a field named
 * `get`) is reachable through {@linkcode AmiMessage.get} only. A message is
 * a `Proxy` that reads its fields from the frame's text when asked, so
 * `structuredClone` and `postMessage` refuse it: pass
 * {@linkcode AmiMessage.toJSON} or {@linkcode AmiMessage.toString} instead.
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
  /** Keys and values, alternating: `[k0, v0, k1, v1, …]`; for a parsed frame, split when needed. */
  #flat: string[] | undefined;
  /** The decoded frame as received, without its closing empty line. */
  #source: string | undefined;
  #receivedAt: number;
  /** Whether the first values are real own properties (after a write), not answered by the proxy. */
  #materialized = false;
  /** Reads of single properties answered from the text so far. */
  #lookups = 0;
  /** The first field, once read: it gives `kind` and `name`. */
  #first: [string, string] | undefined;

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
   * import assert from "node:assert/strict";
   * const m = new AmiMessage([["Action", "Ping"], ["ActionID", "1"]]);
   * assert.equal(m.toString(), "Action: Ping\r\nActionID: 1\r\n\r\n");
   * ```
   */
  constructor(fields?: Iterable<readonly [string, string]>, receivedAt: number = Date.now()) {
    this.#receivedAt = receivedAt;
    if (parsedBody !== undefined) {
      this.#source = parsedBody;
      this.#flat = parsedFlat;
      parsedBody = parsedFlat = undefined;
    } else {
      const flat: string[] = [];
      if (fields !== undefined) { for (const [key, value] of fields) flat.push(key, value); }
      this.#flat = flat;
      this.#source = undefined;
    }
    return new Proxy(this, fieldsAsProperties);
  }

  /** The fields, split from the text on first use. */
  #fields(): string[] {
    return this.#flat ??= splitFields(this.#source!);
  }

  /** The first value of the field named exactly `key`, which hides no member. */
  #firstValue(key: string): string | undefined {
    let flat = this.#flat;
    if (flat === undefined) {
      if (this.#lookups < LOOKUPS_BEFORE_SPLIT && key.length > 0) {
        this.#lookups++;
        return findFirstValue(this.#source!, key);
      }
      flat = this.#fields();
    }
    for (let i = 0; i < flat.length; i += 2) if (flat[i] === key) return flat[i + 1];
    return undefined;
  }

  /** The keys that have an own property, in the order an object lists its keys. */
  #ownKeys(): string[] {
    const flat = this.#fields();
    const keys = new Set<string>();
    for (let i = 0; i < flat.length; i += 2) {
      const key = flat[i]!;
      if (!(key in this)) keys.add(key);
    }
    return orderLikeAnObject([...keys]);
  }

  /** Makes the first values real own properties, before anything writes to the message. */
  #materialize(): void {
    if (this.#materialized) return;
    this.#materialized = true;
    const flat = this.#fields();
    const target = this as unknown as Record<string, string>;
    for (let i = 0; i < flat.length; i += 2) {
      const key = flat[i]!;
      if (!(key in target)) target[key] = flat[i + 1]!;
    }
  }

  #firstField(): [string, string] | undefined {
    if (this.#first !== undefined) return this.#first;
    const flat = this.#flat;
    if (flat !== undefined) return flat.length === 0 ? undefined : [flat[0]!, flat[1]!];
    return this.#first = firstField(this.#source!);
  }

  static {
    /** Whether `key` is read from the fields: a string that names no member. */
    const isField = (target: AmiMessage, key: string | symbol): key is string =>
      typeof key === "string" && !target.#materialized && !(key in target);
    fieldsAsProperties = {
      get(target, key) {
        return isField(target, key) ? target.#firstValue(key) : Reflect.get(target, key);
      },
      has(target, key) {
        return isField(target, key)
          ? target.#firstValue(key) !== undefined
          : Reflect.has(target, key);
      },
      ownKeys(target) {
        return target.#materialized ? Reflect.ownKeys(target) : target.#ownKeys();
      },
      getOwnPropertyDescriptor(target, key) {
        if (!isField(target, key)) return Reflect.getOwnPropertyDescriptor(target, key);
        const value = target.#firstValue(key);
        return value === undefined
          ? undefined
          : { value, writable: true, enumerable: true, configurable: true };
      },
      set(target, key, value) {
        target.#materialize();
        return Reflect.set(target, key, value);
      },
      defineProperty(target, key, descriptor) {
        target.#materialize();
        return Reflect.defineProperty(target, key, descriptor);
      },
      deleteProperty(target, key) {
        target.#materialize();
        return Reflect.deleteProperty(target, key);
      },
      preventExtensions(target) {
        target.#materialize();
        return Reflect.preventExtensions(target);
      },
      setPrototypeOf(target, prototype) {
        target.#materialize();
        return Reflect.setPrototypeOf(target, prototype);
      },
    };
    ownView = (message) => {
      const target = targetOf(message);
      const view: Record<string, string> = {};
      if (target.#materialized) {
        for (const key of Object.keys(target)) {
          view[key] = (target as unknown as Record<string, string>)[key]!;
        }
      } else {
        for (const key of target.#ownKeys()) view[key] = target.#firstValue(key)!;
      }
      return view;
    };
    actionIdOf = (message) => {
      const target = targetOf(message);
      const source = target.#source;
      if (source !== undefined && target.#flat === undefined) {
        const found = findFirstValueIgnoringCase(source, "ActionID");
        if (found !== null) return found;
      }
      return target.get("ActionID");
    };
    createParsed = (body, flat, receivedAt) => {
      parsedBody = body;
      parsedFlat = flat;
      return new AmiMessage(undefined, receivedAt);
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
    const target = targetOf(this);
    const source = target.#source;
    // The first key is what precedes the first colon; Asterisk spells these two this way.
    if (source !== undefined && target.#flat === undefined) {
      if (source.startsWith("Event:")) return "event";
      if (source.startsWith("Response:")) return "response";
    }
    const first = target.#firstField()?.[0];
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
   * import assert from "node:assert/strict";
   * assert.equal(AmiMessage.fromString("Event: Hangup\r\n\r\n").name, "Hangup");
   * ```
   */
  get name(): string {
    return targetOf(this).#firstField()?.[1] ?? "";
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
    return targetOf(this).#receivedAt;
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
    return targetOf(this).#fields().length >> 1;
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
    const target = targetOf(this);
    const source = target.#source;
    if (source !== undefined && target.#flat === undefined) {
      const found = findFirstValueIgnoringCase(source, key);
      if (found !== null) return found;
    }
    const flat = target.#fields();
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
   * import assert from "node:assert/strict";
   * const m = AmiMessage.fromString("Response: Success\r\nOutput: a\r\nOutput: b\r\n\r\n");
   * assert.equal(m.getAll("output").join(), "a,b");
   * ```
   */
  getAll(key: string): string[] {
    const wanted = key.toLowerCase();
    const flat = targetOf(this).#fields();
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
    const flat = targetOf(this).#fields();
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
   * import assert from "node:assert/strict";
   * for (const [key, value] of AmiMessage.fromString("Event: A\r\n\r\n")) {
   *   assert.ok(key === "Event" && value === "A");
   * }
   * ```
   */
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return new FieldIterator(targetOf(this).#fields());
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
    const target = targetOf(this);
    if (target.#source !== undefined) return target.#source + "\r\n\r\n";
    const flat = target.#fields();
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
    const flat = targetOf(this).#fields();
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

/**
 * Orders keys as an object lists its own properties: integer keys (array
 * indexes) first, ascending, then the others in the order they came.
 */
function orderLikeAnObject(keys: string[]): string[] {
  const indexes = keys.filter(isArrayIndex);
  if (indexes.length === 0) return keys;
  indexes.sort((a, b) => Number(a) - Number(b));
  return [...indexes, ...keys.filter((key) => !isArrayIndex(key))];
}

/** Whether `key` is an array index: the canonical decimal form of an integer below 2³² − 1. */
function isArrayIndex(key: string): boolean {
  if (!/^(?:0|[1-9][0-9]{0,9})$/.test(key)) return false;
  return Number(key) < 2 ** 32 - 1;
}

/** Iterates split fields as `[key, value]` pairs. */
class FieldIterator implements IterableIterator<[string, string]> {
  readonly #flat: string[];
  #at = 0;

  constructor(flat: string[]) {
    this.#flat = flat;
  }

  next(): IteratorResult<[string, string], undefined> {
    const at = this.#at;
    const flat = this.#flat;
    if (at >= flat.length) return { value: undefined, done: true };
    this.#at = at + 2;
    return { value: [flat[at]!, flat[at + 1]!], done: false };
  }

  [Symbol.iterator](): this {
    return this;
  }
}
// Iterator helpers (`map`, `filter`, `toArray`, …) where the runtime has them, as for a generator.
Object.setPrototypeOf(
  FieldIterator.prototype,
  Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())),
);

Object.defineProperty(AmiMessage.prototype, TARGET, {
  get(this: AmiMessage): AmiMessage {
    return this;
  },
});

// Inspecting a proxy shows its target, whose fields may not be read yet; show the fields instead,
// as own properties under the class name (what inspecting a plain instance shows).
Object.defineProperty(AmiMessage.prototype, Symbol.for("Deno.customInspect"), {
  value(
    this: AmiMessage,
    inspect: (value: unknown, options?: unknown) => string,
    options?: unknown,
  ): string {
    return `AmiMessage ${inspect(ownView(this), options)}`;
  },
});
Object.defineProperty(AmiMessage.prototype, Symbol.for("nodejs.util.inspect.custom"), {
  value(
    this: AmiMessage,
    _depth: number,
    options: unknown,
    inspect: (value: unknown, options?: unknown) => string,
  ): string {
    return `AmiMessage ${inspect(ownView(this), options)}`;
  },
});

/**
 * The message's kind, as {@linkcode AmiMessage.kind} gives it, without
 * going through the proxy twice. Internal: the client routes by it.
 */
export function messageKind(message: AmiMessage): AmiMessageKind {
  return targetOf(message).kind;
}

/** `message.get(key)`, without going through the proxy twice. Internal. */
export function messageGet(message: AmiMessage, key: string): string | undefined {
  return targetOf(message).get(key);
}

/**
 * The message's `ActionID` (any case), as {@linkcode AmiMessage.actionId}
 * gives it, read from the text when it can be. Internal: the client routes
 * every message by it.
 */
export function messageActionId(message: AmiMessage): string | undefined {
  return actionIdOf(message);
}

/**
 * Builds a message from the decoded text of one frame, without its closing
 * empty line. Internal: used by the parser and by `fromString`.
 */
export function createMessage(body: string, receivedAt: number): AmiMessage {
  return createParsed(
    body,
    body.startsWith(LEGACY_COMMAND_START) ? splitLegacyCommand(body) : undefined,
    receivedAt,
  );
}
