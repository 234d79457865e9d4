/**
 * {@linkcode ChangeFeed}: the live view's changes, kept in a ring of recent
 * ones (for `since`) and fanned out to any number of readers, each with a
 * bounded buffer of its own, as `events()` does with events.
 *
 * @module
 */

import { AsyncQueue } from "../_util/async_queue.ts";
import { AmiConsumerOverflowError } from "../errors.ts";
import { AmiGap } from "../events/events.ts";
import type { LiveChange } from "./types.ts";

/**
 * Options of `live.changes()`.
 *
 * @example
 * ```ts
 * import type { LiveChangesOptions } from "@x/ami";
 * import assert from "node:assert/strict";
 * const options: LiveChangesOptions = { since: 42, gaps: true, bufferSize: 256 };
 * assert.equal(options.since, 42);
 * ```
 */
export interface LiveChangesOptions {
  /**
   * Replays the kept changes after this revision first (a snapshot's
   * `revision`). When they are no longer kept, the iteration starts with an
   * {@linkcode AmiGap} (`gaps: true`) or throws
   * {@linkcode AmiConsumerOverflowError}: read `snapshot()` again.
   */
  since?: number;
  /** Ends the iteration (quietly) when aborted. */
  signal?: AbortSignal;
  /** How many changes may wait for this reader; default 4,096. */
  bufferSize?: number;
  /**
   * `false` (default): falling behind ends the iteration with
   * {@linkcode AmiConsumerOverflowError}; `true`: an {@linkcode AmiGap}
   * marks where changes were lost, and the iteration goes on.
   */
  gaps?: boolean;
}

/** One reader's bounded queue (the same queue as an event stream's). */
class ChangeReader implements AsyncIterableIterator<LiveChange | AmiGap, undefined> {
  readonly #queue: AsyncQueue<LiveChange | AmiGap>;
  readonly #capacity: number;
  readonly #gaps: boolean;
  readonly #detach: () => void;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = () => void this.return();

  constructor(options: LiveChangesOptions, detach: (reader: ChangeReader) => void) {
    const capacity = options.bufferSize ?? 4_096;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(
        `The bufferSize option must be a whole number of at least 1, not "${capacity}"`,
      );
    }
    this.#capacity = capacity;
    this.#gaps = options.gaps === true;
    this.#queue = new AsyncQueue<LiveChange | AmiGap>({
      capacity,
      ...(this.#gaps ? { gap: (dropped: number) => new AmiGap("overflow", dropped) } : {}),
    });
    this.#detach = () => detach(this);
    this.#signal = options.signal;
    if (this.#signal?.aborted) this.#finish(undefined);
    else this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  get finished(): boolean {
    return this.#queue.finished;
  }

  /** Takes a change; a full buffer counts a gap, or ends the reader with an overflow. */
  offer(item: LiveChange | AmiGap): void {
    if (this.#queue.push(item) || this.#gaps || this.#queue.finished) return;
    this.#finish(new AmiConsumerOverflowError(this.#capacity));
  }

  /** Hands over a gap the reader must see, even on a full buffer. */
  offerGap(gap: AmiGap): void {
    this.#queue.pushPastCapacity(gap);
  }

  end(error?: unknown): void {
    this.#finish(error);
  }

  next(): Promise<IteratorResult<LiveChange | AmiGap, undefined>> {
    return this.#queue.next();
  }

  return(): Promise<IteratorResult<LiveChange | AmiGap, undefined>> {
    this.#queue.clear();
    this.#finish(undefined);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  #finish(error: unknown): void {
    this.#queue.finish(error);
    this.#detach();
    this.#signal?.removeEventListener("abort", this.#onAbort);
  }
}

/** Recent changes and their readers. */
export class ChangeFeed {
  readonly #readers = new Set<ChangeReader>();
  readonly #history: LiveChange[] = [];
  readonly #historySize: number;
  #closed = false;

  constructor(historySize: number) {
    this.#historySize = historySize;
  }

  /** How many readers are attached. */
  get readers(): number {
    return this.#readers.size;
  }

  /** Keeps a change and hands it to every reader. */
  publish(change: LiveChange): void {
    if (this.#historySize > 0) {
      this.#history.push(change);
      if (this.#history.length > this.#historySize * 2) {
        this.#history.splice(0, this.#history.length - this.#historySize);
      }
    }
    for (const reader of this.#readers) reader.offer(change);
  }

  /** A new reader, first given the kept changes after `since`. */
  subscribe(options: LiveChangesOptions, revision: number): ChangeReader {
    const reader = new ChangeReader(options, (done) => this.#readers.delete(done));
    if (this.#closed) {
      reader.end();
      return reader;
    }
    const since = options.since;
    if (since !== undefined && since < revision) {
      const kept = this.#history.slice(-this.#historySize);
      const first = kept[0]?.revision ?? revision + 1;
      if (first > since + 1) {
        if (options.gaps === true) reader.offerGap(new AmiGap("overflow"));
        else reader.end(new AmiConsumerOverflowError(this.#historySize));
      }
      for (const change of kept) if (change.revision > since) reader.offer(change);
    }
    if (!reader.finished) this.#readers.add(reader);
    return reader;
  }

  /** Ends every reader, quietly or with `error`. */
  close(error?: unknown): void {
    this.#closed = true;
    for (const reader of [...this.#readers]) reader.end(error);
    this.#readers.clear();
  }
}
