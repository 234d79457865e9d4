/**
 * {@linkcode LiveSync}: keeps a live view's model equal to the PBX. It takes
 * the view's events, takes snapshots (the first, and a resync after lost
 * events or a reconnect), cuts each over on the event order, and waits for a
 * restarted Asterisk to finish booting before its snapshot.
 *
 * Stale until fresh: while a snapshot is due or under way, events change
 * nothing (the snapshot, taken after them, holds them), so the model a
 * reader sees is always either the last one applied whole or the new one.
 *
 * @module
 */

import { AmiActionError } from "../errors.ts";
import type { AmiMessage } from "../wire/message.ts";
import { BootWatch } from "./boot_watch.ts";
import {
  type BufferedEvent,
  cutOver,
  type CutPositions,
  domainsAfter,
  earliestCut,
} from "./cutover.ts";
import type { LiveSettings } from "./options.ts";
import { orderOf } from "./ordering.ts";
import { LiveReducer } from "./reducer.ts";
import { type FetchedLists, fetchSnapshotLists } from "./snapshot_lists.ts";
import type { LiveSource } from "./source.ts";
import type { PendingChange } from "./types.ts";

/** Where a {@linkcode LiveSync} reports what it did. */
export interface SyncOutput {
  /** An event changed the model. */
  changed(pending: readonly PendingChange[]): void;
  /** A snapshot was applied: the first one, or a resync (`diff` from the model it replaced). */
  applied(diff: readonly PendingChange[], reason: "resync" | "restart", initial: boolean): void;
  /** The first snapshot was refused for good. */
  failed(error: unknown): void;
}

/** A snapshot's answers and the events read while it was taken. */
interface Fetched {
  readonly lists: FetchedLists;
  readonly buffered: readonly BufferedEvent[];
}

/** The model of a live view and the snapshots that keep it right. */
export class LiveSync {
  readonly #client: LiveSource;
  readonly #settings: LiveSettings;
  readonly #output: SyncOutput;
  readonly #boot = new BootWatch();
  #model: LiveReducer;
  #arrival = 0;
  /** Events read while a snapshot's lists are on their way. */
  #buffer: BufferedEvent[] | undefined;
  #bufferOverflowed = false;
  /** Where the last snapshot's lists sit in the event order (see `domainsAfter`). */
  #cuts: CutPositions | undefined;
  #initial = true;
  #resyncing = true;
  #resyncWanted = false;
  #loop: Promise<void> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** `CoreStatus`'s startup time of the PBX the model shows. */
  #startup: string | undefined;
  #closed = false;

  constructor(client: LiveSource, settings: LiveSettings, output: SyncOutput) {
    this.#client = client;
    this.#settings = settings;
    this.#output = output;
    this.#model = new LiveReducer(settings);
  }

  /** The model last applied whole. */
  get model(): LiveReducer {
    return this.#model;
  }

  /** Whether a snapshot is due or under way (the model may be out of date). */
  get resyncing(): boolean {
    return this.#resyncing;
  }

