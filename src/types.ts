/**
 * Type-level glue between the runtime {@linkcode AmiMessage} and the typed
 * catalog of actions and events (`src/generated/catalog.ts`). Nothing here
 * exists at run time.
 *
 * Types stay open: a typed event is an `AmiMessage` with its documented
 * fields typed, and every other field still readable as
 * `string | undefined`; an action takes any extra header; unknown action and
 * event names fall back to the generic types.
 *
 * @module
 */

import type { AmiAction } from "./encoder.ts";
import type { AmiFieldValue, AmiMessage } from "./message.ts";
import type {
  AmiCatalogActionMap,
  AmiCatalogEventMap,
  AmiKnownEventFields,
} from "./generated/catalog.ts";

/**
 * Any field of a message, by name: the first value, or `undefined`. Types
 * stay open: a field Asterisk adds in a later version is still readable.
 *
 * @example
 * ```ts
 * import type { AmiFields } from "@x/ami";
 * const fields: AmiFields = { Event: "Hangup", Channel: "PJSIP/100-00000001" };
 * console.assert(fields.Channel?.startsWith("PJSIP"));
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
 * type State = "Up" | "Down" | AmiAnyString;
 * const state: State = "Dialing Offhook";
 * console.assert(state.length > 0);
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
 * const fields: AmiEventFields = { Event: "FullyBooted", Privilege: "system,all" };
 * console.assert(fields.Timestamp === undefined);
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
 * const fields: AmiResponseFields = { Response: "Success", Message: "Authentication accepted" };
 * console.assert(fields.Response === "Success");
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
 * const fields: AmiListResponseFields = { Response: "Success", EventList: "start" };
 * console.assert(fields.EventList === "start");
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
 * type Hangup = AmiEvent<{ Event: "Hangup"; Channel: string; Cause: string }>;
 * const ev = AmiMessage.fromString(
 *   "Event: Hangup\r\nChannel: Local/a\r\nCause: 16\r\n\r\n",
 * ) as Hangup;
 * const cause: string = ev.Cause;
 * console.assert(cause === "16");
 * ```
 */
export type AmiEvent<F extends object = AmiEventFields> = AmiMessage & Readonly<F> & AmiFields;

/**
 * A response as delivered; see {@linkcode AmiEvent}.
 *
 * @example
 * ```ts
 * import { AmiMessage, type AmiResponse } from "@x/ami";
 * const pong = AmiMessage.fromString("Response: Success\r\nPing: Pong\r\n\r\n") as AmiResponse;
 * console.assert(pong.Ping === "Pong");
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
 * const variables: AmiActionValue = ["A=1", "B=2"];
 * console.assert(Array.isArray(variables));
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
 * const events: AmiActionChoice<"on" | "off"> = "system,call";
 * console.assert(events === "system,call");
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

/**
 * Typed events by name: every event of the catalog. Augment it (`declare
 * module`) to type events of your own, such as `UserEvent` variants.
 *
 * @example
 * ```ts
 * import type { AmiEventMap } from "@x/ami";
 * const cause = (fields: AmiEventMap["Hangup"]): string => fields.Cause;
 * console.assert(typeof cause === "function");
 * ```
 */
export interface AmiEventMap extends AmiCatalogEventMap {}

/**
 * Typed actions by name: every action of the catalog, as
 * {@linkcode AmiActionSpec}s. Augment it (`declare module`) to type actions
 * of your own.
 *
 * @example
 * ```ts
 * import type { AmiActionMap } from "@x/ami";
 * const ping: AmiActionMap["Ping"]["params"] = { Action: "Ping" };
 * console.assert(ping.Action === "Ping");
 * ```
 */
export interface AmiActionMap extends AmiCatalogActionMap {}

/**
 * The action object `send` takes for the action named `N`: for a known
 * action its required parameters must be there; any other header is
 * accepted, and an unknown action takes any headers.
 *
 * @example
 * ```ts
 * import type { AmiActionInput } from "@x/ami";
 * const originate: AmiActionInput<"Originate"> = {
 *   Action: "Originate",
 *   Channel: "PJSIP/100",
 *   Variable: ["A=1", "B=2"],
 *   Async: true,
 * };
 * console.assert(originate.Channel === "PJSIP/100");
 * ```
 */
export type AmiActionInput<N extends string> =
  & { readonly Action: N }
  & (N extends keyof AmiActionMap ? AmiActionMap[N]["params"] : AmiAction);

/**
 * The response type of the action named `N`: typed fields where the catalog
 * knows them, {@linkcode AmiResponse} otherwise.
 *
 * @example
 * ```ts
 * import type { AmiResponseOf } from "@x/ami";
 * const ping = (r: AmiResponseOf<"Ping">): string => r.Timestamp;
 * console.assert(typeof ping === "function");
 * ```
 */
export type AmiResponseOf<N extends string> = N extends keyof AmiActionMap
  ? AmiMessage & AmiActionMap[N]["response"]
  : AmiResponse;

/**
 * The type of the list items the action named `N` answers with: a union of
 * the item events, discriminated on `Event`; {@linkcode AmiEvent} when the
 * catalog knows no list for `N`.
 *
 * @example
 * ```ts
 * import type { AmiListItemOf } from "@x/ami";
 * const name = (item: AmiListItemOf<"CoreShowChannels">): string => item.Channel;
 * console.assert(typeof name === "function");
 * ```
 */
export type AmiListItemOf<N extends string> = N extends keyof AmiActionMap
  ? AmiMessage & AmiActionMap[N]["list"]
  : AmiEvent;

/**
 * The type of the event that ends the list the action named `N` answers
 * with; {@linkcode AmiEvent} when the catalog knows no list for `N`.
 *
 * @example
 * ```ts
 * import type { AmiListCompleteOf } from "@x/ami";
 * const count = (end: AmiListCompleteOf<"CoreShowChannels">): string => end.ListItems;
 * console.assert(typeof count === "function");
 * ```
 */
export type AmiListCompleteOf<N extends string> = N extends keyof AmiActionMap
  ? AmiMessage & AmiActionMap[N]["complete"]
  : AmiEvent;

/**
 * The type of the event named `N` (or of any of the names in a union):
 * typed fields for a name of {@linkcode AmiEventMap}, spelled as there; the
 * generic {@linkcode AmiEvent} for any other string (event filters ignore
 * case, so even `Event` is only known to be a string then).
 *
 * @example
 * ```ts
 * import type { AmiEventOf } from "@x/ami";
 * const describe = (ev: AmiEventOf<"Hangup">): string => `${ev.Channel}: ${ev.Cause}`;
 * console.assert(typeof describe === "function");
 * ```
 */
export type AmiEventOf<N extends string> = N extends keyof AmiEventMap ? AmiMessage & AmiEventMap[N]
  : AmiEvent;

/**
 * Any event of the catalog, as delivered: a union discriminated on `Event`.
 * It is closed, so narrow a generic event to it only after checking its name
 * (or when you accept that unknown names fall through every case).
 *
 * @example
 * ```ts
 * import type { AmiKnownEvent } from "@x/ami";
 * const describe = (ev: AmiKnownEvent): string => {
 *   switch (ev.Event) {
 *     case "Hangup":
 *       return `${ev.Channel} hung up (${ev.Cause})`;
 *     case "Newchannel":
 *       return `${ev.Channel} is new`;
 *     default:
 *       return ev.Event;
 *   }
 * };
 * console.assert(typeof describe === "function");
 * ```
 */
export type AmiKnownEvent = AmiMessage & AmiKnownEventFields;
