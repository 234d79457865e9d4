/**
 * {@linkcode LiveReducer}: applies AMI events and snapshot list items to a
 * model of channels, bridges and calls. Every event is applied as "set these
 * fields to the event's values", keyed by Uniqueid or bridge id, so applying
 * an event twice changes nothing, and a hung-up channel is remembered
 * (a tombstone) so that no late event brings it back.
 *
 * Events touch several domains, each cut over on its own snapshot list:
 * *channels* (`CoreShowChannels`: channel fields, bridge membership, Local
 * pairs, dial links; the rules are in {@linkcode ChannelTable}) and
 * *bridges* (`BridgeList`: bridge attributes, creation and destruction),
 * and queues, device states and hints. Calls follow from channels and
 * bridges.
 *
 * @module
 */

import { BridgeTable } from "./bridges.ts";
import { type CallIdentity, CallIndex } from "./calls.ts";
import { ChannelTable } from "./channel_table.ts";
import { DeviceTable } from "./devices.ts";
import { EventFields, type FieldReader, type LiveEventInput } from "./event_fields.ts";
import { MODELLED_EVENTS } from "./event_names.ts";
import type { LiveSettings } from "./options.ts";
import type { LiveQueue } from "./queue_types.ts";
import { QueueTable } from "./queues.ts";
import type { Tombstones } from "./tombstones.ts";
import type { LiveChannel, LiveRemovalCause, PendingChange } from "./types.ts";

/** Which parts of an event to apply: a bit per domain. */
export type Domains = number;
/** Channel fields, bridge membership, Local pairs, dial links. */
export const CHANNELS: Domains = 1;
/** Bridge attributes, creation and destruction. */
export const BRIDGES: Domains = 2;
/** Queues (`QueueStatus`). */
export const QUEUES: Domains = 4;
/** Device states (`DeviceStateList`). */
export const DEVICES: Domains = 8;
/** Hints (`ExtensionStateList`). */
export const HINTS: Domains = 16;
/** All of them. */
export const ALL_DOMAINS: Domains = CHANNELS | BRIDGES | QUEUES | DEVICES | HINTS;

/** The items of `QueueStatus`, `DeviceStateList` and `ExtensionStateList`. */
export interface CallCentreItems {
  readonly queues?: readonly LiveEventInput[] | undefined;
  readonly devices?: readonly LiveEventInput[] | undefined;
  readonly hints?: readonly LiveEventInput[] | undefined;
}

/** The model of a live view and the rules that move it. */
export class LiveReducer {
  readonly #settings: LiveSettings;
  readonly #channels = new Map<string, LiveChannel>();
  readonly #channelTable: ChannelTable;
  readonly #bridges = new BridgeTable();
  readonly #calls: CallIndex;
  readonly #queues: QueueTable;
  readonly #devices = new DeviceTable();
  /** The changes of the event being applied, in order; emptied as they are handed out. */
  readonly #out: PendingChange[] = [];

  /**
   * @param settings Variables and retention.
   * @param identities Calls of a view this one replaces, by Uniqueid, so that they keep their ids.
   */
  constructor(settings: LiveSettings, identities?: ReadonlyMap<string, CallIdentity>) {
    this.#settings = settings;
    this.#calls = new CallIndex(this.#channels, settings, identities);
    this.#channelTable = new ChannelTable(
      this.#channels,
      settings,
      this.#bridges,
      this.#calls,
      this.#out,
    );
    this.#queues = new QueueTable(settings.queues ?? new Set());
  }

  /** Queues (live; do not keep across changes). */
  get queues(): ReadonlyMap<string, LiveQueue> {
    return this.#queues.queues;
  }

  /** Device states and hints. */
  get devices(): DeviceTable {
    return this.#devices;
  }

  /** Channels by Uniqueid (live; do not keep across changes). */
  get channels(): ReadonlyMap<string, LiveChannel> {
    return this.#channels;
  }

  /** Bridges. */
  get bridges(): BridgeTable {
    return this.#bridges;
  }

  /** Calls. */
  get calls(): CallIndex {
    return this.#calls;
  }

  /** Hung-up Uniqueids. */
  get tombstones(): Tombstones {
    return this.#channelTable.tombstones;
  }

  /** Keeps what an older model retained: tombstones (not for channels this one has) and ended calls. */
  adoptRetained(older: LiveReducer, now: number): void {
    this.#channelTable.adoptTombstones(older.#channelTable, now);
    this.#calls.adoptEnded(older.#calls);
  }

  /**
   * Applies one event's parts for `domains`; returns the changes (without
   * revisions). Events the view does not model change nothing.
   */
  apply(input: LiveEventInput, domains: Domains = ALL_DOMAINS): PendingChange[] {
    const name = input.name.toLowerCase();
    if (!MODELLED_EVENTS.has(name)) return [];
    const event = new EventFields(input);
    if ((domains & CHANNELS) !== 0) this.#channelTable.apply(name, event);
    if ((domains & BRIDGES) !== 0) this.#applyToBridges(name, event);
    if ((domains & QUEUES) !== 0) this.#queues.apply(name, event, this.#out);
    if ((domains & DEVICES) !== 0 && name === "devicestatechange" && this.#settings.devices) {
      this.#devices.applyDevice(event, this.#out);
    }
    if ((domains & HINTS) !== 0 && name === "extensionstatus" && this.#settings.hints) {
      this.#devices.applyHint(event, this.#out);
    }
    return this.#settle(event.receivedAt);
  }

  /** Seeds queues, devices and hints from their lists' items (when the settings follow them). */
  seedCallCentre(lists: CallCentreItems, now: number): void {
    this.#queues.seed((lists.queues ?? []).map((item) => new EventFields(item)), now);
    const ignored: PendingChange[] = [];
    if (this.#settings.devices) {
      for (const item of lists.devices ?? []) {
        this.#devices.applyDevice(new EventFields(item), ignored);
      }
    }
    if (this.#settings.hints) {
      for (const item of lists.hints ?? []) this.#devices.applyHint(new EventFields(item), ignored);
    }
  }

  /** Seeds channels from `CoreShowChannel` (or `Status`) list items. */
  seedChannels(items: readonly LiveEventInput[], now: number): PendingChange[] {
    this.#channelTable.seed(items.map((item) => new EventFields(item)), now);
    return this.#settle(now);
  }

  /** Seeds bridges from `BridgeListItem` list items. */
  seedBridges(items: readonly LiveEventInput[], now: number): PendingChange[] {
    for (const item of items) this.#bridges.upsert(new EventFields(item));
    return this.#settle(now);
  }

  #settle(now: number, removal: LiveRemovalCause = "event"): PendingChange[] {
    const out = this.#out.splice(0);
    for (const change of this.#bridges.settle(removal)) out.push(change);
    for (const change of this.#calls.settle(now, removal)) out.push(change);
    this.#channelTable.tombstones.prune(now);
    return out;
  }

  #applyToBridges(name: string, event: FieldReader): void {
    switch (name) {
      case "bridgecreate":
      case "bridgeenter":
      case "bridgeleave":
        this.#bridges.upsert(event);
        return;
      case "bridgedestroy": {
        const id = event.get("BridgeUniqueid");
        if (id !== undefined) this.#bridges.destroy(id);
        return;
      }
      case "bridgemerge":
        this.#bridges.upsert(event, "To");
        this.#bridges.upsert(event, "From");
        return;
    }
  }
}
