/**
 * {@linkcode AmiEventStream}: what a consumer of `client.events()` holds, and
 * the consumer behind it, a bounded {@linkcode AsyncQueue} that the
 * {@linkcode EventHub} feeds.
 *
 * @module
 */

import { AmiConsumerOverflowError } from "../errors.ts";
import { AsyncQueue } from "../_util/async_queue.ts";
import type { AmiMessage } from "../wire/message.ts";
import { type Matcher, takeAll } from "./event_filter.ts";
import { AmiGap, type AmiOutage } from "./gap.ts";

/** The default capacity of one consumer's buffer, in events. */
export const DEFAULT_EVENT_BUFFER_SIZE = 1024;

/**
 * Options of one event consumer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiEventsOptions } from "@x/ami";
 * const options: AmiEventsOptions = { bufferSize: 1000, gaps: true };
 * assert.equal(options.bufferSize, 1000);
 * ```
 */
export interface AmiEventsOptions {
  /** Ends the iteration (quietly) when aborted. */
  signal?: AbortSignal;
  /**
   * How many events may wait for this consumer. When it is full, the
   * consumer has fallen behind: see `gaps`. Defaults to
   * {@linkcode DEFAULT_EVENT_BUFFER_SIZE}.
   */
  bufferSize?: number;
  /**
   * `false` (default): an overflow ends the iteration with
   * {@linkcode AmiConsumerOverflowError}, after the events buffered before
   * it; a reconnect is counted in `reconnectGaps` and the iteration goes on.
   * `true`: the iteration goes on and yields an {@linkcode AmiGap} where
   * events were lost (for a reconnect, once the link is back).
   */
  gaps?: boolean;
}

/**
 * One consumer of events: an async iterator over a bounded buffer of its
 * own. Returned by `client.events()`; use it with `for await`, or stop it
 * early with `return()` or `await using`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AmiClient } from "@x/ami";
 * import { AmiTestServer } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer();
 * server.listen();
 * await using client = await AmiClient.connect(server.url);
 * await using hangups = await client.subscribe("Hangup"); // resolves once the server sends them
 * server.emit({ Event: "Hangup", Channel: "PJSIP/100-00000001" });
 * const { value } = await hangups.next();
 * assert.equal(value?.Channel, "PJSIP/100-00000001");
 * ```
 */
export interface AmiEventStream<T> extends AsyncIterableIterator<T, undefined>, AsyncDisposable {
  /** How many events are waiting to be read. */
  readonly buffered: number;
  /**
   * How many reconnects this consumer lived through: each one a span of
   * events it never saw (a `gaps` consumer also gets an {@linkcode AmiGap}
   * for each).
   */
  readonly reconnectGaps: number;
  /**
   * The next event, waiting for one if none is buffered.
   *
   * @returns The next iterator result.
   */
  next(): Promise<IteratorResult<T, undefined>>;
  /**
   * Stops consuming: detaches from the client and drops buffered events.
   *
   * @returns A finished iterator result.
   */
  return(): Promise<IteratorResult<T, undefined>>;
  /**
   * Returns itself, so it works with `for await`.
   *
   * @returns This consumer.
   */
  [Symbol.asyncIterator](): AmiEventStream<T>;
}

/** What a consumer tells the hub that feeds it. */
export interface ConsumerHost {
  /** The consumer stopped: the hub forgets it. */
  detach(consumer: EventConsumer<unknown>): void;
  /** The number of events buffered for consumers changed by `delta`. */
  buffered(delta: number): void;
}

/** The consumer behind an {@linkcode AmiEventStream}, fed by the hub. */
export class EventConsumer<T> implements AmiEventStream<T> {
  readonly #matches: Matcher;
  readonly #queue: AsyncQueue<AmiMessage | AmiGap>;
  readonly #capacity: number;
  readonly #gaps: boolean;
  readonly #host: ConsumerHost;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => void this.return();
  /** The connection dropped while this consumer was attached; the link is not back yet. */
  #missing = false;
  #reconnectGaps = 0;

  constructor(matches: Matcher, options: AmiEventsOptions, host: ConsumerHost) {
    const capacity = options.bufferSize ?? DEFAULT_EVENT_BUFFER_SIZE;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`The bufferSize must be a whole number of at least 1, not ${capacity}`);
    }
    this.#matches = matches;
    this.#capacity = capacity;
    this.#gaps = options.gaps === true;
    this.#host = host;
    this.#queue = new AsyncQueue<AmiMessage | AmiGap>({
      capacity,
      onSizeChange: (delta) => host.buffered(delta),
      ...(this.#gaps ? { gap: (dropped: number) => new AmiGap("overflow", dropped) } : {}),
    });
    this.#signal = options.signal;
    if (this.#signal?.aborted) this.#queue.clear();
    else this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** Whether this consumer wants every event, so its filter need not run. */
  get takesAll(): boolean {
    return this.#matches === takeAll;
  }

  /** Whether it takes no more events (stopped, or ended by an error). */
  get finished(): boolean {
    return this.#queue.finished;
  }

  /** Whether the event passes this consumer's filter. */
  matches(event: AmiMessage, lowerName: string): boolean {
    return this.#matches(event, lowerName);
  }

  /** Takes an event; when the buffer is full, counts a gap or ends with an overflow. */
  offer(event: AmiMessage): void {
    if (this.#queue.push(event) || this.#gaps || this.#queue.finished) return;
    // Stop taking events now; the iterator throws once the buffered ones are read.
    this.finish(new AmiConsumerOverflowError(this.#capacity));
  }

  /**
   * `dropped` events were lost before this consumer could take them: an
   * {@linkcode AmiGap} for a `gaps` consumer, else `error` after the
   * buffered events (the policy of an overflow).
   */
  overflowed(dropped: number, error: unknown): void {
    if (this.#queue.finished) return;
    if (this.#gaps) this.#queue.pushPastCapacity(new AmiGap("overflow", dropped));
    else this.finish(error);
  }

  /** The connection dropped: this consumer will miss events until the link is back. */
  connectionLost(): void {
    if (!this.#queue.finished) this.#missing = true;
  }

  /** The link is back: the loss is counted, and a `gaps` consumer gets its marker. */
  linkBack(outage: AmiOutage): void {
    if (!this.#missing || this.#queue.finished) return;
    this.#missing = false;
    this.#reconnectGaps++;
    // Past the capacity if need be: the marker must not be lost.
    if (this.#gaps) this.#queue.pushPastCapacity(new AmiGap("reconnect", undefined, outage));
  }

  get reconnectGaps(): number {
    return this.#reconnectGaps;
  }

  /** No more events will come; the buffered ones can still be read, then `error`. */
  finish(error?: unknown): void {
    this.#queue.finish(error);
    this.#release();
  }

  get buffered(): number {
    return this.#queue.size;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    return this.#queue.next() as Promise<IteratorResult<T, undefined>>;
  }

  return(): Promise<IteratorResult<T, undefined>> {
    this.#queue.clear();
    this.#release();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  #release(): void {
    this.#host.detach(this as EventConsumer<unknown>);
    this.#signal?.removeEventListener("abort", this.#onAbort);
  }
}
