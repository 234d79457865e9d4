/**
 * {@linkcode AmiPoolEventStream}: the events of every PBX of a pool in one
 * stream, tagged with the PBX, in order per PBX, taken round-robin.
 *
 * @module
 */

import type { AmiClient } from "../client/client.ts";
import { AmiConnectionError, AmiConsumerOverflowError } from "../errors.ts";
import {
  type AmiEventFilter,
  type AmiEventsOptions,
  type AmiEventStream,
  AmiGap,
} from "../events/events.ts";
import type { AmiEvent } from "../types/maps.ts";

/**
 * One item of a pool's event stream: an event (or, with `gaps: true`, an
 * {@linkcode AmiGap}) and the PBX it came from.
 *
 * @example
 * ```ts
 * import { AmiGap, type AmiPoolEvent } from "@x/ami";
 * import assert from "node:assert/strict";
 * const item: AmiPoolEvent<AmiGap> = { pbx: "pbx-a", epoch: "3f2a9c1b0e4d", seq: undefined, event: new AmiGap("reconnect") };
 * assert.ok(item.event instanceof AmiGap);
 * ```
 */
export interface AmiPoolEvent<E> {
  /** The PBX's name in the pool. */
  readonly pbx: string;
  /** The id of the PBX's client that read the event (a new one after the pool reconnects it). */
  readonly epoch: string;
  /**
   * The event's place in its client's order: the client's own `seq` (it
   * increases in the order the client read frames, responses included, so
   * it need not be contiguous) when it has one, else counted by this stream
   * from 1. `undefined` on a gap.
   */
  readonly seq: number | undefined;
  /** The event, or a gap marker. */
  readonly event: E;
}

/** Options of a pool's event stream: those of `client.events()`, per PBX. */
export type AmiPoolEventsOptions = AmiEventsOptions;

type Pulled =
  | { readonly ok: IteratorResult<AmiEvent | AmiGap, undefined> }
  | { readonly failed: unknown };

/** The stream of one client of one PBX, as this merged stream reads it. */
interface Source {
  readonly pbx: string;
  readonly epoch: string;
  readonly stream: AmiEventStream<AmiEvent | AmiGap>;
  /** Events counted, for events without a `seq` of their own. */
  counted: number;
  /** The result of the pull under way, once it settled. */
  pulled: Pulled | undefined;
  /** A reconnect gap to yield before this source's first event. */
  pendingGap: AmiGap | undefined;
}

/**
 * The merged event stream of an {@linkcode AmiPool}; made by
 * `pool.events()`. Each PBX's events wait in a bounded buffer of their own
 * (the `bufferSize` of `client.events()`), so a busy PBX never delays
 * another and a slow consumer loses events per PBX, never silently.
 *
 * @example
 * ```ts
 * import { AmiPool } from "@x/ami";
 * import { AmiTestServer } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = new AmiTestServer();
 * server.listen();
 * await using pool = new AmiPool({ pbxs: { "pbx-a": server.url } });
 * await pool.ready();
 * await using hangups = pool.events("Hangup");
 * await pool.send("pbx-a", { Action: "Ping" }); // answered once the server sends the events
 * server.emit({ Event: "Hangup", Channel: "PJSIP/100-00000001" });
 * const { value } = await hangups.next();
 * assert.equal(value?.pbx, "pbx-a");
 * assert.equal(value?.event.Channel, "PJSIP/100-00000001");
 * ```
 */
export class AmiPoolEventStream<E> implements AsyncIterableIterator<AmiPoolEvent<E>, undefined> {
  readonly #filter: AmiEventFilter | undefined;
  readonly #options: AmiEventsOptions;
  readonly #gaps: boolean;
  readonly #detach: (stream: AmiPoolEventStream<E>) => void;
  readonly #sources = new Map<string, Source>();
  /** PBXs this stream has read from, so that a new client of one means a gap. */
  readonly #seen = new Set<string>();
  #turn = 0;
  #wake: (() => void) | undefined;
  #finished = false;
  #error: unknown;
  #waiting = false;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = () => this.#end(undefined);

