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
 *    one `resync` change carries the difference. Until then the view is
 *    `stale` or `resyncing` and shows the last model applied whole.
 * 4. A new `CoreStatus` startup time means Asterisk restarted: everything
 *    goes with `restart`, and the snapshot waits for `FullyBooted` (at most
 *    `bootWaitMs`), as modules such as app_queue load last.
 *
 * @module
 */

import { AmiGap } from "../events/gap.ts";
import type { AmiEventStream } from "../events/event_stream.ts";
import type { AmiEvent } from "../types/maps.ts";
import { ChangeFeed, type LiveChangesOptions } from "./change_feed.ts";
import { LIVE_EVENT_NAMES, optionalEventNames } from "./event_names.ts";
import { LiveSync } from "./live_sync.ts";
import { type LiveOptions, type LiveSettings, liveSettings } from "./options.ts";
import type { LiveSource } from "./source.ts";
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
  readonly #feed: ChangeFeed;
  readonly #consumer: AmiEventStream<AmiEvent | AmiGap>;
  readonly #sync: LiveSync;
  readonly #ready = Promise.withResolvers<void>();
  readonly #pump: Promise<void>;
  #revision = 0;
  /** The consumer's reconnects the view has taken in (a newer one means the model is stale). */
  #reconnectsSeen = 0;
  #cached: LiveSnapshot | undefined;
  #closed = false;

  /** @internal Use {@linkcode createLiveView}. */
  constructor(client: LiveSource, settings: LiveSettings) {
    this.#client = client;
    this.#feed = new ChangeFeed(settings.changes);
    this.#ready.promise.catch(() => {});
    // Subscribed before anything is sent: nothing between the lists and the stream is lost.
    // Only what the view reads: automatic server-side filters can then narrow what Asterisk sends.
    const follows = {
      variables: settings.variables.size > 0,
      dialplan: settings.dialplan,
      queues: settings.queues !== undefined,
      devices: settings.devices,
      hints: settings.hints,
    };
    this.#consumer = client.events([...LIVE_EVENT_NAMES, ...optionalEventNames(follows)], {
      gaps: true,
      bufferSize: settings.eventBufferSize,
    });
    this.#sync = new LiveSync(client, settings, {
      changed: (pending) => this.#publish(pending),
      applied: (diff, reason, initial) => this.#applied(diff, reason, initial),
      failed: (error) => this.#ready.reject(error),
    });
    this.#pump = this.#run();
    this.#sync.requestResync();
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
    // Back from a reconnect the view has not taken in yet: what it shows predates the outage.
    if (this.#sync.resyncing || this.#consumer.reconnectGaps !== this.#reconnectsSeen) {
      return "resyncing";
    }
    return "live";
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
    const model = this.#sync.model;
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
      await this.#consumer.return();
      this.#feed.close();
      this.#ready.reject(new Error("The live view was closed before its first snapshot"));
    }
    await this.#pump;
    await this.#sync.close();
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
        if (item instanceof AmiGap) this.#lostEvents(item);
        else this.#sync.take(item);
      }
    } catch (error) {
      failure = error;
    } finally {
      this.#closed = true;
      this.#feed.close(failure);
      this.#ready.reject(failure ?? new Error("The client closed before the first snapshot"));
      await this.#sync.close();
    }
  }

  /** Events were lost (a reconnect, or this consumer fell behind): start again from a snapshot. */
  #lostEvents(gap: AmiGap): void {
    if (gap.reason === "reconnect") {
      this.#reconnectsSeen = this.#consumer.reconnectGaps;
      this.#sync.linkRenewed();
    }
    this.#sync.requestResync();
  }

  #publish(pending: readonly PendingChange[]): void {
    for (const change of pending) {
      this.#feed.publish({ ...change, revision: ++this.#revision } as LiveChange);
    }
  }

  /** A snapshot was applied: the first one's changes one by one, a later one as one `resync`. */
  #applied(diff: readonly PendingChange[], reason: "resync" | "restart", initial: boolean): void {
    if (initial) {
      this.#publish(diff);
      this.#ready.resolve();
      return;
    }
    const revision = ++this.#revision;
    this.#feed.publish({
      kind: "resync",
      revision,
      reason,
      diff: diff.map((change) => ({ ...change, revision }) as LiveChange) as never,
    });
  }
}
