/**
 * One push-to-pull queue for every stream the client hands out: event
 * consumers, streamed lists and state changes. A producer pushes without
 * ever waiting; a consumer pulls with `next()`, waiting while the queue is
 * empty. The queue may be bounded, and may count what did not fit and hand
 * the consumer one marker for it (a gap) instead of the lost items.
 *
 * @module
 */

/** How a queue is bounded, and what it tells. */
export interface AsyncQueueOptions<T> {
  /** The most items held at once; defaults to `Infinity`. */
  capacity?: number;
  /**
   * With it, items pushed while the queue is full are counted, and the
   * consumer gets `gap(count)` in their place (past the capacity by one).
   * Without it, such a push is refused and the producer decides.
   */
  gap?: (dropped: number) => T;
  /** Told each time the number of items held changes, by how much (`+1`, `-1`, `-n`). */
  onSizeChange?: (delta: number) => void;
}

/**
 * A bounded queue read with `next()`, one reader at a time.
 *
 * @example A producer ahead of its consumer, then done
 * ```ts
 * import assert from "node:assert/strict";
 * import { AsyncQueue } from "./async_queue.ts";
 *
 * const queue = new AsyncQueue<string>({ capacity: 2, gap: (n) => `lost ${n}` });
 * for (const item of ["a", "b", "c", "d", "e"]) queue.push(item);
 * queue.finish();
 * const read: string[] = [];
 * for (let r = await queue.next(); !r.done; r = await queue.next()) read.push(r.value);
 * assert.deepEqual(read, ["a", "b", "lost 3"]);
 * ```
 */
export class AsyncQueue<T> {
  readonly #capacity: number;
  readonly #gap: ((dropped: number) => T) | undefined;
  readonly #onSizeChange: ((delta: number) => void) | undefined;
  /** A ring buffer; grows by doubling as needed. */
  #ring: (T | undefined)[] = new Array(16);
  #head = 0;
  #size = 0;
  #dropped = 0;
  #resolve: ((result: IteratorResult<T, undefined>) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  #finished = false;
  #error: unknown;

  /**
   * Creates an empty queue.
   *
   * @param options Capacity, gap policy and size reports.
   */
  constructor(options: AsyncQueueOptions<T> = {}) {
    const capacity = options.capacity ?? Infinity;
    if (!(capacity >= 1)) {
      throw new RangeError(`Queue capacity must be at least 1, not ${capacity}`);
    }
    this.#capacity = capacity;
    this.#gap = options.gap;
    this.#onSizeChange = options.onSizeChange;
  }

  /** How many items wait to be read. */
  get size(): number {
    return this.#size;
  }

  /** Whether no more items will be taken. */
  get finished(): boolean {
    return this.#finished;
  }

  /**
   * Adds an item, or hands it to a reader that waits.
   *
   * @returns `false` when it was not kept: the queue is finished, or full
   *   (with a gap policy, the loss is then counted).
   */
  push(item: T): boolean {
    if (this.#finished) return false;
    const resolve = this.#resolve;
    if (resolve !== undefined) {
      // A reader waits only on an empty queue with nothing dropped: it takes the item as it is.
      this.#resolve = this.#reject = undefined;
      resolve({ value: item, done: false });
      return true;
    }
    if (this.#size >= this.#capacity) {
      if (this.#gap !== undefined) this.#dropped++;
      return false;
    }
    if (this.#dropped > 0) this.#store(this.#takeGap());
    this.#store(item);
    return true;
  }

  /**
   * Adds a marker the reader must see, past the capacity if need be (a
   * reconnect in an event stream, say). Ignored once finished.
   */
  pushPastCapacity(item: T): void {
    if (this.#finished) return;
    const resolve = this.#resolve;
    if (resolve !== undefined) {
      this.#resolve = this.#reject = undefined;
      resolve({ value: item, done: false });
      return;
    }
    if (this.#dropped > 0) this.#store(this.#takeGap());
    this.#store(item);
  }

  /**
   * Takes no more items. The ones held can still be read; then the reader
   * gets `error` once (when given), and the end after that.
   */
  finish(error?: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#error = error;
    this.#settleWaiting();
  }

  /** Drops the held items and ends the queue quietly. */
  clear(): void {
    this.#finished = true;
    this.#error = undefined;
    const held = this.#size;
    this.#ring = [];
    this.#size = this.#head = this.#dropped = 0;
    if (held > 0) this.#onSizeChange?.(-held);
    this.#settleWaiting();
  }

  /**
   * The next item, waiting for one while the queue is empty and not finished.
   *
   * @throws {TypeError} when a previous call has not settled yet.
   */
  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#size > 0) return Promise.resolve({ value: this.#shift(), done: false });
    if (this.#dropped > 0) return Promise.resolve({ value: this.#takeGap(), done: false });
    if (this.#finished) return this.#end();
    if (this.#resolve !== undefined) {
      return Promise.reject(new TypeError("Cannot call next() before the previous call settled"));
    }
    return new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  #end(): Promise<IteratorResult<T, undefined>> {
    const error = this.#error;
    if (error === undefined) return Promise.resolve({ value: undefined, done: true });
    this.#error = undefined;
    return Promise.reject(error);
  }

  /** A reader waits only on an empty queue: once finished, it gets the end (or the error). */
  #settleWaiting(): void {
    const resolve = this.#resolve;
    const reject = this.#reject;
    if (resolve === undefined || reject === undefined) return;
    this.#resolve = this.#reject = undefined;
    this.#end().then(resolve, reject);
  }

  #takeGap(): T {
    const gap = this.#gap!(this.#dropped);
    this.#dropped = 0;
    return gap;
  }

  #store(item: T): void {
    if (this.#size === this.#ring.length) this.#grow();
    this.#ring[(this.#head + this.#size) % this.#ring.length] = item;
    this.#size++;
    this.#onSizeChange?.(1);
  }

  #shift(): T {
    const item = this.#ring[this.#head] as T;
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#ring.length;
    this.#size--;
    this.#onSizeChange?.(-1);
    return item;
  }

  #grow(): void {
    const bigger: (T | undefined)[] = new Array(Math.max(16, this.#ring.length * 2));
    for (let i = 0; i < this.#size; i++) {
      bigger[i] = this.#ring[(this.#head + i) % this.#ring.length];
    }
    this.#ring = bigger;
    this.#head = 0;
  }
}
