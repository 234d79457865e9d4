/**
 * The record of what clients sent to a test server, with promises that wait
 * for a given action to arrive.
 *
 * @module
 */

import type { AmiMessage } from "../wire/message.ts";

/** Chooses actions: an action name (any case) or a test on the whole frame. */
export type ActionMatcher = string | ((message: AmiMessage) => boolean);

interface Waiter {
  readonly matches: (message: AmiMessage) => boolean;
  remaining: number;
  readonly resolve: (message: AmiMessage) => void;
  readonly reject: (error: Error) => void;
}

/** Frames in arrival order, and waiters for the n-th one that matches. */
export class ActionLog {
  readonly messages: AmiMessage[] = [];
  #waiters: Waiter[] = [];
  #closed: Error | undefined;

  /** Records a frame and settles the waiters it completes. */
  push(message: AmiMessage): void {
    this.messages.push(message);
    if (this.#waiters.length === 0) return;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.matches(message)) return true;
      waiter.remaining--;
      if (waiter.remaining > 0) return true;
      waiter.resolve(message);
      return false;
    });
  }

  /**
   * Resolves with the `occurrence`-th recorded frame (1 = first) that
   * matches, counting frames already recorded; waits if there are not yet
   * that many. Rejects once the log is closed.
   */
  waitFor(matcher: ActionMatcher, occurrence = 1): Promise<AmiMessage> {
    const matches = toPredicate(matcher);
    let remaining = Math.max(1, Math.floor(occurrence));
    for (const message of this.messages) {
      if (matches(message) && --remaining === 0) return Promise.resolve(message);
    }
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => {
      this.#waiters.push({ matches, remaining, resolve, reject });
    });
  }

  /** Rejects every waiter, now and later, with `error`. */
  close(error: Error): void {
    this.#closed ??= error;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(this.#closed);
  }
}

/** Turns a matcher into a test on frames. */
export function toPredicate(matcher: ActionMatcher): (message: AmiMessage) => boolean {
  if (typeof matcher === "function") return matcher;
  const wanted = matcher.toLowerCase();
  return (message) => (message.get("Action") ?? "").toLowerCase() === wanted;
}
