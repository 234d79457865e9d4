/**
 * {@linkcode LiveView}: channels, bridges and calls of a PBX, kept equal to
 * it from a snapshot and the event stream, through reconnects.
 *
 * How it stays right:
 * 1. It subscribes to events first, then sends `CoreShowChannels`,
 *    `BridgeList` and `CoreStatus`; events read meanwhile are buffered.
 * 2. Each list is the state of its domain at its response; an event read
 *    before that response is already in it (Asterisk never writes events
 *    inside a list), so for that domain it is skipped; events after it are
 *    applied, even those the list is ahead of (Asterisk's cache runs ahead of
 *    its events): the reducer is idempotent and keeps tombstones.
 * 3. After a reconnect or lost events, the same steps build a shadow model;
 *    one `resync` change carries the difference. A new `CoreStatus` startup
 *    time means Asterisk restarted: everything goes with `restart`.
 *
 * @module
 */

import type { LiveSource } from "./source.ts";
import { AmiActionError } from "../errors.ts";
import { AmiGap } from "../events/events.ts";
import type { AmiEventStream } from "../events/events.ts";
import type { AmiMessage } from "../wire/message.ts";
import type { AmiEvent } from "../types/maps.ts";
import { ChangeFeed, type LiveChangesOptions } from "./change_feed.ts";
import { type BufferedEvent, cutOver, type CutPositions, domainsAfter } from "./cutover.ts";
import { type LiveOptions, type LiveSettings, liveSettings } from "./options.ts";
import { fetchOrderedList, type OrderedList, orderOf } from "./ordering.ts";
import { LiveReducer } from "./reducer.ts";
import { callCentreEventNames, LIVE_EVENT_NAMES } from "./event_names.ts";
import type { LiveChange, LiveSnapshot, LiveStatus, PendingChange } from "./types.ts";

/**
 * Starts a live view of a PBX's channels, bridges and calls and resolves
 * once its first snapshot is applied.
 *
 * @param client A connected client (with `reconnect` on, the view lives through reconnects).
 * @param options Variables to keep, retention, buffer sizes.
 * @returns The view; dispose of it (`await using`) to stop it.
 * @throws {AmiActionError} when the PBX refuses `CoreShowChannels` (the user needs `read=call`).
 *
 * @example
 * ```ts
 * import { AmiClient, createLiveView } from "@x/ami";
 * import { SimulatedPbx } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
 * pbx.server.listen();
 * await using client = await AmiClient.connect(pbx.server.url);
 * await using live = await createLiveView(client);
 * const changes = live.changes({ since: live.snapshot().revision });
 * await pbx.originate({ Channel: "PJSIP/100", Application: "Wait" });
 * for await (const change of changes) {
 *   if (change.kind === "call.answered") break;
 * }
 * const [call] = live.snapshot().calls.values();
 * assert.equal(call?.state, "up");
 * ```
 */
export async function createLiveView(
  client: LiveSource,
  options: LiveOptions = {},
): Promise<LiveView> {
  const view = new LiveView(client, liveSettings(options));
  try {
    await view.ready;
  } catch (error) {
    await view.close();
    throw error;
  }
  return view;
}

/**
 * The live view a {@linkcode createLiveView} call returns.
 *
 * @example
 * ```ts
 * import { AmiClient, createLiveView, type LiveView } from "@x/ami";
 * import { SimulatedPbx } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * await using pbx = new SimulatedPbx();
 * pbx.server.listen();
 * await using client = await AmiClient.connect(pbx.server.url);
 * await using live: LiveView = await createLiveView(client);
 * assert.equal(live.status, "live");
 * assert.equal(live.snapshot().channels.size, 0);
 * ```
 */
