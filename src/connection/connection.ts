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
import type { AmiTransport } from "../transport/types.ts";
import type { AmiWireFrame } from "../wire/wire_tap.ts";
import { describeError } from "../_util/hooks.ts";
import { type Backlog, ReadPacer } from "./read_pacer.ts";

/** An AMI banner: `Asterisk Call Manager/<version>` (other AMI servers name themselves alike). */
const AMI_BANNER_REGEXP = /Call Manager\/\S/i;

/** What a connection reports to its owner. */
export interface ConnectionHooks {
  onMessage(message: AmiMessage): void;
  onProtocolError(error: AmiProtocolError): void;
  /** Called once, when the connection is gone; `error` is unset for a close we asked for. */
  onClosed(error: AmiError | undefined): void;
  /** Sees every frame sent and received; it must not throw (wrap a user's hook). */
  onWire: ((frame: AmiWireFrame) => void) | undefined;
}

/** The most text waiting to be written by default: 8 MiB. */
export const DEFAULT_MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/** What a queued frame is written for: once it has settled, the frame is not wanted. */
export interface WriteTicket {
  readonly settled: boolean;
}

interface QueuedFrame {
  text: string;
  ticket: WriteTicket | undefined;
}

/** Parser settings for a connection. */
export interface ConnectionOptions {
  maxFrameBytes?: number | undefined;
  banner?: boolean | undefined;
  /** Events waiting in consumers' buffers: the reader lets them drain (see `ReadPacer`). */
  backlog?: Backlog | undefined;
  /** The most text waiting to be written; defaults to {@linkcode DEFAULT_MAX_QUEUED_BYTES}. */
  maxQueuedBytes?: number | undefined;
  /** Numbers each message read (its `seq`); the client shares one counter across connections. */
  sequence?: (() => number) | undefined;
}

/** One transport, read until it ends and written in batches. */
export class Connection {
  readonly #hooks: ConnectionHooks;
  readonly #channel: ByteChannel;
  readonly #parser: AmiFrameParser;
  readonly #banner: Promise<string>;
  readonly #done: Promise<void>;
  readonly #pacer: ReadPacer;
  #resolveBanner!: (banner: string) => void;
  #rejectBanner!: (error: AmiError) => void;
  #queue: QueuedFrame[] = [];
  /** The length of the frames in `#queue` (UTF-16 units: about their bytes). */
  #queuedBytes = 0;
  readonly #maxQueuedBytes: number;
  #writing = false;
  #closing = false;
  #closed = false;
  /** Frames handed on so far, for the pacer's slices. */
  #frames = 0;
  /** Why the connection ended: `undefined` for a close that was asked for. */
  #failure: AmiError | undefined;

