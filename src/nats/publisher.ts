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
      const batch = this.outbox.peek(this.#settings.window);
      const acked = await this.#publish(batch);
      this.outbox.remove(acked);
      if (acked < batch.length) {
        this.counters.retries++;
        failures++;
        await sleep(Math.min(1_000, 10 * 2 ** Math.min(failures, 7)), halt).catch(() => {});
      } else {
        failures = 0;
      }
    }
  }

  /** Publishes a batch; resolves with how many, from the first, were acknowledged. */
  async #publish(batch: readonly OutboxEntry[]): Promise<number> {
    const results = await Promise.allSettled(batch.map((entry) => this.#publishOne(entry)));
    let acked = 0;
    for (const result of results) {
      if (result.status === "rejected") {
        this.counters.lastError = String((result.reason as Error)?.message ?? result.reason);
        break;
      }
      acked++;
      this.counters.published++;
      if (result.value) this.counters.duplicates++;
    }
    if (acked > 0) this.counters.lastAckAt = Date.now();
    return acked;
  }

  /** Publishes one entry; resolves with whether JetStream had it already. */
  async #publishOne(entry: OutboxEntry): Promise<boolean> {
    const ack = await this.#publishFn(entry.subject, entry.payload, {
      msgId: entry.msgId,
      headers: entry.headers,
      timeout: this.#settings.timeout,
    });
    return ack.duplicate;
  }
}
