/**
 * {@linkcode AmiGap}: where an event stream lost events, and why.
 *
 * @module
 */

/**
 * When the connection was down: from the drop to the login on the new
 * connection. Carried by a `reconnect` {@linkcode AmiGap} and by the state
 * change that says the link is back.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiOutage } from "@x/ami";
 * const outage: AmiOutage = { droppedAt: 1000, restoredAt: 1250 };
 * assert.equal(outage.restoredAt - outage.droppedAt, 250);
 * ```
 */
export interface AmiOutage {
  /** When the connection dropped, in milliseconds since the epoch. */
  readonly droppedAt: number;
  /** When the client was logged in again, in milliseconds since the epoch. */
  readonly restoredAt: number;
}

/**
 * A marker in an event stream where events were lost: the consumer's buffer
 * overflowed (`overflow`, with the number dropped) or the connection dropped
 * and came back (`reconnect`, delivered once the link is back, with when it
 * dropped and when it returned; what happened meanwhile is unknown).
 * Delivered only to consumers that ask for it with `{ gaps: true }`.
 *
 * @example Resynchronising after a gap
 * ```ts
 * import assert from "node:assert/strict";
 * import { AmiGap } from "@x/ami";
 * const item: unknown = new AmiGap("reconnect", undefined, { droppedAt: 1000, restoredAt: 1250 });
 * assert.ok(item instanceof AmiGap && item.dropped === undefined);
 * assert.equal(item.droppedAt, 1000);
 * assert.equal(item.restoredAt, 1250);
 * ```
 */
export class AmiGap {
  /** Why events were lost. */
  readonly reason: "overflow" | "reconnect";
  /** How many events were dropped, when known (overflow); `undefined` after a reconnect. */
  readonly dropped: number | undefined;
  /** When the gap was noticed (for `reconnect`: when the link was back), in ms since the epoch. */
  readonly at: number;
  /** For `reconnect`: when the connection dropped, in milliseconds since the epoch. */
  readonly droppedAt: number | undefined;
  /** For `reconnect`: when the client was logged in again, in milliseconds since the epoch. */
  readonly restoredAt: number | undefined;

  /**
   * Creates a gap marker.
   *
   * @param reason Why events were lost.
   * @param dropped How many, when known.
   * @param outage For `reconnect`: when the connection was down.
   */
  constructor(reason: "overflow" | "reconnect", dropped?: number, outage?: AmiOutage) {
    this.reason = reason;
    this.dropped = dropped;
    this.droppedAt = outage?.droppedAt;
    this.restoredAt = outage?.restoredAt;
    this.at = outage?.restoredAt ?? Date.now();
  }
}
