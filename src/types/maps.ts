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

import type { AmiAction } from "../wire/encoder.ts";
import type { AmiMessage } from "../wire/message.ts";
import type {
  AmiCatalogActionMap,
  AmiCatalogEventMap,
  AmiKnownEventFields,
  OriginateAction,
} from "../generated/catalog.ts";
import type { AmiEvent, AmiResponse } from "./fields.ts";

/**
 * Typed events by name: every event of the catalog. Augment it (`declare
 * module`) to type events of your own, such as `UserEvent` variants.
 *
 * @example
 * ```ts
 * import type { AmiEventMap } from "@x/ami";
 * import assert from "node:assert/strict";
 * const cause = (fields: AmiEventMap["Hangup"]): string => fields.Cause;
 * assert.equal(typeof cause, "function");
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
 * import assert from "node:assert/strict";
 * const ping: AmiActionMap["Ping"]["params"] = { Action: "Ping" };
 * assert.equal(ping.Action, "Ping");
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
 * import assert from "node:assert/strict";
 * const originate: AmiActionInput<"Originate"> = {
 *   Action: "Originate",
 *   Channel: "PJSIP/100",
 *   Variable: ["A=1", "B=2"],
 *   Async: true,
 * };
 * assert.equal(originate.Channel, "PJSIP/100");
 * ```
 */
export type AmiActionInput<N extends string> =
  & { readonly Action: N }
  & (N extends keyof AmiActionMap ? AmiActionMap[N]["params"] : AmiAction);

/**
 * What `client.originate()` takes: the `Originate` action's parameters
 * (`Channel` required, the others typed), with `Action` left out: the method
 * names the action, and sets `Async` itself. Any other header is accepted.
 *
 * @example
 * ```ts
 * import type { AmiOriginateInput } from "@x/ami";
 * import assert from "node:assert/strict";
 * const call: AmiOriginateInput = { Channel: "PJSIP/100", Exten: "200", Priority: 1 };
 * assert.equal(call.Action, undefined);
 * ```
 */
export type AmiOriginateInput =
  & { readonly [K in keyof OriginateAction as K extends "Action" ? never : K]: OriginateAction[K] }
  & { readonly Action?: "Originate" };

/**
 * The response type of the action named `N`: typed fields where the catalog
 * knows them, {@linkcode AmiResponse} otherwise.
 *
 * @example
 * ```ts
 * import type { AmiResponseOf } from "@x/ami";
 * import assert from "node:assert/strict";
 * const ping = (r: AmiResponseOf<"Ping">): string => r.Timestamp;
 * assert.equal(typeof ping, "function");
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
 * import assert from "node:assert/strict";
 * const name = (item: AmiListItemOf<"CoreShowChannels">): string => item.Channel;
 * assert.equal(typeof name, "function");
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
 * import assert from "node:assert/strict";
 * const count = (end: AmiListCompleteOf<"CoreShowChannels">): string => end.ListItems;
 * assert.equal(typeof count, "function");
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
 * import assert from "node:assert/strict";
 * const describe = (ev: AmiEventOf<"Hangup">): string => `${ev.Channel}: ${ev.Cause}`;
 * assert.equal(typeof describe, "function");
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
 * import assert from "node:assert/strict";
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
 * assert.equal(typeof describe, "function");
 * ```
 */
export type AmiKnownEvent = AmiMessage & AmiKnownEventFields;

export type {
  AmiActionChoice,
  AmiActionSpec,
  AmiActionValue,
  AmiAnyString,
  AmiEvent,
  AmiEventFields,
  AmiFields,
  AmiListResponseFields,
  AmiParsedMessage,
  AmiResponse,
  AmiResponseFields,
} from "./fields.ts";
