/**
 * {@linkcode AmiNatsBridge}: every event of every PBX of a pool into
 * JetStream, at least once and in order per PBX, and actions over NATS
 * request/reply.
 *
 * @module
 */

import { AmiGap } from "../events/events.ts";
import type { AmiPool } from "../pool/pool.ts";
import type { AmiPoolEvent, AmiPoolEventStream } from "../pool/pool_events.ts";
import type { AmiEvent } from "../types/maps.ts";
import { encodeReply, runAction } from "./actions.ts";
import type { AmiJetStreamPublish, AmiNatsConnection, AmiNatsSubscription } from "./connection.ts";
import { jetstream, jetstreamManager, type NatsConnection } from "./deps.ts";
import { eventEntry, gapEntry, type GapFacts } from "./messages.ts";
import { NatsLinkWatcher } from "./nats_link.ts";
import { Outbox, type OutboxEntry } from "./outbox.ts";
import { Publisher, publishWith } from "./publisher.ts";
import { type AmiStreamSettings, ensureStream } from "./stream.ts";
import { type AmiSubjects, amiSubjects } from "./subjects.ts";

/**
 * Options of {@linkcode AmiNatsBridge.start}.
 *
 * @example
 * ```ts
 * import type { AmiNatsBridgeOptions } from "@x/ami/nats";
 * import assert from "node:assert/strict";
 * const options: Partial<AmiNatsBridgeOptions> = { outbox: { maxEvents: 50_000 }, stream: { replicas: 3 } };
 * assert.equal(options.outbox?.maxEvents, 50_000);
 * ```
 */
export interface AmiNatsBridgeOptions {
  /** The PBXs. The bridge reads their events and routes actions; it does not close the pool. */
  pool: AmiPool;
  /**
   * The NATS connection: a `NatsConnection` of `@nats-io/nats-core` 3.x that
   * reconnects forever. The bridge does not close it.
   */
  nats: AmiNatsConnection;
  /** The first subject token; `ami` by default. */
  prefix?: string;
  /** The stream to create or check, or `false` to leave streams to the operator. */
  stream?: AmiStreamSettings | false;
  /** Per PBX: entries that may wait for NATS (10 000) and their total size (16 MiB). */
  outbox?: { maxEvents?: number; maxBytes?: number };
  /** Publishes in flight per PBX; 64 by default. */
  window?: number;
  /** Time to wait for JetStream's ack, in ms, before publishing again; 5 000 by default. */
  publishTimeout?: number;
  /**
   * Actions over request/reply: on by default; `false` turns them off.
   * `timeout` (ms, 10 000 by default) bounds each; `maxInFlight` (64) per PBX.
   */
  actions?: false | { timeout?: number; maxInFlight?: number };
  /** What publishes to JetStream; `jetstream(nats).publish` by default. */
  publish?: AmiJetStreamPublish;
}

/**
 * How one PBX's events are getting through.
 *
 * @example
 * ```ts
 * import type { AmiBridgePbxStats } from "@x/ami/nats";
 * import assert from "node:assert/strict";
 * const stats: AmiBridgePbxStats = {
 *   state: "connected", published: 10, duplicates: 0, pending: 0, lost: 0, gaps: 0,
 *   retries: 0, lastAckAt: undefined, lastError: undefined,
 * };
 * assert.equal(stats.pending, 0);
 * ```
 */
export interface AmiBridgePbxStats {
  /** The state of the AMI connection. */
  readonly state: string;
  /** Messages acknowledged by JetStream (gaps included). */
  readonly published: number;
  /** Of which JetStream already had (a retry after a lost ack). */
  readonly duplicates: number;
  /** Entries waiting in the outbox. */
  readonly pending: number;
  /** Events lost to a full outbox, in all. */
  readonly lost: number;
  /** Gap messages queued. */
  readonly gaps: number;
  /** Batches published again after a failure. */
  readonly retries: number;
  /** When JetStream last acknowledged, in ms since the epoch. */
  readonly lastAckAt: number | undefined;
  /** The last publish error. */
  readonly lastError: string | undefined;
}