  constructor(transport: AmiTransport, hooks: ConnectionHooks, options: ConnectionOptions = {}) {
    this.#hooks = hooks;
    this.#channel = openByteChannel(transport);
    this.#pacer = new ReadPacer(options.backlog);
    this.#maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    this.#banner = new Promise((resolve, reject) => {
      this.#resolveBanner = resolve;
      this.#rejectBanner = reject;
    });
    // Nobody may be waiting for the banner; a rejection must not go unhandled.
    this.#banner.catch(() => {});
    const onWire = hooks.onWire;
    const onMessage = hooks.onMessage;
    this.#parser = new AmiFrameParser(
      onWire === undefined
        ? (message) => {
          this.#frames++;
          onMessage(message);
        }
        : (message) => {
          this.#frames++;
          onWire({ direction: "received", text: message.toString(), at: message.receivedAt });
          onMessage(message);
        },
      {
        banner: options.banner ?? true,
        ...(options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes }),
        onBanner: (banner) => {
          onWire?.({ direction: "received", text: banner + "\r\n", at: Date.now() });
          if (AMI_BANNER_REGEXP.test(banner)) {
            this.#resolveBanner(banner);
          } else {
            this.#shutdown(
              new AmiConnectionError(
                `The server is not AMI: its first line is ${quoteLine(banner)}, ` +
                  `not "Asterisk Call Manager/<version>"`,
              ),
            );
          }
        },
        onError: hooks.onProtocolError,
        ...(options.sequence === undefined ? {} : { sequence: options.sequence }),
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
  /**
   * Queues one frame; frames queued while a write is under way go out
   * together. A frame whose `ticket` has settled by the time its turn comes
   * (its action timed out or was aborted) is never written.
   *
   * @returns `false` when the frame was refused: the connection is down, or
   *   the frames waiting to be written already hold `maxQueuedBytes` (the
   *   server is not reading).
   */
  write(text: string, ticket?: WriteTicket): boolean {
    if (!this.open) return false;
    if (this.#queuedBytes + text.length > this.#maxQueuedBytes && this.#queue.length > 0) {
      return false;
    }
    this.#queue.push({ text, ticket });
    this.#queuedBytes += text.length;
    if (!this.#writing) {
      // Start writing once the current job and the microtasks queued so far have run, so
      // that actions sent in response to one read (or in one loop) go out in one write.
      this.#writing = true;
      queueMicrotask(() => void this.#drain());
    }
    return true;
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
        const frames = this.#queue;
        this.#queue = [];
        this.#queuedBytes = 0;
        const text = this.#wanted(frames);
        if (text !== "") await this.#channel.writeText(text);
      }
    } catch (error) {
      this.#shutdown(
        new AmiConnectionError(`Writing to the server failed: ${describeError(error)}`, {
          cause: error,
        }),
      );
    } finally {
      this.#writing = false;
    }
  }

  /** The text of the frames still wanted, each shown to the wire tap as it goes. */
  #wanted(frames: QueuedFrame[]): string {
    const onWire = this.#hooks.onWire;
    let text = "";
    for (const { text: frame, ticket } of frames) {
      if (ticket?.settled === true) continue;
      onWire?.({ direction: "sent", text: frame, at: Date.now() });
      text += frame;
    }
    return text;
  }

  async #read(): Promise<void> {
    let failure: AmiError | undefined;
    try {
      while (true) {
        const value = await this.#channel.read();
        if (value === null) break;
        await this.#deliver(value);
        const timersTurn = this.#pacer.afterRead();
        if (timersTurn !== undefined) await timersTurn;
      }
      this.#parser.end();
      if (!this.#closing) failure = new AmiConnectionError("The server closed the connection");
    } catch (error) {
      if (!this.#closing) {
        failure = new AmiConnectionError(
          `Reading from the server failed: ${describeError(error)}`,
          { cause: error },
        );
      }
    }
    this.#shutdown(failure);
    this.#release();
  }

  /** Parses one read a slice at a time, consumers getting a turn after each (see `ReadPacer`). */
  async #deliver(value: Uint8Array): Promise<void> {
    for (let at = 0; at < value.length;) {
      const end = Math.min(value.length, at + this.#pacer.sliceBytes);
      const frames = this.#frames;
      this.#parser.push(at === 0 && end === value.length ? value : value.subarray(at, end));
      const drained = this.#pacer.afterSlice(end - at, this.#frames - frames);
      if (drained !== undefined) await drained;
      at = end;
    }
  }

  #shutdown(error: AmiError | undefined): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#failure = error;
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#rejectBanner(error ?? new AmiConnectionError("The connection was closed"));
    // Unblocks a pending read, which ends the read loop, which releases the rest.
    this.#channel.cancelRead();
  }

  #release(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pacer.dispose();
    if (this.#writing) {
      // A write may be stuck (the server stopped reading): only an abort ends it.
      this.#channel.abort(this.#failure ?? new AmiConnectionError("The connection was closed"));
    } else {
      this.#channel.close();
    }
    this.#hooks.onClosed(this.#failure);
  }
}

/** A line from the server for an error message: quoted, at most 80 characters, controls escaped. */
function quoteLine(line: string): string {
  const short = line.length > 80 ? line.slice(0, 80) + "…" : line;
  return JSON.stringify(short);
}