  /** Takes one event of the view's consumer. */
  take(event: AmiMessage): void {
    const order = orderOf(event, ++this.#arrival);
    if (event.name === "FullyBooted") this.#fullyBooted(order);
    const buffer = this.#buffer;
    if (buffer !== undefined) {
      if (buffer.length < this.#settings.eventBufferSize) buffer.push({ event, order });
      else this.#bufferOverflowed = true;
      return;
    }
    // Stale until fresh: the snapshot to come is taken after this event and holds it.
    if (this.#resyncing) return;
    // An event the consumer hands over only now may be older than the lists: skip what they hold.
    const domains = this.#cuts === undefined ? undefined : domainsAfter(this.#cuts, order);
    if (domains !== 0) this.#output.changed(this.#model.apply(event, domains));
  }

  /** The link dropped and is back: the PBX behind it may have restarted. */
  linkRenewed(): void {
    this.#boot.linkRenewed();
  }

  /** Starts a snapshot (again): events were lost, or the link is back. */
  requestResync(): void {
    this.#resyncWanted = true;
    this.#resyncing = true;
    this.#boot.interrupt();
    this.#loop ??= this.#resyncWhileWanted().finally(() => this.#loop = undefined);
  }

  /** Stops: no more snapshots, timers cleared. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#boot.interrupt();
    await this.#loop;
  }

  /**
   * A `FullyBooted`: a wait for it ends. Read after the first list of the
   * last snapshot, it says that snapshot was taken while modules (app_queue
   * among them) were still loading: another is taken.
   */
  #fullyBooted(order: number): void {
    this.#boot.fullyBooted();
    const cuts = this.#cuts;
    if (!this.#resyncing && cuts !== undefined && order > earliestCut(cuts)) {
      this.requestResync();
    }
  }

  async #resyncWhileWanted(): Promise<void> {
    while (this.#resyncWanted && !this.#closed) {
      this.#resyncWanted = false;
      try {
        await this.#takeSnapshot();
      } catch (error) {
        if (this.#closed) return;
        if (this.#initial && !this.#resyncWanted && error instanceof AmiActionError) {
          this.#output.failed(error);
          return;
        }
        // A lost link brings a gap, and with it a new attempt; anything else is tried again soon.
        if (!this.#resyncWanted && this.#client.state === "connected") {
          this.#retryTimer = setTimeout(() => this.requestResync(), 1_000);
        }
      }
    }
  }

  async #takeSnapshot(): Promise<void> {
    let fetched = await this.#fetch();
    if (fetched === undefined) return;
    if (this.#restarted(fetched.lists) && !this.#boot.booted) {
      // A restarted Asterisk may still be loading modules: the snapshot waits for FullyBooted.
      await this.#boot.wait(this.#settings.bootWaitMs);
      this.#buffer = undefined;
      if (this.#closed || this.#resyncWanted) return;
      fetched = await this.#fetch();
      if (fetched === undefined) return;
    }
    // Events read after the lists and taken before this turn are in the buffer too.
    this.#buffer = undefined;
    if (this.#bufferOverflowed) throw new Error("Too many events while the snapshot was taken");
    this.#cutOver(fetched);
  }

  /** The snapshot lists and the events read meanwhile; `undefined` when no longer wanted. */
  async #fetch(): Promise<Fetched | undefined> {
    const buffered: BufferedEvent[] = this.#buffer = [];
    this.#bufferOverflowed = false;
    try {
      const lists = await fetchSnapshotLists(this.#client, this.#settings);
      if (this.#bufferOverflowed) throw new Error("Too many events while the snapshot was taken");
      if (this.#closed || this.#resyncWanted) {
        this.#buffer = undefined;
        return undefined;
      }
      // The buffer stays until the cut-over: an event the consumer hands over in between is newer
      // than the lists, and must not be taken for stale.
      return { lists, buffered };
    } catch (error) {
      this.#buffer = undefined;
      throw error;
    }
  }

  /** Whether `CoreStatus` shows another startup time than the model's PBX had. */
  #restarted(lists: FetchedLists): boolean {
    return this.#startup !== undefined && lists.startup !== undefined &&
      lists.startup !== this.#startup;
  }

  /** Builds the model from the lists and the buffered events, then swaps it in. */
  #cutOver({ lists, buffered }: Fetched): void {
    const restarted = this.#restarted(lists);
    if (lists.startup !== undefined) this.#startup = lists.startup;
    const { model, diff, cuts } = cutOver(
      this.#model,
      this.#settings,
      { ...lists, restarted },
      buffered,
      Date.now(),
    );
    this.#cuts = cuts;
    this.#model = model;
    this.#resyncing = false;
    const initial = this.#initial;
    this.#initial = false;
    this.#output.applied(diff, restarted ? "restart" : "resync", initial);
    const first = earliestCut(cuts);
    if (buffered.some(({ event, order }) => event.name === "FullyBooted" && order > first)) {
      this.requestResync();
    }
  }
}
