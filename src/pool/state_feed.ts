/**
 * The pool's state changes, fanned out to `stateChanges()` iterators and
 * `ready()` waiters.
 *
 * @module
 */

import type { AmiPoolStateChange } from "./options.ts";

/** Fans out state changes; ends its iterators once closed. */
export class StateFeed {
  readonly #listeners = new Set<(change: AmiPoolStateChange) => void>();
  readonly #closeWatchers = new Set<() => void>();
  #closed = false;

  /** Tells every listener. */
  publish(change: AmiPoolStateChange): void {
    for (const listener of [...this.#listeners]) listener(change);
  }

  /** Ends every iterator once it has yielded what it holds. */
  close(): void {
    this.#closed = true;
    for (const wake of [...this.#closeWatchers]) wake();
  }

  /** Resolves once `enough()` holds, checked now and after each change; rejects when `signal` aborts. */
  waitUntil(enough: () => boolean, signal: AbortSignal | undefined): Promise<void> {
    if (enough()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        this.#listeners.delete(listener);
        signal?.removeEventListener("abort", onAbort);
      };
      const listener = () => {
        if (!enough()) return;
        done();
        resolve();
      };
      const onAbort = () => {
        done();
        reject(signal?.reason);
      };
      if (signal?.aborted) return onAbort();
      this.#listeners.add(listener);
      signal?.addEventListener("abort", onAbort);
    });
  }

  /** Yields each change from now on, until closed or `signal` aborts. */
  async *changes(signal: AbortSignal | undefined): AsyncGenerator<AmiPoolStateChange, undefined> {
    const queue: AmiPoolStateChange[] = [];
    let wake: (() => void) | undefined;
    const listener = (change: AmiPoolStateChange) => {
      queue.push(change);
      wake?.();
    };
    const onWake = () => wake?.();
    this.#listeners.add(listener);
    this.#closeWatchers.add(onWake);
    signal?.addEventListener("abort", onWake);
    try {
      while (!signal?.aborted) {
        const change = queue.shift();
        if (change !== undefined) {
          yield change;
          continue;
        }
        if (this.#closed) break;
        await new Promise<void>((resolve) => wake = resolve);
        wake = undefined;
      }
    } finally {
      this.#listeners.delete(listener);
      this.#closeWatchers.delete(onWake);
      signal?.removeEventListener("abort", onWake);
    }
    return undefined;
  }
}