/** One PBX's outbox, loop and subjects. */
interface Lane {
  readonly subjects: AmiSubjects;
  readonly publisher: Publisher;
  gaps: number;
  lastEventAt: number | undefined;
}

/**
 * Bridges a pool of PBXs to NATS JetStream.
 *
 * - Every event goes to `ami.<pbx>.evt.<Event>` with its own text as
 *   payload and the headers `Ami-Pbx`, `Ami-Event`, `Ami-Epoch`, `Ami-Seq`
 *   (and `Ami-Uniqueid`, `Ami-Linkedid` when it has them), and
 *   `Nats-Msg-Id: <pbx>:<epoch>:<seq>`, so a retry is stored once.
 * - Per PBX, events wait in a bounded outbox until JetStream acknowledges
 *   them; the AMI reader never waits for NATS. When the outbox is full, the
 *   loss is published on `ami.<pbx>.gap` (see {@linkcode AmiBridgeGap}), as
 *   is every reconnect of the PBX.
 * - Actions: a request on `ami.<pbx>.action.<Action>` with the fields as a
 *   JSON object is answered with an {@linkcode AmiActionReply}. NATS subject
 *   permissions decide who may send which action.
 *
 * @example
 * ```ts ignore
 * import { AmiPool } from "@x/ami";
 * import { AmiNatsBridge } from "@x/ami/nats";
 * import { connect } from "npm:@nats-io/transport-node@3.4.0";
 *
 * await using pool = new AmiPool({ pbxs: { "pbx-a": "ami://bridge:s3cret@10.0.0.1" } });
 * const nats = await connect({ servers: "127.0.0.1:4222", maxReconnectAttempts: -1 });
 * const bridge = await AmiNatsBridge.start({ pool, nats });
 * // … until it is time to stop:
 * const { unflushed } = await bridge.close({ flushTimeout: 5_000 });
 * await nats.drain();
 * ```
 */
export class AmiNatsBridge {
  readonly #pool: AmiPool;
  readonly #nats: AmiNatsConnection;
  readonly #prefix: string;
  readonly #options: AmiNatsBridgeOptions;
  readonly #publish: AmiJetStreamPublish;
  readonly #lanes = new Map<string, Lane>();
  readonly #subscriptions = new Map<string, AmiNatsSubscription>();
  readonly #inFlight = new Map<string, number>();
  readonly #link: NatsLinkWatcher;
  readonly #runId = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  #gapCount = 0;
  #events: AmiPoolEventStream<AmiEvent | AmiGap> | undefined;
  #pumping: Promise<void> = Promise.resolve();
  #following: Promise<void> = Promise.resolve();
  readonly #stopFollowing = new AbortController();
  #closing: Promise<{ unflushed: number }> | undefined;

  private constructor(options: AmiNatsBridgeOptions) {
    this.#options = options;
    this.#pool = options.pool;
    this.#nats = options.nats;
    this.#prefix = options.prefix ?? "ami";
    this.#publish = options.publish ?? publishWith(jetstream(options.nats as NatsConnection));
    this.#link = new NatsLinkWatcher(options.nats);
  }

  /**
   * Creates or checks the stream, then starts bridging.
   *
   * @param options The pool, the NATS connection, and settings.
   * @returns The running bridge.
   * @throws {AmiStreamMismatchError} when the stream exists and does not fit.
   * @throws the NATS client's error when JetStream cannot be reached.
   */
  static async start(options: AmiNatsBridgeOptions): Promise<AmiNatsBridge> {
    const bridge = new AmiNatsBridge(options);
    try {
      if (options.stream !== false) {
        await ensureStream(
          await jetstreamManager(options.nats as NatsConnection),
          bridge.#prefix,
          options.stream ?? {},
        );
      }
    } catch (error) {
      bridge.#link.stop();
      throw error;
    }
    bridge.#begin();
    return bridge;
  }