  /** @internal Use `pool.events()`. */
  constructor(
    filter: AmiEventFilter | undefined,
    options: AmiEventsOptions,
    detach: (stream: AmiPoolEventStream<E>) => void,
  ) {
    this.#filter = filter;
    this.#options = options.bufferSize === undefined
      ? { gaps: true }
      : { gaps: true, bufferSize: options.bufferSize };
    this.#gaps = options.gaps === true;
    this.#detach = detach;
    this.#signal = options.signal;
    if (this.#signal?.aborted) this.#end(undefined);
    else this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** @internal A PBX has a new client: read its events from now on. */
  attach(pbx: string, client: AmiClient, epoch: string): void {
    if (this.#finished) return;
    this.#sources.get(pbx)?.stream.return();
    const source: Source = {
      pbx,
      epoch,
      stream: client.events(this.#filter, this.#options as AmiEventsOptions & { gaps: true }),
      counted: 0,
      pulled: undefined,
      pendingGap: this.#seen.has(pbx) ? new AmiGap("reconnect") : undefined,
    };
    this.#seen.add(pbx);
    this.#sources.set(pbx, source);
    this.#pull(source);
    if (source.pendingGap !== undefined) this.#wake?.();
  }

  /** @internal A PBX left the pool: stop reading it. */
  detachPbx(pbx: string): void {
    const source = this.#sources.get(pbx);
    if (source === undefined) return;
    this.#sources.delete(pbx);
    this.#seen.delete(pbx);
    source.stream.return();
    this.#wake?.();
  }

  /** @internal The pool closed: end after what is buffered. */
  finish(): void {
    this.#end(undefined);
  }

  /**
   * The next event of any PBX, waiting for one if none is buffered.
   *
   * @returns The next iterator result.
   */
  async next(): Promise<IteratorResult<AmiPoolEvent<E>, undefined>> {
    if (this.#waiting) {
      throw new TypeError("Cannot call next() again before the previous call settled");
    }
    this.#waiting = true;
    try {
      for (;;) {
        if (this.#finished) return this.#done();
        const item = this.#take();
        if (item !== undefined) return { value: item, done: false };
        await new Promise<void>((resolve) => this.#wake = resolve);
        this.#wake = undefined;
      }
    } finally {
      this.#waiting = false;
    }
  }

  /**
   * Stops consuming: detaches from every PBX and drops buffered events.
   *
   * @returns A finished iterator result.
   */
  return(): Promise<IteratorResult<AmiPoolEvent<E>, undefined>> {
    this.#end(undefined);
    return Promise.resolve({ value: undefined, done: true });
  }

  /**
   * Returns itself, so it works with `for await`.
   *
   * @returns This stream.
   */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * Stops consuming, as {@linkcode AmiPoolEventStream.return} does.
   *
   * @returns When done.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  /** The next ready item, taking PBXs in turn; `undefined` when none is ready. */
  #take(): AmiPoolEvent<E> | undefined {
    const sources = [...this.#sources.values()];
    for (let i = 0; i < sources.length; i++) {
      const source = sources[(this.#turn + i) % sources.length]!;
      const item = this.#takeFrom(source);
      if (item === undefined) continue;
      this.#turn = (this.#turn + i + 1) % Math.max(1, sources.length);
      return item;
    }
    return undefined;
  }

  #takeFrom(source: Source): AmiPoolEvent<E> | undefined {
    const { pbx, epoch } = source;
    if (source.pendingGap !== undefined) {
      const gap = source.pendingGap;
      source.pendingGap = undefined;
      return this.#gap(pbx, epoch, gap);
    }
    const pulled = source.pulled;
    if (pulled === undefined) return undefined;
    source.pulled = undefined;
    if ("failed" in pulled || pulled.ok.done) {
      // The client closed; if the pool connects a new one, that one starts with a gap.
      if (this.#sources.get(pbx) === source) this.#sources.delete(pbx);
      return undefined;
    }
    this.#pull(source);
    const value = pulled.ok.value;
    if (value instanceof AmiGap) return this.#gap(pbx, epoch, value);
    const own = (value as { seq?: unknown }).seq;
    const seq = typeof own === "number" ? own : ++source.counted;
    return { pbx, epoch, seq, event: value as E };
  }

  #gap(pbx: string, epoch: string, gap: AmiGap): AmiPoolEvent<E> | undefined {
    if (this.#gaps) return { pbx, epoch, seq: undefined, event: gap as E };
    this.#end(
      gap.reason === "overflow"
        ? new AmiConsumerOverflowError(this.#options.bufferSize ?? gap.dropped ?? 0)
        : new AmiConnectionError(
          `The connection to PBX "${pbx}" dropped and came back; events in between were lost ` +
            "(pass { gaps: true } to keep iterating past such gaps)",
        ),
    );
    return undefined;
  }

  #pull(source: Source): void {
    source.stream.next().then(
      (ok) => source.pulled = { ok },
      (failed) => source.pulled = { failed },
    ).finally(() => this.#wake?.());
  }

  #done(): IteratorResult<AmiPoolEvent<E>, undefined> {
    const error = this.#error;
    if (error !== undefined) {
      this.#error = undefined;
      throw error;
    }
    return { value: undefined, done: true };
  }

  #end(error: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#error = error;
    for (const source of this.#sources.values()) source.stream.return();
    this.#sources.clear();
    this.#detach(this);
    this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#wake?.();
  }
}
