/**
 * The typed views of a received message: its fields read by name, as
 * `string | undefined`, with the fields every event or response carries
 * typed. They sit beside {@linkcode AmiMessage}, below the errors and the
 * parser, so that what those hand out (`error.response`, the parser's
 * messages) reads typed too. Nothing here exists at run time.
 *
 * @module
 */

import type { AmiMessage } from "./message.ts";

/**
 * Any field of a message, by name: the first value, or `undefined`. Types
 * stay open: a field Asterisk adds in a later version is still readable.
 *
 * @example
 * ```ts
 * import type { AmiFields } from "@x/ami";
 * import assert from "node:assert/strict";
 * const fields: AmiFields = { Event: "Hangup", Channel: "PJSIP/100-00000001" };
 * assert.ok(fields.Channel?.startsWith("PJSIP"));
 * ```
 */
export interface AmiFields {
  /** The first value of the field, or `undefined` when it is absent. */
  readonly [field: string]: string | undefined;
}

/**
 * Any string. In a union with string literals it keeps editors offering the
 * literals while every other string is still accepted: Asterisk adds values
 * between versions.
 *
 * @example
 * ```ts
 * import type { AmiAnyString } from "@x/ami";
 * import assert from "node:assert/strict";
 * type State = "Up" | "Down" | AmiAnyString;
 * const state: State = "Dialing Offhook";
 * assert.ok(state.length > 0);
 * ```
 */
export type AmiAnyString = string & Record<never, never>;

/**
 * The fields every event may carry. Each event type of the catalog extends
 * it with its own fields and a literal `Event`.
 *
 * @example
 * ```ts
 * import type { AmiEventFields } from "@x/ami";
 * import assert from "node:assert/strict";
 * const fields: AmiEventFields = { Event: "FullyBooted", Privilege: "system,all" };
 * assert.equal(fields.Timestamp, undefined);
 * ```
 */
export interface AmiEventFields extends AmiFields {
  /** The event's name, as sent. */
  readonly Event: string;
  /** The event's classes, e.g. `call,all`; absent on events listed in an action's answer. */
  readonly Privilege?: string;
  /** When it was raised, in seconds since the epoch; sent when `timestampevents` is on. */
  readonly Timestamp?: string;
  /** The server's `systemname`, when one is set. */
  readonly SystemName?: string;
  /** The `ActionID` of the action whose answer lists this event. */
  readonly ActionID?: string;
}

/**
 * The fields every response may carry.
 *
 * @example
 * ```ts
 * import type { AmiResponseFields } from "@x/ami";
 * import assert from "node:assert/strict";
 * const fields: AmiResponseFields = { Response: "Success", Message: "Authentication accepted" };
 * assert.equal(fields.Response, "Success");
 * ```
 */
export interface AmiResponseFields extends AmiFields {
  /** `Success`, `Error`, or `Goodbye` (to `Logoff`). */
  readonly Response: "Success" | "Error" | "Goodbye" | AmiAnyString;
  /** The `ActionID` the action was sent with, if any. */
  readonly ActionID?: string;
  /** A human-readable status. */
  readonly Message?: string;
}

/**
 * The fields of a response that starts an event list.
 *
 * @example
 * ```ts
 * import type { AmiListResponseFields } from "@x/ami";
 * import assert from "node:assert/strict";
 * const fields: AmiListResponseFields = { Response: "Success", EventList: "start" };
 * assert.equal(fields.EventList, "start");
 * ```
 */
export interface AmiListResponseFields extends AmiResponseFields {
  /** `start`: the list's events follow. */
  readonly EventList: "start" | AmiAnyString;
}

/**
 * An event as delivered: an {@linkcode AmiMessage} whose fields `F` are
 * typed, and whose other fields are still readable as `string | undefined`.
 *
 * @example
 * ```ts
 * import { AmiMessage, type AmiEvent } from "@x/ami";
 * import assert from "node:assert/strict";
 * type Hangup = AmiEvent<{ Event: "Hangup"; Channel: string; Cause: string }>;
 * const ev = AmiMessage.fromString(
 *   "Event: Hangup\r\nChannel: Local/a\r\nCause: 16\r\n\r\n",
 * ) as Hangup;
 * const cause: string = ev.Cause;
 * assert.equal(cause, "16");
 * ```
 */
export type AmiEvent<F extends object = AmiEventFields> = AmiMessage & Readonly<F> & AmiFields;

/**
 * A response as delivered; see {@linkcode AmiEvent}.
 *
 * @example
 * ```ts
 * import { AmiMessage, type AmiResponse } from "@x/ami";
 * import assert from "node:assert/strict";
 * const pong = AmiMessage.fromString("Response: Success\r\nPing: Pong\r\n\r\n") as AmiResponse;
 * assert.equal(pong.Ping, "Pong");
 * ```
 */
export type AmiResponse<F extends object = AmiResponseFields> =
  & AmiMessage
  & Readonly<F>
  & AmiFields;

/**
 * A message as the parser and the errors hand it on: an
 * {@linkcode AmiMessage} whose fields also read by name, as
 * `string | undefined` (an event, a response or an action alike).
 *
 * @example
 * ```ts
 * import { AmiFrameParser, type AmiParsedMessage } from "@x/ami";
 * import assert from "node:assert/strict";
 * const [ev]: AmiParsedMessage[] = AmiFrameParser.parseAll("Event: Hangup\r\nCause: 16\r\n\r\n");
 * const cause: string | undefined = ev?.Cause;
 * assert.equal(cause, "16");
 * ```
 */
export type AmiParsedMessage = AmiMessage & AmiFields;
