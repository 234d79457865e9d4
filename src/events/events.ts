/**
 * The event fan-out: every event the reader takes off the socket is offered
 * to each consumer; each consumer has its own bounded buffer, so a slow one
 * can never stall the reader (Asterisk drops clients that stop reading) nor
 * the other consumers.
 *
 * @module
 */

import { AmiConnectionError, AmiConsumerOverflowError, type AmiError } from "../errors.ts";
import type { AmiMessage } from "../wire/message.ts";

/** The default capacity of one consumer's buffer, in events. */
export const DEFAULT_EVENT_BUFFER_SIZE = 1024;

/**
 * A marker in an event stream where events were lost: the consumer's buffer
 * overflowed (`overflow`, with the number dropped) or the connection dropped
 * and came back (`reconnect`; what happened meanwhile is unknown). Delivered
 * only to consumers that ask for it with `{ gaps: true }`.
 *
 * @example Resynchronising after a gap
 * ```ts
 * import { AmiGap } from "@x/ami";
 * const item: unknown = new AmiGap("reconnect");
 * if (item instanceof AmiGap) console.assert(item.dropped === undefined);
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

/**
 * Which events a consumer wants:
 * - a name or a list of names (`"Hangup"`, `["Newchannel", "Hangup"]`),
 *   compared without regard to case;
 * - an object of header matches, all of which must hold: a string matches
 *   the header's first value exactly, a list matches any of its strings, a
 *   `RegExp` is tested against it (`{ Event: "Hangup", Channel: /^PJSIP\// }`);
 *   `Event` compares without regard to case;
 * - or a predicate.
 *
 * @example
 * ```ts
 * import type { AmiEventFilter } from "@x/ami";
 * const filter: AmiEventFilter = { Event: ["Newchannel", "Hangup"], Context: "from-internal" };
 * console.assert(typeof filter === "object");
 * ```
 */
export type AmiEventFilter<N extends string = string> =
  | N
  | readonly N[]
  | AmiHeaderFilter<N>
  | ((event: AmiMessage) => boolean);

/**
 * Header matches for {@linkcode AmiEventFilter}.
 *
 * @example
 * ```ts
 * import type { AmiHeaderFilter } from "@x/ami";
 * const filter: AmiHeaderFilter = { Event: "Hangup", Cause: ["16", "17"] };
 * console.assert(filter.Event === "Hangup");
 * ```
 */
export type AmiHeaderFilter<N extends string = string> =
  & { readonly Event?: N | readonly N[] }
  & { readonly [header: string]: string | readonly string[] | RegExp | undefined };

/**
 * Options of one event consumer.
 *
 * @example
 * ```ts
 * import type { AmiEventsOptions } from "@x/ami";
 * const options: AmiEventsOptions = { bufferSize: 1000, signal: AbortSignal.timeout(60_000) };
 * console.assert(options.bufferSize === 1000);
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
   * `false` (default): a loss ends the iteration with an error, after the
   * events buffered before it: {@linkcode AmiConsumerOverflowError} when the
   * buffer overflowed, {@linkcode AmiConnectionError} when the connection
   * dropped. `true`: the iteration goes on and yields an
   * {@linkcode AmiGap} where events were lost.
   */
  gaps?: boolean;
}

type Matcher = (event: AmiMessage, lowerName: string) => boolean;

/** The matcher of a consumer without a filter; the hub skips calling it. */
const takeAll: Matcher = () => true;

/** Turns a filter into one function, once, so matching costs no allocation. */
function compileFilter(filter: AmiEventFilter | undefined): Matcher {
  if (filter === undefined) return takeAll;
  if (typeof filter === "function") return (event) => filter(event);
  if (typeof filter === "string") {
    const wanted = filter.toLowerCase();
    return (_event, name) => name === wanted;
  }
  if (Array.isArray(filter)) {
    const wanted = new Set((filter as readonly string[]).map((name) => name.toLowerCase()));
    return (_event, name) => wanted.has(name);
  }
  const checks: Matcher[] = [];
  for (const [key, expected] of Object.entries(filter as AmiHeaderFilter)) {
    if (expected === undefined) continue;
    if (key.toLowerCase() === "event" && !(expected instanceof RegExp)) {
      checks.push(compileFilter(expected as string | readonly string[]));
    } else if (expected instanceof RegExp) {
      checks.push((event) => {
        const value = event.get(key);
        expected.lastIndex = 0;
        return value !== undefined && expected.test(value);
      });
    } else if (typeof expected === "string") {
      checks.push((event) => event.get(key) === expected);
    } else {
      const allowed = new Set(expected);
      checks.push((event) => allowed.has(event.get(key) as string));
    }
  }
  return (event, name) => {
    for (const check of checks) if (!check(event, name)) return false;
    return true;
  };
}

