/**
 * The writing side of a test session: writes go out one after another, cut
 * into pieces and paced as the faults say, and the connection is closed
 * cleanly (after what is queued) or aborted (at once).
 *
 * @module
 */

import { sleep } from "../_util/sleep.ts";
import { type AmiTestFaults, splitForFaults } from "./faults.ts";
import { ConnectionResetError } from "./links.ts";

/** Ordered, fault-aware writes to one connection. */
export class SessionOutput {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #faults: () => AmiTestFaults;
  readonly #onBroken: () => void;
  /** Aborts the waits between split writes. */
  readonly #pacing = new AbortController();
  #queue: Promise<unknown> = Promise.resolve();
  #bytesSent = 0;
  #broken = false;

  /**
   * @param writable The connection's bytes out.
   * @param faults The faults in force, read at each write.
   * @param onBroken Called when a write fails (the peer went away).
   */
  constructor(
    writable: WritableStream<Uint8Array>,
    faults: () => AmiTestFaults,
    onBroken: () => void,
  ) {
    this.#writer = writable.getWriter();
    // The writer's own promise rejects when the peer goes away; that is handled per write.
    this.#writer.closed.catch(() => {});
    this.#faults = faults;
    this.#onBroken = onBroken;
  }

  /** How many bytes have been written. */
  get bytesSent(): number {
    return this.#bytesSent;
  }

  /** Queues bytes after what is queued; resolves with whether they were written. */
  write(bytes: Uint8Array): Promise<boolean> {
    const written = this.#queue.then(() => this.#writeNow(bytes));
    this.#queue = written;
    return written;
  }

  /** Writes what is queued, then closes the connection. */
  async close(): Promise<void> {
    await this.#queue;
    this.#stop();
    await this.#writer.close().catch(() => {});
  }

  /** Drops what is queued and resets the connection. */
  async abort(): Promise<void> {
    this.#stop();
    await this.#writer.abort(new ConnectionResetError()).catch(() => {});
  }

  #stop(): void {
    this.#broken = true;
    this.#pacing.abort(new ConnectionResetError());
  }

  async #writeNow(bytes: Uint8Array): Promise<boolean> {
    if (this.#broken) return false;
    const faults = this.#faults();
    const pieces = splitForFaults(bytes, this.#bytesSent, faults);
    try {
      for (let i = 0; i < pieces.length; i++) {
        if (i > 0) await sleep(faults.chunkDelayMs ?? 0, this.#pacing.signal);
        await this.#writer.write(pieces[i]!);
        this.#bytesSent += pieces[i]!.length;
      }
      return true;
    } catch {
      this.#broken = true;
      this.#onBroken();
      return false;
    }
  }
}
