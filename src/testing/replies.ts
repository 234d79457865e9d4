/**
 * What an action handler of {@linkcode AmiTestServer} may answer, and how each
 * answer becomes the text Asterisk would write.
 *
 * @module
 */

import { AmiMessage } from "../wire/message.ts";
import type { AmiFieldValue } from "../wire/message.ts";

/**
 * Fields of a frame the test server writes, in order. An array value writes
 * the key once per element; `undefined` leaves the key out.
 *
 * @example
 * ```ts
 * import type { AmiTestFields } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * const fields: AmiTestFields = { Response: "Success", Output: ["line 1", "line 2"] };
 * assert.ok(Array.isArray(fields.Output));
 * ```
 */
export interface AmiTestFields {
  /** Any field. */
  [key: string]: AmiFieldValue | readonly AmiFieldValue[] | undefined;
}

/**
 * An event to emit: `Event` names it. Give `Privilege` (e.g. `call,all`) so
 * that sessions' event masks can filter it, as Asterisk does.
 *
 * @example
 * ```ts
 * import type { AmiTestEvent } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * const hangup: AmiTestEvent = { Event: "Hangup", Privilege: "call,all", Channel: "Local/a", Cause: 16 };
 * assert.equal(hangup.Event, "Hangup");
 * ```
 */
export interface AmiTestEvent extends AmiTestFields {
  /** The event's name. */
  Event: string;
}

/** The options of {@linkcode eventList}. */
export interface AmiTestEventListOptions {
  /** The `Message` of the opening response; defaults to `Events will follow`. */
  message?: string;
  /** More fields for the opening response, written after `Message`. */
  response?: AmiTestFields;
  /** The name of the closing event; defaults to the action's name plus `Complete`. */
  completeEvent?: string;
  /** More fields for the closing event, written after `ListItems`. */
  completeFields?: AmiTestFields;
}

/**
 * An event list answer, made by {@linkcode eventList}.
 *
 * @example
 * ```ts
 * import { AmiTestEventList, eventList } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * assert.ok(eventList([]) instanceof AmiTestEventList);
 * ```
 */
export class AmiTestEventList {
  /** The list's items, in order. */
  readonly items: readonly (AmiTestEvent | AmiMessage)[];
  /** How the list opens and closes. */
  readonly options: AmiTestEventListOptions;

  /**
   * Creates a list; {@linkcode eventList} reads better.
   *
   * @param items The events, in order: fields or messages.
   * @param options How the list opens and closes.
   */
  constructor(items: Iterable<AmiTestEvent | AmiMessage>, options: AmiTestEventListOptions = {}) {
    this.items = [...items];
    this.options = options;
  }
}

/**
 * Answers an action with an event list, as Asterisk does for `Status` or
 * `CoreShowChannels`: `Response: Success` with `EventList: start` and a
 * `Message`, then each item with the request's ActionID, then a closing
 * `…Complete` event with `EventList: Complete` and `ListItems: N`.
 *
 * Each item gets the ActionID right after its `Event` line, or in place of its
 * own `ActionID` key if it has one (`Status` events carry it last).
 *
 * @param items The events, in order: fields or messages.
 * @param options The opening message and the closing event.
 * @returns The answer to return from a handler.
 *
 * @example
 * ```ts
 * import { AmiTestServer, eventList } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer();
 * server.handle("QueueStatus", () =>
 *   eventList([{ Event: "QueueParams", Queue: "support" }], {
 *     message: "Queue status will follow",
 *   }));
 * ```
 */
export function eventList(
  items: Iterable<AmiTestEvent | AmiMessage>,
  options: AmiTestEventListOptions = {},
): AmiTestEventList {
  return new AmiTestEventList(items, options);
}

/** What happens to the connection after a raw answer is written. */
export type AmiTestRawThen = "close" | "abort";

/**
 * Raw bytes to write as an answer, with nothing added, made by
 * {@linkcode rawReply}.
 *
 * @example
 * ```ts
 * import { AmiTestRawReply, rawReply } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * assert.ok(rawReply("Response: Success\r\n\r\n") instanceof AmiTestRawReply);
 * ```
 */
export class AmiTestRawReply {
  /** The bytes to write. */
  readonly data: Uint8Array;
  /** Whether to close or abort the connection once they are written. */
  readonly then: AmiTestRawThen | undefined;

  /**
   * Creates a raw answer; {@linkcode rawReply} reads better.
   *
   * @param data Text (sent as UTF-8) or bytes.
   * @param then Close or abort the connection afterwards.
   */
  constructor(data: string | Uint8Array, then?: AmiTestRawThen) {
    this.data = typeof data === "string" ? new TextEncoder().encode(data) : data;
    this.then = then;
  }
}

