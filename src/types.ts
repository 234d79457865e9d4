/**
 * Type-level glue between the runtime {@linkcode AmiMessage} and the typed
 * catalog of actions and events. Nothing here exists at run time.
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
 * const fields: AmiFields = { Event: "Hangup", Channel: "PJSIP/100-00000001" };
 * console.assert(fields.Channel?.startsWith("PJSIP"));
 * ```
 */
export interface AmiFields {
  /** The first value of the field, or `undefined` when it is absent. */
  readonly [field: string]: string | undefined;
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
export type AmiEvent<F extends object = { Event: string }> = AmiMessage & Readonly<F> & AmiFields;

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
export type AmiResponse<F extends object = { Response: string }> =
  & AmiMessage
  & Readonly<F>
  & AmiFields;

/**
 * Typed events by name. Empty here; the generated catalog fills it.
 *
 * @example
 * ```ts
 * import type { AmiEventMap } from "@x/ami";
 * type Known = keyof AmiEventMap;
 * const name: Known | "Custom" = "Custom";
 * console.assert(name === "Custom");
 * ```
 */
// deno-lint-ignore no-empty-interface
export interface AmiEventMap {}

/**
 * Typed actions by name: `params`, `response` and `list` (the fields of the
 * list's items). Empty here; the generated catalog fills it.
 *
 * @example
 * ```ts
 * import type { AmiActionMap } from "@x/ami";
 * type Known = keyof AmiActionMap;
 * const name: Known | "Custom" = "Custom";
 * console.assert(name === "Custom");
 * ```
 */
// deno-lint-ignore no-empty-interface
export interface AmiActionMap {}

/**
 * The action object `send` takes for the action named `N`: typed parameters
 * for a known action, any headers for an unknown one.
 *
 * @example
 * ```ts
 * import type { AmiActionInput } from "@x/ami";
 * const ping: AmiActionInput<"Ping"> = { Action: "Ping" };
 * console.assert(ping.Action === "Ping");
 * ```
 */
export type AmiActionInput<N extends string> = import("./encoder.ts").AmiAction & { Action: N };

/**
 * The response type of the action named `N`.
 *
 * @example
 * ```ts
 * import type { AmiResponseOf } from "@x/ami";
 * type PingResponse = AmiResponseOf<"Ping">;
 * const check = (r: PingResponse): string | undefined => r.Response;
 * console.assert(typeof check === "function");
 * ```
 */
export type AmiResponseOf<N extends string> = N extends string ? AmiResponse : never;

/**
 * The type of the list items the action named `N` answers with.
 *
 * @example
 * ```ts
 * import type { AmiListItemOf } from "@x/ami";
 * const check = (item: AmiListItemOf<"CoreShowChannels">): string | undefined => item.Channel;
 * console.assert(typeof check === "function");
 * ```
 */
export type AmiListItemOf<N extends string> = N extends string ? AmiEvent : never;

/**
 * The type of the event named `N`; `AmiEvent` when `N` is any string.
 *
 * @example
 * ```ts
 * import type { AmiEventOf } from "@x/ami";
 * const check = (ev: AmiEventOf<"Hangup">): string | undefined => ev.Channel;
 * console.assert(typeof check === "function");
 * ```
 */
export type AmiEventOf<N extends string> = string extends N ? AmiEvent : AmiEvent<{ Event: N }>;
