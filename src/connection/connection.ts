/**
 * One live connection: reads the transport through the frame parser, hands
 * every message on, and batches writes. It knows nothing of actions, logins
 * or events; the client does.
 *
 * @module
 */

import { AmiConnectionError, type AmiError, type AmiProtocolError } from "../errors.ts";
import type { AmiMessage } from "../wire/message.ts";
import { type ByteChannel, openByteChannel } from "../transport/byte_channel.ts";
import { AmiFrameParser } from "../wire/parser.ts";
import type { AmiTransport } from "../transport/open_transport.ts";
import type { AmiWireFrame } from "../wire/wire_tap.ts";

const encoder = new TextEncoder();
/**
 * The longest the reader runs without letting timers fire. A stream that
 * always has data ready settles every read in microtasks, so without a pause
 * no timer (action timeouts, keepalive) would run until the burst ended.
 */
const TIMER_TURN_MS = 10;
/**
 * Microtask turns without a consumer reading an event after which the reader
 * goes on: room for a consumer that awaits a few promises of its own per event.
 */
const STALLED_TURNS = 32;
/**
 * The most bytes parsed before consumers get a turn. Asterisk's smallest
 * events take about 100 bytes, so a slice holds well under the default
 * consumer buffer (1024 events), however large the read.
 */
const DELIVER_BYTES = 16 * 1024;

/** What a connection reports to its owner. */
export interface ConnectionHooks {
  onMessage(message: AmiMessage): void;
  onProtocolError(error: AmiProtocolError): void;
  /** Called once, when the connection is gone; `error` is unset for a close we asked for. */
  onClosed(error: AmiError | undefined): void;
  onWire: ((frame: AmiWireFrame) => void) | undefined;
  /** How many events wait in consumers' buffers; the reader lets them drain. */
  buffered?(): number;
}

/** Parser settings for a connection. */
export interface ConnectionOptions {
  maxFrameBytes?: number | undefined;
  banner?: boolean | undefined;
}

/** One transport, read until it ends and written in batches. */
export class Connection {
  readonly #hooks: ConnectionHooks;
  readonly #channel: ByteChannel;
  readonly #parser: AmiFrameParser;
  readonly #banner: Promise<string>;
  readonly #done: Promise<void>;
  #resolveBanner!: (banner: string) => void;
  #rejectBanner!: (error: AmiError) => void;
  #queue: string[] = [];
  #writing = false;
  #closing = false;
  #closed = false;

