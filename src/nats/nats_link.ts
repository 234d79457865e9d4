/**
 * Whether the NATS connection is up, from its status events, and a way to
 * wait until it is back.
 *
 * @module
 */

import type { AmiNatsConnection } from "./connection.ts";
import type { NatsLink } from "./publisher.ts";

/** Follows the NATS connection's status: connected or not, and waiters for the next connect. */
export class NatsLinkWatcher implements NatsLink {
  #connected = true;
  #waiters = new Set<() => void>();
  readonly #stop = new AbortController();

  constructor(nats: AmiNatsConnection) {
    this.#connected = !nats.isClosed();
    void this.#watch(nats);
  }

  get connected(): boolean {
    return this.#connected;
  }

  whenConnected(signal: AbortSignal): Promise<void> {
    if (this.#connected || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.#waiters.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      this.#waiters.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  stop(): void {
    this.#stop.abort();
  }

  async #watch(nats: AmiNatsConnection): Promise<void> {
    const statuses = nats.status();
    const stopping = new Promise<void>((resolve) =>
      this.#stop.signal.addEventListener("abort", () => resolve(), { once: true })
    );
    const iterator = statuses[Symbol.asyncIterator]();
    for (;;) {
      const next = await Promise.race([iterator.next(), stopping.then(() => undefined)]);
      if (next === undefined || next.done) break;
      const type = next.value.type;
      if (type === "disconnect" || type === "close") this.#connected = false;
      if (type === "reconnect") {
        this.#connected = true;
        for (const wake of [...this.#waiters]) wake();
      }
    }
    await iterator.return?.();
  }
}