/**
 * Delivers events to any number of consumers. Knows nothing of requests or
 * sockets: the client publishes, consumers pull.
 */
export class EventHub {
  readonly #consumers = new Set<AmiEventStream<unknown>>();
  #closed = false;
  #closeError: AmiError | undefined;

  /** How many consumers are attached. */
  get size(): number {
    return this.#consumers.size;
  }

  /** How many events wait in all consumers' buffers together. */
  get buffered(): number {
    let total = 0;
    for (const consumer of this.#consumers) total += consumer.buffered;
    return total;
  }

  /** Offers an event to every consumer whose filter it passes. */
  publish(event: AmiMessage): void {
    if (this.#consumers.size === 0) return;
    // Lowered once, and only when a consumer has a filter to run: a consumer of every event
    // costs no string.
    let name: string | undefined;
    for (const consumer of this.#consumers) {
      if (consumer.takesAll) {
        consumer.offer(event);
        continue;
      }
      let wanted: boolean;
      try {
        wanted = consumer.matches(event, name ??= event.name.toLowerCase());
      } catch (error) {
        // A filter that throws ends its own consumer with that error, and no other.
        consumer.finish(error);
        continue;
      }
      if (wanted) consumer.offer(event);
    }
  }

  /** Tells every consumer that events were lost while the connection was down. */
  reconnected(): void {
    for (const consumer of this.#consumers) consumer.lostConnection();
  }

  /** Ends every consumer: quietly, or with `error` once its buffered events are read. */
  close(error?: AmiError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeError = error;
    for (const consumer of this.#consumers) consumer.finish(error);
    this.#consumers.clear();
  }

  /** Adds a consumer. */
  subscribe<T>(
    filter: AmiEventFilter | undefined,
    options: AmiEventsOptions = {},
  ): AmiEventStream<T> {
    const consumer = new AmiEventStream<T>(
      compileFilter(filter),
      options,
      (done) => this.#consumers.delete(done as AmiEventStream<unknown>),
    );
    if (this.#closed) consumer.finish(this.#closeError);
    else this.#consumers.add(consumer as AmiEventStream<unknown>);
    return consumer;
  }
}

/**
 * One consumer of events: an async iterator over a bounded ring buffer.
 * Returned by `client.events()`; use it with `for await`, or close it early
 * with `return()` or `await using`.
 *
 * @example
 * ```ts
 * import { AmiClient } from "@x/ami";
 * import { AmiTestServer } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer();
 * server.listen();
 * await using client = await AmiClient.connect(server.url);
 * await using hangups = client.events("Hangup");
 * server.emit({ Event: "Hangup", Channel: "PJSIP/100-00000001" });
 * const { value } = await hangups.next();
 * console.assert(value?.Channel === "PJSIP/100-00000001");
 * ```
 */
export class AmiEventStream<T> implements AsyncIterableIterator<T, undefined> {
  readonly #matches: Matcher;
  readonly #capacity: number;
  readonly #gaps: boolean;
  readonly #detach: (consumer: AmiEventStream<T>) => void;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort: (() => void) | undefined;
  /** A ring buffer; grows by doubling up to the capacity. */
  #ring: (AmiMessage | AmiGap | undefined)[] = new Array(16);
  #head = 0;
  #count = 0;
  #dropped = 0;
  #waiter: ((result: IteratorResult<T, undefined>) => void) | undefined;
  #waiterReject: ((error: unknown) => void) | undefined;
  #finished = false;
  #error: unknown;

  /** @internal Use `client.events()`. */
  constructor(
    matches: Matcher,
    options: AmiEventsOptions,
    detach: (consumer: AmiEventStream<T>) => void,
  ) {
    const capacity = options.bufferSize ?? DEFAULT_EVENT_BUFFER_SIZE;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`bufferSize must be a whole number of at least 1, not ${capacity}`);
    }
    this.#matches = matches;
    this.#capacity = capacity;
    this.#gaps = options.gaps === true;
    this.#detach = detach;
    const signal = options.signal;
    if (signal !== undefined) {
      this.#signal = signal;
      this.#onAbort = () => void this.return();
      if (signal.aborted) this.#finishNow();
      else signal.addEventListener("abort", this.#onAbort, { once: true });
    }
  }

  /** @internal Whether this consumer wants every event, so its filter need not run. */
  get takesAll(): boolean {
    return this.#matches === takeAll;
  }

  /** @internal Whether the event passes this consumer's filter. */
  matches(event: AmiMessage, lowerName: string): boolean {
    return this.#matches(event, lowerName);
  }

  /** @internal Takes an event, or notes its loss when the buffer is full. */
  offer(event: AmiMessage): void {
    if (this.#finished) return;
    const waiter = this.#waiter;
    if (waiter !== undefined && this.#count === 0 && this.#dropped === 0) {
      this.#waiter = this.#waiterReject = undefined;
      waiter({ value: event as T, done: false });
      return;
    }
    if (this.#count >= this.#capacity) {
      if (this.#gaps) {
        this.#dropped++;
      } else {
        // Stop taking events now; the iterator throws once the buffered ones are read.
        this.finish(new AmiConsumerOverflowError(this.#capacity));
      }
      return;
    }
    if (this.#dropped > 0) {
      this.#push(new AmiGap("overflow", this.#dropped));
      this.#dropped = 0;
    }
    this.#push(event);
    this.#wake();
  }

  /** @internal The connection dropped: a gap for `gaps` consumers, an error for others. */
  lostConnection(): void {
    if (this.#finished) return;
    if (this.#gaps) {
      this.#push(new AmiGap("reconnect"));
      this.#wake();
    } else {
      this.finish(
        new AmiConnectionError(
          "the connection dropped and was re-established; events in between were lost " +
            "(pass { gaps: true } to keep iterating past such gaps)",
        ),
      );
    }
  }

  /** @internal No more events will come; the buffered ones can still be read. */
  finish(error?: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#error = error;
    this.#release();
    this.#wake();
  }

  /**
   * The next event, waiting for one if none is buffered.
   *
   * @returns The next iterator result.
   */
  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#count > 0) return Promise.resolve({ value: this.#shift() as T, done: false });
    if (this.#dropped > 0) {
      const gap = new AmiGap("overflow", this.#dropped);
      this.#dropped = 0;
      return Promise.resolve({ value: gap as T, done: false });
    }
    if (this.#finished) {
      const error = this.#error;
      if (error !== undefined) {
        this.#error = undefined;
        return Promise.reject(error);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    if (this.#waiter !== undefined) {
      return Promise.reject(new TypeError("next() called again before the previous call settled"));
    }
    return new Promise((resolve, reject) => {
      this.#waiter = resolve;
      this.#waiterReject = reject;
    });
  }

  /**
   * Stops consuming: detaches from the client and drops buffered events.
   *
   * @returns A finished iterator result.
   */
  return(): Promise<IteratorResult<T, undefined>> {
    this.#finishNow();
    return Promise.resolve({ value: undefined, done: true });
  }

  /**
   * Returns itself, so it works with `for await`.
   *
   * @returns This consumer.
   */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * Stops consuming, as {@linkcode AmiEventStream.return} does.
   *
   * @returns When done.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  /** How many events are waiting to be read. */
  get buffered(): number {
    return this.#count;
  }

  #finishNow(): void {
    this.#finished = true;
    this.#error = undefined;
    this.#ring = [];
    this.#count = this.#head = this.#dropped = 0;
    this.#release();
    this.#wake();
  }

  #release(): void {
    this.#detach(this);
    if (this.#signal !== undefined && this.#onAbort !== undefined) {
      this.#signal.removeEventListener("abort", this.#onAbort);
    }
  }

  #wake(): void {
    const waiter = this.#waiter;
    const reject = this.#waiterReject;
    if (waiter === undefined || reject === undefined) return;
    if (this.#count === 0 && !this.#finished) return;
    this.#waiter = this.#waiterReject = undefined;
    this.next().then(waiter, reject);
  }

  #push(item: AmiMessage | AmiGap): void {
    if (this.#count === this.#ring.length) this.#growRing();
    this.#ring[(this.#head + this.#count) % this.#ring.length] = item;
    this.#count++;
  }

  #shift(): AmiMessage | AmiGap {
    const item = this.#ring[this.#head]!;
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#ring.length;
    this.#count--;
    return item;
  }

  #growRing(): void {
    const bigger: (AmiMessage | AmiGap | undefined)[] = new Array(
      Math.max(16, this.#ring.length * 2),
    );
    for (let i = 0; i < this.#count; i++) {
      bigger[i] = this.#ring[(this.#head + i) % this.#ring.length];
    }
    this.#ring = bigger;
    this.#head = 0;
  }
}
