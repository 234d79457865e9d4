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
