/**
 * Keepalive: a `Ping` every `interval` ms on the live connection; a server
 * that does not answer within `timeout` ms is taken for dead (a half-open
 * socket reports no error by itself).
 *
 * @module
 */

import { AmiTimeoutError } from "../errors.ts";
import type { AmiKeepaliveOptions } from "./options.ts";

/** What the keepalive needs from the connection it watches. */
export interface KeepaliveTarget {
  /** Sends a `Ping` with the given timeout; resolves with its answer. */
  ping(timeout: number): Promise<unknown>;
  /** Whether the connection is still the live one. */
  readonly open: boolean;
  /** Drops the connection: it is dead. */
  drop(error: AmiTimeoutError): void;
}

/** Pings one connection until stopped or the connection goes. */
export class Keepalive {
  readonly #settings: Required<AmiKeepaliveOptions>;
  readonly #target: KeepaliveTarget;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  /** Starts pinging `target` at once. */
  constructor(settings: Required<AmiKeepaliveOptions>, target: KeepaliveTarget) {
    this.#settings = settings;
    this.#target = target;
    this.#schedule();
  }

  /** Stops pinging. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#ping(), this.#settings.interval);
  }

  async #ping(): Promise<void> {
    const { timeout } = this.#settings;
    try {
      await this.#target.ping(timeout);
      if (this.#target.open) this.#schedule();
    } catch (error) {
      if (error instanceof AmiTimeoutError && !this.#stopped && this.#target.open) {
        this.#target.drop(
          new AmiTimeoutError(
            `The server did not answer a keepalive Ping within ${timeout} ms`,
            { cause: error },
          ),
        );
      }
    }
  }
}
