/**
 * The sessions of a test server: the open ones, every one ever opened (in
 * connection order), and waiters for the n-th.
 *
 * @module
 */

import type { AmiTestSession } from "./session.ts";

interface SessionWaiter {
  remaining: number;
  readonly resolve: (session: AmiTestSession) => void;
  readonly reject: (error: Error) => void;
}

/** Open sessions, every session ever opened, and waiters for the n-th. */
export class SessionRegistry {
  /** The sessions that are open now, in connection order. */
  readonly open: Set<AmiTestSession> = new Set();
  readonly #every: AmiTestSession[] = [];
  #waiters: SessionWaiter[] = [];
  #closed: Error | undefined;

  /** The number the next session gets, from 1. */
  get nextId(): number {
    return this.#every.length + 1;
  }

  /** Records a new session and settles the waiters it completes. */
  add(session: AmiTestSession): void {
    this.#every.push(session);
    if (!session.isClosed) this.open.add(session);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (--waiter.remaining > 0) return true;
      waiter.resolve(session);
      return false;
    });
  }

  /** Resolves with the n-th session ever opened, waiting for it if needed. */
  waitFor(n: number): Promise<AmiTestSession> {
    const index = Math.max(1, Math.floor(n));
    const existing = this.#every[index - 1];
    if (existing !== undefined) return Promise.resolve(existing);
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => {
      this.#waiters.push({ remaining: index - this.#every.length, resolve, reject });
    });
  }

  /** Rejects every waiter, now and later, with `error`. */
  close(error: Error): void {
    this.#closed = error;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }
}
