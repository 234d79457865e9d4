/**
 * The event fan-out: every event the reader takes off the socket is offered
 * to each consumer; each consumer has its own bounded buffer, so a slow one
 * can never stall the reader (Asterisk drops clients that stop reading) nor
 * the other consumers. The hub keeps the count of events buffered for all
 * consumers up to date as they come and go, for the reader's pacing.
 *
 * @module
 */

import { AmiConsumerOverflowError, type AmiError } from "../errors.ts";
import { AmiMessage } from "../wire/message.ts";
import { Backlog } from "../connection/read_pacer.ts";
import { type AmiEventFilter, compileFilter } from "./event_filter.ts";
import { type AmiEventsOptions, type ConsumerHost, EventConsumer } from "./event_stream.ts";
import type { AmiOutage } from "./gap.ts";

/**
 * Delivers events to any number of consumers. Knows nothing of requests or
 * sockets: the client publishes, consumers pull.
 */
export class EventHub {
  /** Each attached consumer, with the filter it was made with (for the server-side selection). */
  readonly #consumers = new Map<EventConsumer<unknown>, AmiEventFilter | undefined>();
  readonly #backlog: Backlog;
  readonly #host: ConsumerHost;
  #closed = false;
  #closeError: AmiError | undefined;
  /** When the connection dropped, while the link is not back. */
  #droppedAt: number | undefined;
  /** Events read before the first consumer came, for it; `undefined` once handed over. */
  #held: (AmiMessage | AmiOutage)[] | undefined;
  readonly #holdCapacity: number;
  /** Events that arrived before the first consumer and did not fit in `#held`. */
  #heldDropped = 0;
  /** The last outage, until the client reports it with the state change that says it is over. */
  #outage: AmiOutage | undefined;

  /**
   * @param backlog Kept up to date with the number of events buffered for consumers.
   * @param hold How many events read before the first consumer wait for it
   *   (0: none). They are not counted in `backlog`: the reader must not wait
   *   for a consumer that may never come.
   */
  constructor(backlog: Backlog = new Backlog(), hold = 0) {
    this.#backlog = backlog;
    this.#holdCapacity = hold;
    this.#held = hold > 0 ? [] : undefined;
    this.#host = {
      detach: (consumer) => this.#consumers.delete(consumer),
      buffered: (delta) => backlog.change(delta),
    };
  }

  /** How many consumers are attached. */
  get size(): number {
    return this.#consumers.size;
  }

  /** The filters of the consumers attached now (`undefined`: every event). */
  filters(): (AmiEventFilter | undefined)[] {
    return [...this.#consumers.values()];
  }

  /**
   * Stops holding events for a first consumer: what is held goes. For when
   * the client itself turned events on before any consumer existed: what
   * comes then was never asked for by a consumer.
   */
  releaseHold(): void {
    this.#held = undefined;
    this.#heldDropped = 0;
  }

  /** How many events wait in all consumers' buffers together. */
  get buffered(): number {
    return this.#backlog.count;
  }

  /** Offers an event to every consumer whose filter it passes. */
  publish(event: AmiMessage): void {
    // Events flowing again means the link is back: the markers go before them.
    if (this.#droppedAt !== undefined) this.linkBack();
    const held = this.#held;
    if (held !== undefined) {
      if (held.length < this.#holdCapacity) held.push(event);
      else this.#heldDropped++;
      return;
    }
    this.#fanOut(event);
  }

  /** Offers an event to every consumer whose filter it passes (the link state aside). */
  #fanOut(event: AmiMessage): void {
    if (this.#consumers.size === 0) return;
    // Lowered once, and only when a consumer has a filter to run: a consumer of every event
    // costs no string.
    let name: string | undefined;
    for (const consumer of this.#consumers.keys()) {
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

  /**
   * Tells every consumer that the connection dropped: events will be
   * missing until {@linkcode EventHub.linkBack}. A drop during a failed
   * reconnect attempt keeps the first drop's time.
   */
  connectionLost(at: number = Date.now()): void {
    // A link back that the client never reported (the attempt failed after the login) is one outage.
    this.#droppedAt ??= this.#outage?.droppedAt ?? at;
    this.#outage = undefined;
    for (const consumer of this.#consumers.keys()) consumer.connectionLost();
  }

  /**
   * The link is back (logged in again): every consumer that was attached
   * at the drop counts the loss, a `gaps` one gets its marker.
   *
   * @returns The outage, or `undefined` when the link was not down.
   */
  linkBack(at: number = Date.now()): AmiOutage | undefined {
    const droppedAt = this.#droppedAt;
    if (droppedAt === undefined) return undefined;
    this.#droppedAt = undefined;
    const outage: AmiOutage = { droppedAt, restoredAt: at };
    this.#outage = outage;
    // Events held for the first consumer from before the drop: it learns of the loss in place.
    if (this.#held !== undefined && this.#held.length > 0) this.#held.push(outage);
    for (const consumer of this.#consumers.keys()) consumer.linkBack(outage);
    return outage;
  }

  /** The outage the link came back from, once: for the state change that reports it. */
  takeOutage(): AmiOutage | undefined {
    const outage = this.#outage;
    this.#outage = undefined;
    return outage;
  }

  /** Ends every consumer: quietly, or with `error` once its buffered events are read. */
  close(error?: AmiError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeError = error;
    for (const consumer of [...this.#consumers.keys()]) consumer.finish(error);
    this.#consumers.clear();
  }

  /** Adds a consumer; one made with an aborted signal, or after `close()`, is never attached. */
  subscribe<T>(
    filter: AmiEventFilter | undefined,
    options: AmiEventsOptions = {},
  ): EventConsumer<T> {
    const consumer = new EventConsumer<T>(compileFilter(filter), options, this.#host);
    if (this.#closed) consumer.finish(this.#closeError);
    else if (!consumer.finished) this.#consumers.set(consumer as EventConsumer<unknown>, filter);
    if (this.#held !== undefined && !consumer.finished) this.#handOver();
    return consumer;
  }

  /** Gives the events held for the first consumer to it, and an overflow in their place when some did not fit. */
  #handOver(): void {
    const held = this.#held!;
    const dropped = this.#heldDropped;
    this.#held = undefined;
    for (const item of held) {
      if (item instanceof AmiMessage) {
        this.#fanOut(item);
        continue;
      }
      for (const consumer of this.#consumers.keys()) {
        consumer.connectionLost();
        consumer.linkBack(item);
      }
    }
    // Held from before a drop the link is not back from: the consumer's loss is marked when it is.
    if (this.#droppedAt !== undefined && held.length > 0) {
      for (const consumer of this.#consumers.keys()) consumer.connectionLost();
    }
    if (dropped === 0) return;
    for (const consumer of this.#consumers.keys()) {
      consumer.overflowed(dropped, new AmiConsumerOverflowError(this.#holdCapacity));
    }
  }
}