  /**
   * Per PBX: its AMI state and how its events are getting through.
   *
   * @returns The counters by PBX name.
   */
  get stats(): Record<string, AmiBridgePbxStats> {
    const stats: Record<string, AmiBridgePbxStats> = {};
    const pool = this.#pool.stats;
    for (const name of new Set([...Object.keys(pool), ...this.#lanes.keys()])) {
      const lane = this.#lanes.get(name);
      const counters = lane?.publisher.counters;
      stats[name] = {
        state: pool[name]?.state ?? "closed",
        published: counters?.published ?? 0,
        duplicates: counters?.duplicates ?? 0,
        pending: lane?.publisher.outbox.size ?? 0,
        lost: lane?.publisher.outbox.lost ?? 0,
        gaps: lane?.gaps ?? 0,
        retries: counters?.retries ?? 0,
        lastAckAt: counters?.lastAckAt,
        lastError: counters?.lastError,
      };
    }
    return stats;
  }

  /** Whether the NATS connection is up now. */
  get natsConnected(): boolean {
    return this.#link.connected;
  }

  /**
   * Stops: stops reading events and answering actions, publishes a `stop`
   * gap per PBX, and publishes what waits, for at most `flushTimeout` ms
   * (5 000 by default; a publish already in flight may take up to
   * `publishTimeout` more). Does not close the pool or the NATS connection.
   *
   * @param options How long to keep publishing.
   * @returns How many entries were left unpublished.
   */
  close(options: { flushTimeout?: number } = {}): Promise<{ unflushed: number }> {
    this.#closing ??= this.#close(options.flushTimeout ?? 5_000);
    return this.#closing;
  }

  async #close(flushTimeout: number): Promise<{ unflushed: number }> {
    this.#stopFollowing.abort();
    await this.#events?.return();
    await Promise.all([this.#pumping, this.#following]);
    await Promise.all([...this.#subscriptions.values()].map((sub) => sub.drain().catch(() => {})));
    this.#subscriptions.clear();
    const now = Date.now();
    for (const [pbx, lane] of this.#lanes) {
      const epoch = this.#pool.stats[pbx]?.epoch ?? this.#runId;
      this.#queueGap(pbx, lane, { reason: "stop", from: lane.lastEventAt ?? now, to: now, epoch });
    }
    const deadline = AbortSignal.timeout(flushTimeout);
    await Promise.all([...this.#lanes.values()].map((lane) => lane.publisher.drain(deadline)));
    this.#link.stop();
    let unflushed = 0;
    for (const lane of this.#lanes.values()) unflushed += lane.publisher.outbox.size;
    return { unflushed };
  }

  #begin(): void {
    const events = this.#pool.events(undefined, { gaps: true, bufferSize: 8192 });
    this.#events = events;
    this.#pumping = this.#pump(events);
    for (const pbx of this.#pool.names) this.#lane(pbx);
    this.#following = this.#follow();
  }

  /** Moves events from the pool into the outboxes; never waits for NATS. */
  async #pump(events: AmiPoolEventStream<AmiEvent | AmiGap>): Promise<void> {
    for await (const item of events) this.#accept(item);
  }

  /** Keeps action subscriptions in step with the pool's PBXs. */
  async #follow(): Promise<void> {
    const signal = this.#stopFollowing.signal;
    for await (const change of this.#pool.stateChanges({ signal })) {
      if (this.#pool.names.includes(change.pbx)) this.#lane(change.pbx);
      else this.#unsubscribe(change.pbx);
    }
  }

  #accept({ pbx, epoch, seq, event }: AmiPoolEvent<AmiEvent | AmiGap>): void {
    const lane = this.#lane(pbx);
    if (event instanceof AmiGap) {
      const to = event.at;
      this.#queueGap(pbx, lane, {
        reason: event.reason,
        ...(event.dropped === undefined ? {} : { dropped: event.dropped }),
        from: event.reason === "overflow" ? to : lane.lastEventAt ?? to,
        to,
        epoch,
      });
      return;
    }
    lane.lastEventAt = event.receivedAt;
    const entry = eventEntry(pbx, epoch, seq ?? 0, event, lane.subjects.event(event.name));
    lane.publisher.outbox.push(entry, seq, epoch, event.receivedAt);
  }

  #queueGap(
    pbx: string,
    lane: Lane,
    gap: GapFacts,
  ): void {
    lane.publisher.outbox.pushAlways(this.#gapEntry(pbx, lane, gap));
  }

  #gapEntry(pbx: string, lane: Lane, gap: GapFacts): OutboxEntry {
    lane.gaps++;
    return gapEntry(pbx, gap, lane.subjects.gap, `${pbx}:${this.#runId}:gap:${++this.#gapCount}`);
  }

  /** The lane of a PBX, made (with its action subscription) on first use. */
  #lane(pbx: string): Lane {
    let lane = this.#lanes.get(pbx);
    if (lane !== undefined) {
      if (!this.#subscriptions.has(pbx) && this.#pool.names.includes(pbx)) this.#subscribe(pbx);
      return lane;
    }
    const subjects = amiSubjects(this.#prefix, pbx);
    const limits = {
      maxEvents: this.#options.outbox?.maxEvents ?? 10_000,
      maxBytes: this.#options.outbox?.maxBytes ?? 16 * 1024 * 1024,
    };
    const outbox = new Outbox(
      limits,
      (loss) => this.#gapEntry(pbx, lane!, { reason: "overflow", ...loss }),
    );
    const publisher = new Publisher(outbox, this.#publish, this.#link, {
      window: this.#options.window ?? 64,
      timeout: this.#options.publishTimeout ?? 5_000,
    });
    lane = { subjects, publisher, gaps: 0, lastEventAt: undefined };
    this.#lanes.set(pbx, lane);
    if (this.#closing === undefined) this.#subscribe(pbx);
    return lane;
  }

  #subscribe(pbx: string): void {
    const actions = this.#options.actions;
    if (actions === false || this.#subscriptions.has(pbx) || this.#closing !== undefined) return;
    const timeout = actions?.timeout ?? 10_000;
    const maxInFlight = actions?.maxInFlight ?? 64;
    const subject = amiSubjects(this.#prefix, pbx).actions;
    const subscription = this.#nats.subscribe(subject, {
      queue: `amibridge.${pbx}`,
      callback: (error, msg) => {
        if (error !== null || msg.reply === undefined) return;
        const name = msg.subject.slice(msg.subject.lastIndexOf(".") + 1);
        const maxPayload = this.#nats.info?.max_payload ?? 1024 * 1024;
        const busy = (this.#inFlight.get(pbx) ?? 0) >= maxInFlight;
        if (busy) {
          const message = `${maxInFlight} actions for PBX "${pbx}" are in flight already`;
          msg.respond(encodeReply({ ok: false, error: { type: "Busy", message } }, maxPayload));
          return;
        }
        this.#inFlight.set(pbx, (this.#inFlight.get(pbx) ?? 0) + 1);
        runAction(this.#pool, pbx, name, msg.string(), timeout)
          .then((reply) => msg.respond(encodeReply(reply, maxPayload)))
          .catch(() => {})
          .finally(() => this.#inFlight.set(pbx, (this.#inFlight.get(pbx) ?? 1) - 1));
      },
    });
    this.#subscriptions.set(pbx, subscription);
  }

  #unsubscribe(pbx: string): void {
    const subscription = this.#subscriptions.get(pbx);
    if (subscription === undefined) return;
    this.#subscriptions.delete(pbx);
    subscription.unsubscribe();
  }
}
