/**
 * {@linkcode AmiGap}: where an event stream lost events, and why.
 *
 * @module
 */

/**
 * A marker in an event stream where events were lost: the consumer's buffer
 * overflowed (`overflow`, with the number dropped) or the connection dropped
 * and came back (`reconnect`; what happened meanwhile is unknown). Delivered
 * only to consumers that ask for it with `{ gaps: true }`.
 *
 * @example Resynchronising after a gap
 * ```ts
 * import assert from "node:assert/strict";
 * import { AmiGap } from "@x/ami";
 * const item: unknown = new AmiGap("reconnect");
 * assert.ok(item instanceof AmiGap && item.dropped === undefined);
 * ```
 */
export class AmiGap {
  /** Why events were lost. */
  readonly reason: "overflow" | "reconnect";
  /** How many events were dropped, when known (overflow); `undefined` after a reconnect. */
  readonly dropped: number | undefined;
  /** When the gap was noticed, in milliseconds since the epoch. */
  readonly at: number;

  /**
   * Creates a gap marker.
   *
   * @param reason Why events were lost.
   * @param dropped How many, when known.
   */
  constructor(reason: "overflow" | "reconnect", dropped?: number) {
    this.reason = reason;
    this.dropped = dropped;
    this.at = Date.now();
  }
}
