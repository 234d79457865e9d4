/**
 * The listeners of one test server: each one it opened, and the address of
 * the latest, which `port` and `url` describe.
 *
 * @module
 */

import type { AmiTestAddress } from "./links.ts";
import type { Listening } from "./listening.ts";

/** Where the latest listener is bound, and whether it serves TLS. */
export interface ListenerAddress {
  readonly hostname: string;
  readonly port: number;
  readonly tls: boolean;
}

/** The open listeners, latest last. */
export class ListenerSet {
  readonly #open: Listening[] = [];
  #latest: ListenerAddress | undefined;

  /** Takes a new listener; returns its address. */
  add(listening: Listening): AmiTestAddress {
    this.#open.push(listening);
    this.#latest = { ...listening.address, tls: listening.tls };
    return listening.address;
  }

  /**
   * The latest listener's address (it stays known after the listeners close).
   *
   * @throws {Error} when the server never listened.
   */
  get latest(): ListenerAddress {
    if (this.#latest === undefined) {
      throw new Error("The test server is not listening; call listen() first");
    }
    return this.#latest;
  }

  /** Closes every listener; resolves once none will hand over a connection. */
  async closeAll(): Promise<void> {
    const open = this.#open.splice(0);
    await Promise.all(open.map((listener) => listener.close()));
  }
}
