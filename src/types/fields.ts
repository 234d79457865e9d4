/**
 * The field types every typed message and action is built from: open
 * records of string fields, the action specification and its values. The
 * generated catalog (`src/generated/catalog.ts`) builds on these; nothing
 * here exists at run time.
 *
 * @module
 */

import type { AmiAction } from "../wire/encoder.ts";
import type { AmiFieldValue, AmiMessage } from "../wire/message.ts";

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
 * A value an action header takes: a string, a number, a boolean, or an array
 * of those to repeat the header.
 *
 * @example
 * ```ts
 * import type { AmiActionValue } from "@x/ami";
 * import assert from "node:assert/strict";
 * const variables: AmiActionValue = ["A=1", "B=2"];
 * assert.ok(Array.isArray(variables));
 * ```
 */
export type AmiActionValue = AmiFieldValue | readonly AmiFieldValue[];

/**
 * A value for a header whose documented values are `V`: editors offer them,
 * and any other value is accepted too, as Asterisk may take more.
 *
 * @example
 * ```ts
 * import type { AmiActionChoice } from "@x/ami";
 * import assert from "node:assert/strict";
 * const events: AmiActionChoice<"on" | "off"> = "system,call";
 * assert.equal(events, "system,call");
 * ```
 */
export type AmiActionChoice<V extends string> =
  | V
  | AmiAnyString
  | number
  | boolean
  | readonly AmiFieldValue[];

/**
 * What the catalog knows of one action: the object `send` takes (`params`),
 * the fields of its successful response, and for an action that answers with
 * an event list, its items and the event that ends it.
 *
 * @example Typing a custom action by augmenting {@linkcode AmiActionMap}
 * ```ts ignore
 * import type { AmiAction, AmiActionSpec, AmiEventFields, AmiResponseFields } from "@x/ami";
 *
 * interface MyAction extends AmiAction {
 *   readonly Action: "MyAction";
 *   readonly Target: string;
 * }
 * declare module "@x/ami" {
 *   interface AmiActionMap {
 *     MyAction: AmiActionSpec<MyAction, AmiResponseFields, AmiEventFields, AmiEventFields>;
 *   }
 * }
 * ```
 */
export interface AmiActionSpec<
  P extends AmiAction,
  R extends AmiResponseFields,
  L extends AmiEventFields,
  C extends AmiEventFields,
> {
  /** The action object: `Action` and its parameters. */
  params: P;
  /** The fields of a successful response. */
  response: R;
  /** The fields of the list's items; generic when the action lists nothing. */
  list: L;
  /** The fields of the event that ends the list. */
  complete: C;
}