export class LiveView implements AsyncDisposable {
  readonly #client: LiveSource;
  readonly #settings: LiveSettings;
  readonly #feed: ChangeFeed;
  readonly #consumer: AmiEventStream<AmiEvent | AmiGap>;
  readonly #ready = Promise.withResolvers<void>();
  readonly #pump: Promise<void>;
  #model: LiveReducer;
  #revision = 0;
  #arrival = 0;
  #buffer: BufferedEvent[] | undefined;
  /** Where the last snapshot's lists sit in the event order (see `domainsAfter`). */
  #cuts: CutPositions | undefined;
  #bufferOverflowed = false;
  #initial = true;
  #resyncing = true;
  #resyncWanted = false;
  #resyncLoop: Promise<void> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #startup: string | undefined;
  #cached: LiveSnapshot | undefined;
  #closed = false;
  #queuesUnanswered = false;

  /** @internal Use {@linkcode createLiveView}. */
  constructor(client: LiveSource, settings: LiveSettings) {
    this.#client = client;
    this.#settings = settings;
    this.#feed = new ChangeFeed(settings.changes);
    this.#model = new LiveReducer(settings);
    this.#ready.promise.catch(() => {});
    // Subscribed before anything is sent: nothing between the lists and the stream is lost.
    // Only what the view reads: automatic server-side filters can then narrow what Asterisk sends.
    const follows = {
      queues: settings.queues !== undefined,
      devices: settings.devices,
      hints: settings.hints,
    };
    this.#consumer = client.events([...LIVE_EVENT_NAMES, ...callCentreEventNames(follows)], {
      gaps: true,
      bufferSize: settings.eventBufferSize,
    });
    this.#pump = this.#run();
    this.#requestResync();
  }

  /** @internal Settles once the first snapshot is applied. */
  get ready(): Promise<void> {
    return this.#ready.promise;
  }

  /**
   * `live` when it follows the PBX, `resyncing` while it takes a snapshot,
   * `stale` while the connection is down or after the view closed.
   *
   * @example
   * ```ts
   * import { AmiClient, createLiveView } from "@x/ami";
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using pbx = new SimulatedPbx();
   * pbx.server.listen();
   * await using client = await AmiClient.connect(pbx.server.url);
   * const live = await createLiveView(client);
   * assert.equal(live.status, "live");
   * await live.close();
   * assert.equal(live.status, "stale");
   * ```
   */
  get status(): LiveStatus {
    if (this.#closed || this.#client.state !== "connected") return "stale";
    return this.#resyncing ? "resyncing" : "live";
  }

  /**
   * The view now, frozen: channels, bridges and calls (ended calls while
   * retained), with the revision of the last change it includes.
   *
   * @returns The snapshot; the same object until the next change.
   *
   * @example
   * ```ts
   * import { AmiClient, createLiveView } from "@x/ami";
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
   * pbx.server.listen();
   * await pbx.originate({ Channel: "PJSIP/100", Application: "Wait" });
   * await using client = await AmiClient.connect(pbx.server.url);
   * await using live = await createLiveView(client);
   * const snap = live.snapshot();
   * assert.equal(snap.channels.size, 1);
   * assert.equal([...snap.channels.values()][0]!.state, "Up");
   * assert.ok(Object.isFrozen(snap));
   * ```
   */
  snapshot(): LiveSnapshot {
    const status = this.status;
    const cached = this.#cached;
    if (cached !== undefined && cached.revision === this.#revision && cached.status === status) {
      return cached;
    }
    const model = this.#model;
    const bridges = new Map([...model.bridges.values()].map((bridge) => [bridge.id, bridge]));
    const calls = new Map([...model.calls.calls()].map((call) => [call.id, call]));
    return this.#cached = Object.freeze({
      revision: this.#revision,
      status,
      channels: new Map(model.channels),
      bridges,
      calls,
      queues: new Map(model.queues),
      devices: new Map(model.devices.devices),
      hints: new Map(model.devices.hints),
    });
  }

  /**
   * Iterates the changes from now on (or from `since`), each with its
   * revision. A reader that falls behind by more than `bufferSize` changes
   * gets an error, or an {@linkcode AmiGap} with `gaps: true` (then read
   * `snapshot()` again). Ends when the view closes.
   *
   * @param options `since`, `signal`, `bufferSize`, `gaps`.
   * @returns An async iterator of changes.
   *
   * @example
   * ```ts
   * import { AmiClient, createLiveView } from "@x/ami";
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using pbx = new SimulatedPbx({ callDurationMs: 10 });
   * pbx.server.listen();
   * await using client = await AmiClient.connect(pbx.server.url);
   * await using live = await createLiveView(client);
   * const changes = live.changes();
   * await pbx.originate({ Channel: "PJSIP/100", Application: "Wait" });
   * for await (const change of changes) {
   *   if (change.kind === "call.ended") {
   *     assert.equal(change.causeText, "Normal Clearing");
   *     break;
   *   }
   * }
   * ```
   */
  changes(
    options: LiveChangesOptions & { gaps: true },
  ): AsyncIterableIterator<LiveChange | AmiGap> & AsyncDisposable;
  /**
   * Iterates the changes (see the overload with `gaps: true`).
   *
   * @param options `since`, `signal`, `bufferSize`.
   * @returns An async iterator of changes.
   */
  changes(
    options?: LiveChangesOptions & { gaps?: false },
  ): AsyncIterableIterator<LiveChange> & AsyncDisposable;
  changes(
    options: LiveChangesOptions = {},
  ): AsyncIterableIterator<LiveChange | AmiGap> & AsyncDisposable {
    return this.#feed.subscribe(options, this.#revision);
  }

  /**
   * Stops following the PBX: detaches from the client's events and ends the
   * change iterators. The client stays open. Idempotent.
   *
   * @returns When stopped.
   *
   * @example
   * ```ts
   * import { AmiClient, createLiveView } from "@x/ami";
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using pbx = new SimulatedPbx();
   * pbx.server.listen();
   * await using client = await AmiClient.connect(pbx.server.url);
   * const live = await createLiveView(client);
   * await live.close();
   * assert.equal(client.stats.eventConsumers, 0);
   * ```
   */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      clearTimeout(this.#retryTimer);
      await this.#consumer.return();
      this.#feed.close();
      this.#ready.reject(new Error("the live view was closed before its first snapshot"));
    }
    await this.#pump;
    await this.#resyncLoop;
  }

  /**
   * Closes the view, as {@linkcode LiveView.close} does.
   *
   * @returns When stopped.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---- the event pump ---------------------------------------------------

  async #run(): Promise<void> {
    let failure: unknown;
    try {
      for await (const item of this.#consumer) {
        if (item instanceof AmiGap) {
          this.#lostEvents();
          continue;
        }
        this.#take(item);
      }
    } catch (error) {
      failure = error;
    } finally {
      this.#closed = true;
      clearTimeout(this.#retryTimer);
      this.#feed.close(failure);
      this.#ready.reject(failure ?? new Error("the client closed before the first snapshot"));
    }
  }

  #take(event: AmiMessage): void {
    // app_queue loads late: a QueueStatus refused before FullyBooted is taken again after it.
    if (this.#queuesUnanswered && event.name === "FullyBooted") {
      this.#queuesUnanswered = false;
      this.#requestResync();
    }
    const order = orderOf(event, ++this.#arrival);
    const buffer = this.#buffer;
    if (buffer === undefined) {
      // An event the consumer hands over only now may be older than the lists: skip what they hold.
      const domains = this.#cuts === undefined ? undefined : domainsAfter(this.#cuts, order);
      if (domains !== 0) this.#publish(this.#model.apply(event, domains));
    } else if (buffer.length < this.#settings.eventBufferSize) {
      buffer.push({ event, order });
    } else {
      this.#bufferOverflowed = true;
    }
  }

  /** Events were lost (a reconnect, or this consumer fell behind): start again from a snapshot. */
  #lostEvents(): void {
    this.#requestResync();
  }

  #publish(pending: readonly PendingChange[]): void {
    for (const change of pending) {
      this.#feed.publish({ ...change, revision: ++this.#revision } as LiveChange);
    }
  }

  // ---- snapshots ----------------------------------------------------------

  #requestResync(): void {
    this.#resyncWanted = true;
    this.#resyncing = true;
    this.#resyncLoop ??= this.#resyncWhileWanted().finally(() => this.#resyncLoop = undefined);
  }

  async #resyncWhileWanted(): Promise<void> {
    while (this.#resyncWanted && !this.#closed) {
      this.#resyncWanted = false;
      try {
        await this.#takeSnapshot();
      } catch (error) {
        if (this.#closed) return;
        if (this.#initial && !this.#resyncWanted && error instanceof AmiActionError) {
          this.#ready.reject(error);
          return;
        }
        // A lost link brings a gap, and with it a new attempt; anything else is tried again soon.
        if (!this.#resyncWanted && this.#client.state === "connected") {
          this.#retryTimer = setTimeout(() => this.#requestResync(), 1_000);
        }
      }
    }
  }

  async #takeSnapshot(): Promise<void> {
    this.#buffer = [];
    this.#bufferOverflowed = false;
    const timeout = this.#settings.snapshotTimeout;
    const options = timeout === undefined ? {} : { timeout };
    const startup = this.#client.send({ Action: "CoreStatus" }, options).then(
      (status) => `${status.get("CoreStartupDate") ?? ""} ${status.get("CoreStartupTime") ?? ""}`,
      () => undefined,
    );
    const channels = fetchOrderedList(this.#client, "CoreShowChannels", timeout);
    const bridges = fetchOrderedList(this.#client, "BridgeList", timeout);
    const optional = (wanted: boolean, action: string) =>
      wanted ? fetchOrderedList(this.#client, action, timeout) : undefined;
    const queues = optional(this.#settings.queues !== undefined, "QueueStatus");
    const devices = optional(this.#settings.devices, "DeviceStateList");
    const hints = optional(this.#settings.hints, "ExtensionStateList");
    try {
      const [callCentre, started, channelList, bridgeList] = await Promise.all([
        this.#callCentreLists(queues, devices, hints),
        startup,
        channels,
        // Without BridgeList (refused, or an old Asterisk) bridges follow the channels' BridgeId.
        bridges.catch((error) => {
          if (error instanceof AmiActionError) return undefined;
          throw error;
        }),
      ]);
      if (this.#bufferOverflowed) throw new Error("too many events while the snapshot was taken");
      if (this.#closed || this.#resyncWanted) return;
      this.#cutOver(started, channelList, bridgeList, callCentre);
    } finally {
      this.#buffer = undefined;
    }
  }

  /**
   * The queue, device and hint lists. A refused one (app_queue not loaded
   * yet: "Invalid/unknown command") counts as empty; queues are then taken
   * again on `FullyBooted`.
   */
  async #callCentreLists(
    ...fetches: (Promise<OrderedList> | undefined)[]
  ): Promise<(OrderedList | undefined)[]> {
    const lists = await Promise.all(fetches.map((fetch) =>
      fetch?.catch((error) => {
        if (error instanceof AmiActionError) return undefined;
        throw error;
      })
    ));
    this.#queuesUnanswered = fetches[0] !== undefined && lists[0] === undefined;
    return lists;
  }

  /** Builds the model from the lists and the buffered events, then swaps it in. */
  #cutOver(
    started: string | undefined,
    channels: OrderedList,
    bridges: OrderedList | undefined,
    [queues, devices, hints]: (OrderedList | undefined)[],
  ): void {
    const restarted = this.#startup !== undefined && started !== undefined &&
      started !== this.#startup;
    if (started !== undefined && started.trim() !== "") this.#startup = started;
    const lists = { channels, bridges, restarted, queues, devices, hints };
    const { model, diff, cuts } = cutOver(
      this.#model,
      this.#settings,
      lists,
      this.#buffer ?? [],
      Date.now(),
    );
    this.#buffer = undefined;
    this.#cuts = cuts;
    this.#model = model;
    this.#resyncing = false;
    if (this.#initial) {
      this.#initial = false;
      this.#publish(diff);
      this.#ready.resolve();
      return;
    }
    const revision = ++this.#revision;
    this.#feed.publish({
      kind: "resync",
      revision,
      reason: restarted ? "restart" : "resync",
      diff: diff.map((change) => ({ ...change, revision }) as LiveChange) as never,
    });
  }
}
