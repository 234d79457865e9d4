/**
 * The life of the client's connection, as states and changes.
 *
 * @module
 */

import type { AmiError } from "../errors.ts";
import type { AmiOutage } from "../events/gap.ts";

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
 * const change: AmiStateChange = {
 *   state: "connected",
 *   error: undefined,
 *   outage: { droppedAt: 1000, restoredAt: 1250 },
 * };
 * assert.equal(change.outage?.droppedAt, 1000);
 * ```
 */
export interface AmiStateChange {
  /** The new state. */
  readonly state: AmiConnectionState;
  /** Why, when an error caused it. */
  readonly error: AmiError | undefined;
  /**
   * On the `connected` change after a reconnect: when the link was down.
   * Events of that span are lost; every event consumer attached at the
   * drop counted it (`reconnectGaps`), and `gaps` consumers got an
   * {@linkcode AmiGap} with the same times.
   */
  readonly outage?: AmiOutage | undefined;
}
