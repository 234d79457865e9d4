/**
 * The client's life as one state machine. Every change goes through
 * {@linkcode LifeCycle.to}, which checks it against {@linkcode TRANSITIONS};
 * listeners hear the changes of the public {@linkcode AmiConnectionState}.
 *
 * @module
 */

import type { AmiError } from "../errors.ts";
import { AsyncQueue } from "../_util/async_queue.ts";
import type { AmiOutage } from "../events/gap.ts";
import type { AmiConnectionState, AmiStateChange } from "./state.ts";

/**
 * Where the client is in its life: the public states, and two the user
 * sees as the state before them:
 * - `loggingOff`: a `Logoff` is under way; a drop now is the end asked for;
 * - `closing`: everything is being released; `closed` follows.
 */
export type Phase = AmiConnectionState | "loggingOff" | "closing";

/** The phases each phase may go to. */
export const TRANSITIONS: Readonly<Record<Phase, readonly Phase[]>> = {
  connecting: ["connected", "closing"],
  connected: ["disconnected", "loggingOff", "closing"],
  disconnected: ["reconnecting", "closing"],
  reconnecting: ["connected", "disconnected", "closing"],
  loggingOff: ["closing"],
  closing: ["closed"],
  closed: [],
};

/** The client's phase, its changes, and who hears them. */
export class LifeCycle {
  #phase: Phase;
  #state: AmiConnectionState;
  #closeError: AmiError | undefined;
  readonly #listeners = new Set<(change: AmiStateChange) => void>();

  /** @param initial The phase a new client starts in. */
  constructor(initial: "connecting" | "connected") {
    this.#phase = initial;
    this.#state = initial;
  }

  /** The current phase. */
  get phase(): Phase {
    return this.#phase;
  }

  /** The public state: the phase, or the state it was in for `loggingOff` and `closing`. */
  get state(): AmiConnectionState {
    return this.#state;
  }

  /** Whether the client is going or gone (`closing` or `closed`). */
  get ending(): boolean {
    return this.#phase === "closing" || this.#phase === "closed";
  }

  /** The error the client closed with, once `closing`. */
  get closeError(): AmiError | undefined {
    return this.#closeError;
  }

  /**
   * Moves to `phase`, when the table allows it, and tells the listeners
   * when the public state changed.
   *
   * @param error Why: reported with the change; for `closing`, the error the client closes with.
   * @param outage For `connected` after a reconnect: when the link was down.
   * @returns Whether the move was allowed.
   */
  to(phase: Phase, error?: AmiError, outage?: AmiOutage): boolean {
    if (!TRANSITIONS[this.#phase].includes(phase)) return false;
    this.#phase = phase;
    if (phase === "closing") this.#closeError = error;
    if (phase === "loggingOff" || phase === "closing") return true;
    this.#state = phase;
    const change: AmiStateChange = outage === undefined
      ? { state: phase, error }
      : { state: phase, error, outage };
    for (const listener of this.#listeners) listener(change);
    return true;
  }

  /** Adds a listener of state changes; returns what removes it. */
  listen(listener: (change: AmiStateChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Yields each change from now on, and ends after `closed` (or when `signal` aborts). */
  async *changes(signal: AbortSignal | undefined): AsyncGenerator<AmiStateChange> {
    if (this.#phase === "closed" || signal?.aborted) return;
    const changes = new AsyncQueue<AmiStateChange>();
    const unlisten = this.listen((change) => {
      changes.push(change);
      if (change.state === "closed") changes.finish();
    });
    const stop = () => changes.clear();
    signal?.addEventListener("abort", stop);
    try {
      for (let next = await changes.next(); !next.done; next = await changes.next()) {
        yield next.value;
      }
    } finally {
      unlisten();
      signal?.removeEventListener("abort", stop);
    }
  }
}
