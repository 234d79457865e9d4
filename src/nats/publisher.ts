/**
 * The publishing loop of one PBX: takes entries from its outbox in order,
 * keeps a window of publishes in flight, and removes only what JetStream
 * acknowledged. A failure retries from the first unacknowledged entry with
 * the same `Nats-Msg-Id`, so the stream keeps each message once, in order.
 *
 * @module
 */

import { sleep } from "../_util/sleep.ts";
import type { AmiJetStreamPublish } from "./connection.ts";
import { headers, type JetStreamClient } from "./deps.ts";
import type { Outbox, OutboxEntry } from "./outbox.ts";

/** The default publish: `js.publish` with the entry's headers and `Nats-Msg-Id`. */
export function publishWith(js: JetStreamClient): AmiJetStreamPublish {
  return async (subject, payload, { msgId, headers: fields, timeout }) => {
    const natsHeaders = headers();
    for (const [key, value] of fields) natsHeaders.set(key, value);
    const ack = await js.publish(subject, payload, { msgID: msgId, headers: natsHeaders, timeout });
    return { duplicate: ack.duplicate };
  };
}

/** Whether NATS is connected, and a way to wait until it is. */
export interface NatsLink {
  readonly connected: boolean;
  /** Resolves once connected, or when `signal` aborts. */
  whenConnected(signal: AbortSignal): Promise<void>;
}

/** Counters of one PBX's publishing. */
export interface PublisherCounters {
  published: number;
  duplicates: number;
  retries: number;
  lastAckAt: number | undefined;
  lastError: string | undefined;
}

/** Settings of the loop. */
export interface PublisherSettings {
  /** Publishes in flight at most. */
  readonly window: number;
  /** Time to wait for an ack, in ms. */
  readonly timeout: number;
}

/** Publishes one PBX's outbox until stopped. */
export class Publisher {
  readonly outbox: Outbox;
  readonly counters: PublisherCounters = {
    published: 0,
    duplicates: 0,
    retries: 0,
    lastAckAt: undefined,
    lastError: undefined,
  };
  readonly #publishFn: AmiJetStreamPublish;
  readonly #link: NatsLink;
  readonly #settings: PublisherSettings;
  /** Aborted to stop at once, whatever waits. */
  readonly #halt = new AbortController();
  #draining = false;
  readonly #running: Promise<void>;

  constructor(
    outbox: Outbox,
    publish: AmiJetStreamPublish,
    link: NatsLink,
    settings: PublisherSettings,
  ) {
    this.outbox = outbox;
    this.#publishFn = publish;
    this.#link = link;
    this.#settings = settings;
    this.#running = this.#run();
  }

  /** Publishes what waits, then stops; stops anyway when `signal` aborts. */
  async drain(signal: AbortSignal): Promise<void> {
    this.#draining = true;
    this.outbox.interrupt();
    const halt = () => this.#halt.abort();
    if (signal.aborted) halt();
    signal.addEventListener("abort", halt, { once: true });
    try {
      await this.#running;
    } finally {
      signal.removeEventListener("abort", halt);
    }
  }

  async #run(): Promise<void> {
    const halt = this.#halt.signal;
    let failures = 0;
    while (!halt.aborted) {
      if (this.outbox.size === 0) {
        if (this.#draining) return;
        await this.outbox.waitForEntries();
        continue;
      }
      if (!this.#link.connected) {
        await this.#link.whenConnected(halt);
        continue;
      }
      if (await this.#publishInOrder(halt)) {
        failures = 0;
        continue;
      }
      this.counters.retries++;
      failures++;
      await sleep(Math.min(1_000, 10 * 2 ** Math.min(failures, 7)), halt).catch(() => {});
    }
  }

  /**
   * Keeps up to `window` publishes in flight, in outbox order, and removes
   * each entry once it and every entry before it are acknowledged. Resolves
   * `true` once nothing is left to publish, `false` after a failure (once
   * everything in flight has settled): the entries from the failed one on
   * stay, to be published again in order.
   */
  async #publishInOrder(halt: AbortSignal): Promise<boolean> {
    const inFlight: Promise<boolean>[] = [];
    let failed = false;
    for (;;) {
      while (
        !failed && !halt.aborted && this.#link.connected && inFlight.length < this.#settings.window
      ) {
        const entry = this.outbox.at(inFlight.length);
        if (entry === undefined) break;
        inFlight.push(this.#publishOne(entry));
      }
      const oldest = inFlight.shift();
      if (oldest === undefined) return !failed;
      const acknowledged = await oldest;
      if (acknowledged && !failed) {
        this.outbox.remove(1);
        this.counters.published++;
        this.counters.lastAckAt = Date.now();
      } else {
        failed = true;
      }
    }
  }

  /** Publishes one entry; resolves with whether it was acknowledged, never rejects. */
  async #publishOne(entry: OutboxEntry): Promise<boolean> {
    try {
      const ack = await this.#publishFn(entry.subject, entry.payload, {
        msgId: entry.msgId,
        headers: entry.headers,
        timeout: this.#settings.timeout,
      });
      if (ack.duplicate) this.counters.duplicates++;
      return true;
    } catch (error) {
      this.counters.lastError = error instanceof Error ? error.message : String(error);
      return false;
    }
  }
}
