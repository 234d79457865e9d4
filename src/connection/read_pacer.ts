/**
 * Pacing between the socket and the consumers of what it carries.
 *
 * The reader must drain the socket (Asterisk drops clients that stop
 * reading), yet a read the runtime can serve at once settles within a few
 * microtasks and may hold thousands of events, while a consumer takes a few
 * microtasks per event. Unchecked, the reader would race ahead and overflow
 * the buffers of consumers that do keep up, and no timer (action timeouts,
 * keepalive) would run until the burst ended. The pacer does two things:
 *
 * - It cuts each read into slices of at most {@linkcode SLICE_FRAMES} frames
 *   (judged from the bytes per frame seen so far) and
 *   {@linkcode SLICE_BYTES} bytes. After a slice, while the fan-out reports a
 *   backlog ({@linkcode Backlog}, kept up to date by the fan-out itself, so
 *   reading it costs nothing), the reader yields turns as long as consumers
 *   make progress. A consumer that is really slow (waiting on I/O between
 *   events) cannot stall the reader: after {@linkcode STALLED_TURNS} turns
 *   without progress the reader goes on, and that consumer overflows.
 * - Timers get a turn at least every {@linkcode TIMER_TURN_MS}: a canary
 *   timer is armed; if it has not fired that long after, every read since
 *   was served without a turn of the event loop, and the reader waits for
 *   it, which lets every timer due before it run first. Reads that wait on
 *   the network cost nothing here.
 *
 * @module
 */

/** The longest the reader runs without letting timers fire, in ms. */
export const TIMER_TURN_MS = 10;
/** Microtask turns without a consumer taking an event after which the reader goes on. */
export const STALLED_TURNS = 32;
/** The most bytes parsed before consumers get a turn. */
export const SLICE_BYTES = 16 * 1024;
/**
 * The most frames parsed before consumers get a turn: well under the
 * default consumer buffer (1024 events), however small the events.
 */
export const SLICE_FRAMES = 256;
/** The fewest bytes in a slice, so that tiny frames do not cost a turn each. */
const MIN_SLICE_BYTES = 256;
/** The size of the smallest event: `Event: A`, CR LF and the blank line. */
const SMALLEST_FRAME_BYTES = 12;

/**
 * How many events wait in consumers' buffers, as the fan-out reports it:
 * each buffer tells of every event it takes in and hands out. Reading the
 * count costs nothing, however many consumers there are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Backlog } from "./read_pacer.ts";
 *
 * const backlog = new Backlog();
 * backlog.change(3);
 * backlog.change(-1);
 * assert.equal(backlog.count, 2);
 * ```
 */
export class Backlog {
  #count = 0;

  /** Events buffered for consumers, all together. */
  get count(): number {
    return this.#count;
  }

  /** Adds `delta` (negative when events were read or dropped). */
  change(delta: number): void {
    this.#count += delta;
  }
}

/** Paces one connection's reader; see the module doc. */
export class ReadPacer {
  readonly #backlog: Backlog | undefined;
  /**
   * Bytes per frame, as last seen. It starts at the smallest event there is
   * (`Event: A` and the blank line: 12 bytes) and at most doubles per slice,
   * so that a switch to smaller frames costs at most one slice of misjudging.
   */
  #bytesPerFrame = SMALLEST_FRAME_BYTES;
  #canary: ReturnType<typeof setTimeout> | undefined;
  /** Settles when the armed canary fires; `undefined` when none is armed. */
  #canaryFired: Promise<void> | undefined;
  #canaryArmedAt = -Infinity;

  /** @param backlog The fan-out's backlog; without one, only timers are paced. */
  constructor(backlog?: Backlog) {
    this.#backlog = backlog;
  }

  /** How many bytes the next slice may take. */
  get sliceBytes(): number {
    const bytes = Math.floor(this.#bytesPerFrame * SLICE_FRAMES);
    return Math.max(MIN_SLICE_BYTES, Math.min(SLICE_BYTES, bytes));
  }

  /**
   * After a slice of `bytes` that gave `frames` frames: learns their size,
   * and settles once consumers have drained their backlog or stalled.
   * `undefined` when there is nothing to wait for.
   */
  afterSlice(bytes: number, frames: number): Promise<void> | undefined {
    if (frames > 0) this.#bytesPerFrame = Math.min(bytes / frames, 2 * this.#bytesPerFrame);
    const backlog = this.#backlog;
    if (backlog === undefined || backlog.count === 0) return undefined;
    return this.#letConsumersDrain(backlog);
  }

  /** After a whole read: a wait when timers have been starved, else `undefined`. */
  afterRead(): Promise<void> | undefined {
    const now = performance.now();
    if (this.#canaryFired !== undefined) {
      if (now - this.#canaryArmedAt > TIMER_TURN_MS) return this.#canaryFired;
    } else if (now - this.#canaryArmedAt >= TIMER_TURN_MS) {
      this.#canaryArmedAt = now;
      this.#canaryFired = new Promise((resolve) => {
        this.#canary = setTimeout(() => {
          this.#canary = this.#canaryFired = undefined;
          resolve();
        }, 0);
      });
    }
    return undefined;
  }

  /** Clears the canary timer. */
  dispose(): void {
    clearTimeout(this.#canary);
  }

  async #letConsumersDrain(backlog: Backlog): Promise<void> {
    let waiting = backlog.count;
    let stalled = 0;
    while (waiting > 0 && stalled < STALLED_TURNS) {
      await undefined;
      const now = backlog.count;
      stalled = now < waiting ? 0 : stalled + 1;
      waiting = now;
    }
  }
}
