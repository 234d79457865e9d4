/**
 * A call of the simulated PBX while it runs: the Originate that started it,
 * its legs, its bridge, the channels it made, and how it ends.
 *
 * @module
 */

import type { AmiMessage } from "../../wire/message.ts";
import type { Bridge, Channel } from "./channel.ts";
import type { SimulatedOriginateResult } from "./options.ts";

/** One side of a call: a channel, or the two halves of a Local channel. */
export interface Leg {
  readonly outer: Channel;
  readonly inner: Channel | undefined;
  readonly dialString: string;
}

/** Why a call's hangup signal aborted: the `Hangup` action's channel and cause. */
export interface HangupRequest {
  readonly channel: Channel | undefined;
  readonly cause: number;
}

/** Why a flow stopped waiting: the PBX is closing. */
export class Closing extends Error {}

/** A call in progress. */
export class Call {
  a: Leg | undefined;
  b: Leg | undefined;
  bridge: Bridge | undefined;
  /** Aborts with a {@linkcode HangupRequest} when the call is hung up from outside. */
  readonly hangup = new AbortController();
  /** Resolves with how the originated channel went. */
  readonly result: Promise<SimulatedOriginateResult>;
  /** Every channel the call has made, in creation order. */
  readonly created: Channel[] = [];
  #resolve: (result: SimulatedOriginateResult) => void = () => {};
  #settled = false;

  constructor(readonly originate: AmiMessage, readonly async: boolean) {
    this.result = new Promise((resolve) => this.#resolve = resolve);
  }

  /** The Originate's ActionID, if it had one. */
  get actionId(): string | undefined {
    const id = this.originate.get("ActionID")?.trimStart();
    return id === "" ? undefined : id;
  }

  /** The cause a `Hangup` action asked for; 16 when none did. */
  get requestedCause(): number {
    return (this.hangup.signal.reason as HangupRequest | undefined)?.cause ?? 16;
  }

  /** Settles {@linkcode Call.result} the first time; later calls are ignored. */
  settle(result: SimulatedOriginateResult): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve(result);
  }
}
