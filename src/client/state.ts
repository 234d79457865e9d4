/**
 * The life of the client's connection, as states and changes.
 *
 * @module
 */

import type { AmiError } from "../errors.ts";

/**
 * The state of the client's connection:
 * - `connecting`: {@linkcode AmiClient.connect} is opening it and logging in;
 * - `connected`: up and usable;
 * - `disconnected`: it dropped; a reconnect attempt is due;
 * - `reconnecting`: an attempt is under way;
 * - `closed`: for good.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiConnectionState } from "@x/ami";
 * const describe = (state: AmiConnectionState) => state === "connected" ? "up" : "down";
 * assert.equal(describe("reconnecting"), "down");
 * ```
 */
export type AmiConnectionState =
  | "connecting"
  | "connected"
  | "disconnected"
  | "reconnecting"
  | "closed";

/**
 * A change of {@linkcode AmiConnectionState}, with the error that caused it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiStateChange } from "@x/ami";
 * const change: AmiStateChange = { state: "disconnected", error: undefined };
 * assert.equal(change.state, "disconnected");
 * ```
 */
export interface AmiStateChange {
  /** The new state. */
  readonly state: AmiConnectionState;
  /** Why, when an error caused it. */
  readonly error: AmiError | undefined;
}