  constructor(transport: AmiTransport, hooks: ConnectionHooks, options: ConnectionOptions = {}) {
    this.#hooks = hooks;
    this.#channel = openByteChannel(transport);
    this.#banner = new Promise((resolve, reject) => {
      this.#resolveBanner = resolve;
      this.#rejectBanner = reject;
    });
    // Nobody may be waiting for the banner; a rejection must not go unhandled.
    this.#banner.catch(() => {});
    const onWire = hooks.onWire;
    this.#parser = new AmiFrameParser(
      onWire === undefined ? hooks.onMessage : (message) => {
        callHook(onWire, {
          direction: "received",
          text: message.toString(),
          at: message.receivedAt,
        });
        hooks.onMessage(message);
      },
      {
        banner: options.banner ?? true,
        ...(options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes }),
        onBanner: (banner) => {
          if (onWire !== undefined) {
            callHook(onWire, { direction: "received", text: banner + "\r\n", at: Date.now() });
          }
          this.#resolveBanner(banner);
        },
        onError: hooks.onProtocolError,
      },
    );
    if (options.banner === false) this.#resolveBanner("");
    this.#done = this.#read();
  }

  /** The banner line, once read; rejects if the connection ends first. */
  get banner(): Promise<string> {
    return this.#banner;
  }

  /** Whether the connection is still usable. */
  get open(): boolean {
    return !this.#closing && !this.#closed;
  }

  /** Queues one frame; frames queued while a write is under way go out together. */
  write(text: string): void {
    if (!this.open) return;
    if (this.#hooks.onWire !== undefined) {
      callHook(this.#hooks.onWire, { direction: "sent", text, at: Date.now() });
    }
    this.#queue.push(text);
    if (!this.#writing) {
      // Start writing once the current job and the microtasks queued so far have run, so
      // that actions sent in response to one read (or in one loop) go out in one write.
      this.#writing = true;
      queueMicrotask(() => void this.#drain());
    }
  }

  /** Closes the connection, as asked (no error is reported), and waits until it is gone. */
  async close(): Promise<void> {
    this.#shutdown(undefined);
    await this.#done;
  }

  /** Drops the connection because of `error` (a dead peer, say), and waits until it is gone. */
  async abort(error: AmiError): Promise<void> {
    this.#shutdown(error);
    await this.#done;
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queue.length > 0 && this.open) {
        const text = this.#queue.length === 1 ? this.#queue[0]! : this.#queue.join("");
        this.#queue = [];
        await this.#channel.write(encoder.encode(text));
      }
    } catch (error) {
      this.#shutdown(
        new AmiConnectionError(`writing to the server failed: ${describe(error)}`, {
          cause: error,
        }),
      );
    } finally {
      this.#writing = false;
    }
  }

  async #read(): Promise<void> {
    let failure: AmiError | undefined;
    try {
      while (true) {
        const value = await this.#channel.read();
        if (value === null) break;
        // Handed on a slice at a time, consumers getting a turn after each: one read can
        // hold more events than a consumer's buffer.
        for (let at = 0; at < value.length; at += DELIVER_BYTES) {
          this.#parser.push(
            at === 0 && value.length <= DELIVER_BYTES
              ? value
              : value.subarray(at, at + DELIVER_BYTES),
          );
          await this.#letConsumersDrain();
        }
        const timersTurn = this.#letTimersRun();
        if (timersTurn !== undefined) await timersTurn;
      }
      this.#parser.end();
      if (!this.#closing) failure = new AmiConnectionError("the server closed the connection");
    } catch (error) {
      if (!this.#closing) {
        failure = new AmiConnectionError(`reading from the server failed: ${describe(error)}`, {
          cause: error,
        });
      }
    }
    this.#shutdown(failure);
    this.#release();
  }

  #failure: AmiError | undefined;

  /**
   * Gives event consumers turns before parsing more. A read the stream can
   * serve at once settles within a few microtasks and may hand over hundreds
   * of events, while a consumer takes a few microtasks per event: unchecked,
   * the reader would race ahead and overflow buffers of consumers that keep
   * up. The reader waits while consumers make progress, so one that is
   * really slow (waiting on I/O between events) cannot stall it (Asterisk
   * drops clients that stop reading): it overflows.
   */
  async #letConsumersDrain(): Promise<void> {
    const buffered = this.#hooks.buffered;
    if (buffered === undefined) return;
    let waiting = buffered();
    let stalled = 0;
    while (waiting > 0 && stalled < STALLED_TURNS) {
      await undefined;
      const now = buffered();
      stalled = now < waiting ? 0 : stalled + 1;
      waiting = now;
    }
  }

  /**
   * Lets timers run when they have been starved. A canary timer is armed at
   * most once per {@linkcode TIMER_TURN_MS}; if it has not fired that long
   * after, every read since was served at once, without a turn of the event
   * loop, and the reader waits for the canary: it is overdue, so it fires in
   * the next turn of the event loop, after every timer that was due before
   * it. Reads that wait on the network cost nothing here.
   */
  #letTimersRun(): Promise<void> | undefined {
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

  #canary: ReturnType<typeof setTimeout> | undefined;
  /** Settles when the armed canary fires; `undefined` when none is armed. */
  #canaryFired: Promise<void> | undefined;
  #canaryArmedAt = -Infinity;

  #shutdown(error: AmiError | undefined): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#failure = error;
    this.#queue = [];
    this.#rejectBanner(error ?? new AmiConnectionError("the connection was closed"));
    // Unblocks a pending read, which ends the read loop, which releases the rest.
    this.#channel.cancelRead();
  }

  #release(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#canary);
    this.#channel.close(
      this.#writing,
      this.#failure ?? new AmiConnectionError("the connection was closed"),
    );
    this.#hooks.onClosed(this.#failure);
  }
}

function callHook(hook: (frame: AmiWireFrame) => void, frame: AmiWireFrame): void {
  try {
    hook(frame);
  } catch (error) {
    // A throwing user hook must not break the session; surface it where it can be seen.
    queueMicrotask(() => {
      throw error;
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