/**
 * Answers an action with raw bytes, then optionally closes or aborts the
 * connection: the way to send a broken or cut-short answer. A handler may
 * also return a plain string, which is written as is.
 *
 * @param data Text (sent as UTF-8) or bytes, written as they are.
 * @param options `then: "close"` ends the connection after the bytes,
 *   `then: "abort"` resets it.
 * @returns The answer to return from a handler.
 *
 * @example Closing in the middle of a response
 * ```ts
 * import { AmiTestServer, rawReply } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer();
 * server.handle("Ping", () => rawReply("Response: Success\r\nPi", { then: "close" }));
 * ```
 */
export function rawReply(
  data: string | Uint8Array,
  options: { then?: AmiTestRawThen } = {},
): AmiTestRawReply {
  return new AmiTestRawReply(data, options.then);
}

/**
 * What an action handler returns:
 * - fields or an {@linkcode AmiMessage}: a response; `Response` defaults to
 *   `Success` and comes first, the ActionID second (or where the fields put
 *   an `ActionID` key);
 * - an {@linkcode eventList}: a response opening an event list, the items and
 *   the closing event;
 * - a string or {@linkcode rawReply}: bytes written as they are;
 * - nothing: `Response: Success` alone.
 *
 * A handler that throws answers `Response: Error` with the error's message.
 *
 * @example
 * ```ts
 * import type { AmiTestReply } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * const reply: AmiTestReply = { Response: "Error", Message: "No such channel" };
 * assert.ok(reply !== undefined);
 * ```
 */
export type AmiTestReply =
  | AmiTestFields
  | AmiMessage
  | AmiTestEventList
  | AmiTestRawReply
  | string
  | undefined
  | void;

/**
 * Renders fields as frame text. `actionId` (when not `undefined`) is written
 * in place of an `ActionID` key, or after the first line when there is none;
 * when it is `undefined` every `ActionID` key is left out.
 */
export function renderFields(
  fields: AmiTestFields | AmiMessage | Iterable<readonly [string, string]>,
  actionId: string | undefined,
  firstLine?: readonly [string, string],
): string {
  const pairs = fieldPairs(fields);
  const hasOwn = pairs.some(isActionIdPair);
  const lines = firstLine === undefined ? pairs : [firstLine, ...pairs];
  let text = "";
  for (let i = 0; i < lines.length; i++) {
    const pair = lines[i]!;
    if (isActionIdPair(pair)) {
      if (actionId !== undefined) text += "ActionID: " + actionId + "\r\n";
      continue;
    }
    text += pair[0] + ": " + pair[1] + "\r\n";
    if (i === 0 && !hasOwn && actionId !== undefined) text += "ActionID: " + actionId + "\r\n";
  }
  return text + "\r\n";
}

function isActionIdPair(pair: readonly [string, string]): boolean {
  return pair[0].toLowerCase() === "actionid";
}

/** Fields as `[key, value]` pairs, arrays expanded and `undefined` dropped. */
export function fieldPairs(
  fields: AmiTestFields | AmiMessage | Iterable<readonly [string, string]>,
): [string, string][] {
  if (fields instanceof AmiMessage) return fields.fields();
  if (Symbol.iterator in fields) {
    return [...(fields as Iterable<readonly [string, string]>)].map(([k, v]) => [k, v]);
  }
  const pairs: [string, string][] = [];
  for (const key in fields) {
    const value = (fields as AmiTestFields)[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) { for (const item of value) pairs.push([key, String(item)]); }
    else pairs.push([key, String(value)]);
  }
  return pairs;
}

/**
 * Renders a handler's response fields: `Response` first (default `Success`),
 * then the ActionID, then the rest.
 */
export function renderResponse(
  fields: AmiTestFields | AmiMessage,
  actionId: string | undefined,
): string {
  const pairs = fieldPairs(fields);
  const index = pairs.findIndex(([key]) => key.toLowerCase() === "response");
  const status = index >= 0 ? pairs.splice(index, 1)[0]![1] : "Success";
  return renderFields(pairs, actionId, ["Response", status]);
}

/** Renders an event list answer to `actionName`. */
export function renderEventList(
  list: AmiTestEventList,
  actionName: string,
  actionId: string | undefined,
): string {
  const { options, items } = list;
  let text = renderFields(
    [
      ["EventList", "start"],
      ["Message", options.message ?? "Events will follow"],
      ...fieldPairs(options.response ?? {}),
    ],
    actionId,
    ["Response", "Success"],
  );
  for (const item of items) text += renderFields(item, actionId);
  text += renderFields(
    [
      ["Event", options.completeEvent ?? actionName + "Complete"],
      ["EventList", "Complete"],
      ["ListItems", String(items.length)],
      ...fieldPairs(options.completeFields ?? {}),
    ],
    actionId,
  );
  return text;
}

/** What `emit()` takes, as a message: frame text is parsed, fields are paired up. */
export function toMessage(event: AmiMessage | AmiTestFields | string): AmiMessage {
  if (typeof event === "string") return AmiMessage.fromString(event);
  if (event instanceof AmiMessage) return event;
  return new AmiMessage(fieldPairs(event));
}

/** Now as Asterisk writes it in `Timestamp`: seconds with six decimals. */
export function timestamp(now: number = Date.now()): string {
  return (now / 1000).toFixed(6);
}
