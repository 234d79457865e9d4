/**
 * {@linkcode LiveReducer}: applies AMI events and snapshot list items to a
 * model of channels, bridges and calls. Every event is applied as "set these
 * fields to the event's values", keyed by Uniqueid or bridge id, so applying
 * an event twice changes nothing, and a hung-up channel is remembered
 * (a tombstone) so that no late event brings it back.
 *
 * Events touch two domains, cut over separately on their snapshot lists:
 * *channels* (`CoreShowChannels`: channel fields, bridge membership, Local
 * pairs, dial links) and *bridges* (`BridgeList`: bridge attributes,
 * creation and destruction). Calls follow from both.
 *
 * @module
 */

import { BridgeTable } from "./bridges.ts";
import { type CallIdentity, CallIndex } from "./calls.ts";
import { BLOCK, type BlockKeys, channelFromBlock, withVariable } from "./channel_block.ts";
import { EventFields, type FieldReader, type LiveEventInput } from "./event_fields.ts";
import { MODELLED_EVENTS, PLAIN_CHANNEL_EVENTS } from "./event_names.ts";
import type { LiveSettings } from "./options.ts";
import { detached } from "./strings.ts";
import { Tombstones } from "./tombstones.ts";
import { DeviceTable } from "./devices.ts";
import type { LiveQueue } from "./queue_types.ts";
import { QueueTable } from "./queues.ts";
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
  readonly #byName = new Map<string, string>();
  readonly #bridges = new BridgeTable();
  readonly #calls: CallIndex;
  readonly #queues: QueueTable;
  readonly #devices = new DeviceTable();
  #tombstones: Tombstones;
  #out: PendingChange[] = [];

  /**
   * @param settings Variables and retention.
   * @param identities Calls of a view this one replaces, by Uniqueid, so that they keep their ids.
   */
  constructor(settings: LiveSettings, identities?: ReadonlyMap<string, CallIdentity>) {
    this.#settings = settings;
    this.#tombstones = new Tombstones(settings.tombstones, settings.tombstoneTtlMs);
    this.#calls = new CallIndex(this.#channels, settings, identities);
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
    return this.#tombstones;
  }

  /** Keeps what an older model retained: tombstones (not for channels this one has) and ended calls. */
  adoptRetained(older: LiveReducer, now: number): void {
    this.#tombstones.absorb(older.#tombstones, now);
    for (const uniqueid of this.#channels.keys()) {
      this.#tombstones.delete(uniqueid);
    }
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
    if ((domains & CHANNELS) !== 0) this.#applyToChannels(name, event);
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
    for (const input of items) {
      const item = new EventFields(input);
      const seconds = durationSeconds(item.get("Duration") ?? item.get("Seconds"));
      const channel = this.#upsert(item, BLOCK.plain, now - seconds * 1_000);
      if (channel === undefined) continue;
      const bridgeId = item.get("BridgeId");
      if (bridgeId !== undefined && bridgeId !== "") this.#setBridge(channel, bridgeId, "");
    }
    return this.#settle(now);
  }

  /** Seeds bridges from `BridgeListItem` list items. */
  seedBridges(items: readonly LiveEventInput[], now: number): PendingChange[] {
    for (const item of items) this.#bridges.upsert(new EventFields(item));
    return this.#settle(now);
  }

  /** Removes everything (Asterisk restarted); tombstones go too, as Uniqueids start again. */
  clear(now: number, removal: LiveRemovalCause): PendingChange[] {
    for (const channel of [...this.#channels.values()]) {
      this.#remove(channel, undefined, undefined, removal);
    }
    for (const bridge of [...this.#bridges.values()]) this.#bridges.destroy(bridge.id);
    this.#tombstones = new Tombstones(this.#settings.tombstones, this.#settings.tombstoneTtlMs);
    return this.#settle(now, removal);
  }

  #settle(now: number, removal: LiveRemovalCause = "event"): PendingChange[] {
    const out = this.#out;
    this.#out = [];
    for (const change of this.#bridges.settle(removal)) out.push(change);
    for (const change of this.#calls.settle(now, removal)) out.push(change);
    this.#tombstones.prune(now);
    return out;
  }

  #applyToChannels(name: string, event: FieldReader): void {
    if (PLAIN_CHANNEL_EVENTS.has(name)) {
      this.#upsert(event, BLOCK.plain);
      if (name.startsWith("agent")) this.#upsert(event, BLOCK.dest);
      return;
    }
    switch (name) {
      case "hangup":
        return this.#hangup(event);
      case "varset":
        return this.#varSet(event);
      case "rename":
        return this.#rename(event);
      case "bridgeenter":
      case "bridgeleave":
        return this.#bridgeMembership(name === "bridgeenter", event);
      case "bridgemerge":
        return this.#bridgeMerge(event);
      case "localbridge":
        return this.#localBridge(event);
      case "dialbegin":
      case "dialstate":
      case "dialend":
        return this.#dial(name === "dialbegin", event);
      case "localoptimizationbegin":
        this.#upsert(event, BLOCK.localOne);
        this.#upsert(event, BLOCK.localTwo);
        this.#upsert(event, BLOCK.source);
        return;
    }
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

  /** Stores what a block says about a channel; `undefined` for an incomplete block or a tombstone. */
  #upsert(
    event: FieldReader,
    keys: BlockKeys,
    createdAt?: number,
    skipVariable?: string,
  ): LiveChannel | undefined {
    const uniqueid = event.get(keys.uniqueid);
    if (uniqueid === undefined || this.#tombstones.has(uniqueid)) return undefined;
    const stored = this.#channels.get(uniqueid);
    const next = channelFromBlock(
      event,
      keys,
      stored,
      this.#settings,
      createdAt ?? eventTime(event),
      skipVariable,
    );
    if (next === undefined || next === stored) return stored;
    this.#store(stored, next);
    return next;
  }

  #store(before: LiveChannel | undefined, after: LiveChannel): void {
    this.#channels.set(after.uniqueid, after);
    if (before === undefined) {
      this.#byName.set(after.name, after.uniqueid);
      this.#out.push({ kind: "channel.added", channel: after });
      this.#calls.add(after);
      this.#pairByName(after);
      return;
    }
    if (before.name !== after.name) {
      if (this.#byName.get(before.name) === after.uniqueid) this.#byName.delete(before.name);
      this.#byName.set(after.name, after.uniqueid);
    }
    this.#out.push({ kind: "channel.updated", channel: after, before });
    if (
      before.linkedid !== after.linkedid || before.stateCode !== after.stateCode ||
      before.bridgeId !== after.bridgeId
    ) {
      this.#calls.update(after);
    }
  }

  #patch(channel: LiveChannel, fields: Partial<LiveChannel>): LiveChannel {
    const next = Object.freeze({ ...channel, ...fields });
    this.#store(channel, next);
    return next;
  }

  #remove(
    channel: LiveChannel,
    cause: number | undefined,
    causeText: string | undefined,
    removal: LiveRemovalCause,
  ): void {
    this.#channels.delete(channel.uniqueid);
    if (this.#byName.get(channel.name) === channel.uniqueid) this.#byName.delete(channel.name);
    if (channel.bridgeId !== undefined) {
      this.#bridges.removeMember(channel.bridgeId, channel.uniqueid);
    }
    this.#calls.remove(channel.uniqueid, cause, causeText);
    this.#out.push({ kind: "channel.removed", channel, removal, cause, causeText });
  }

  #hangup(event: FieldReader): void {
    const uniqueid = event.get("Uniqueid");
    if (uniqueid === undefined || uniqueid === "" || this.#tombstones.has(uniqueid)) return;
    const channel = this.#channels.get(uniqueid);
    // Retention runs on the local clock: the PBX's Timestamp may be off by any amount.
    this.#tombstones.add(detached(uniqueid), event.receivedAt);
    if (channel === undefined) return;
    const cause = Number.parseInt(event.get("Cause") ?? "", 10);
    const causeText = event.get("Cause-txt");
    this.#remove(
      channel,
      Number.isFinite(cause) ? cause : undefined,
      causeText === undefined ? undefined : detached(causeText),
      "event",
    );
  }

  #varSet(event: FieldReader): void {
    const name = event.get("Variable") ?? "";
    // The event's own ChanVariable lines still show the value from before.
    const channel = this.#upsert(event, BLOCK.plain, undefined, name);
    if (channel === undefined || !this.#settings.variables.has(name)) return;
    const value = (event.get("Value") ?? "").slice(0, this.#settings.maxVariableLength);
    const variables = withVariable(channel.variables, name, value);
    if (variables !== undefined) this.#patch(channel, { variables });
  }

  #rename(event: FieldReader): void {
    const uniqueid = event.get("Uniqueid");
    const name = event.get("Newname");
    const channel = uniqueid === undefined ? undefined : this.#channels.get(uniqueid);
    if (channel === undefined || name === undefined || name === "" || name === channel.name) return;
    this.#patch(channel, { name: detached(name) });
  }

  #bridgeMembership(entering: boolean, event: FieldReader): void {
    const channel = this.#upsert(event, BLOCK.plain);
    const bridgeId = event.get("BridgeUniqueid");
    if (channel === undefined || bridgeId === undefined || bridgeId === "") return;
    if (entering) {
      this.#setBridge(channel, bridgeId, event.get("BridgeType") ?? "");
      // A Local optimisation: the channel takes the place of the one it swaps with.
      const swapped = this.#channels.get(event.get("SwapUniqueid") ?? "");
      if (swapped !== undefined && swapped.bridgeId === bridgeId) {
        this.#setBridge(swapped, undefined, "");
      }
    } else if (channel.bridgeId === bridgeId) {
      this.#setBridge(channel, undefined, "");
    }
  }

  #bridgeMerge(event: FieldReader): void {
    const from = event.get("FromBridgeUniqueid");
    const to = event.get("ToBridgeUniqueid");
    if (from === undefined || to === undefined || from === "" || to === "" || from === to) return;
    for (const uniqueid of [...this.#bridges.membersOf(from)]) {
      const channel = this.#channels.get(uniqueid);
      if (channel !== undefined) this.#setBridge(channel, to, event.get("ToBridgeType") ?? "");
    }
  }

  #setBridge(channel: LiveChannel, bridgeId: string | undefined, type: string): void {
    const current = this.#channels.get(channel.uniqueid) ?? channel;
    if (current.bridgeId === bridgeId) return;
    if (current.bridgeId !== undefined) {
      this.#bridges.removeMember(current.bridgeId, current.uniqueid);
    }
    const id = bridgeId === undefined ? undefined : detached(bridgeId);
    this.#patch(current, { bridgeId: id });
    if (id === undefined) return;
    this.#bridges.addMember(id, current.uniqueid);
    // Channels in a holding bridge (parking, waiting) are not talking to each other.
    if ((type || this.#bridges.typeOf(id)) === "holding") return;
    for (const member of this.#bridges.membersOf(id)) {
      if (member !== current.uniqueid) this.#calls.link(member, current.uniqueid);
    }
  }

  #localBridge(event: FieldReader): void {
    const one = this.#upsert(event, BLOCK.localOne);
    const two = this.#upsert(event, BLOCK.localTwo);
    if (one !== undefined && two !== undefined) this.#pair(one, two);
  }

  #dial(begins: boolean, event: FieldReader): void {
    const caller = this.#upsert(event, BLOCK.plain);
    const callee = this.#upsert(event, BLOCK.dest);
    if (begins && caller !== undefined && callee !== undefined) {
      this.#calls.link(caller.uniqueid, callee.uniqueid);
    }
  }

  /** The halves of a Local channel have the same name but for `;1` and `;2`. */
  #pairByName(channel: LiveChannel): void {
    const name = channel.name;
    if (!name.startsWith("Local/") || name.at(-2) !== ";") return;
    const half = name.at(-1);
    if (half !== "1" && half !== "2") return;
    const peer = this.#channels.get(
      this.#byName.get(name.slice(0, -1) + (half === "1" ? "2" : "1")) ?? "",
    );
    if (peer !== undefined) this.#pair(channel, peer);
  }

  #pair(one: LiveChannel, two: LiveChannel): void {
    const first = this.#channels.get(one.uniqueid) ?? one;
    if (first.localPeer !== two.uniqueid) this.#patch(first, { localPeer: two.uniqueid });
    const second = this.#channels.get(two.uniqueid) ?? two;
    if (second.localPeer !== one.uniqueid) this.#patch(second, { localPeer: one.uniqueid });
    this.#calls.link(one.uniqueid, two.uniqueid);
  }
}

/** When an event happened: its `Timestamp` (timestampevents) or when it was received. */
function eventTime(event: FieldReader): number {
  const stamp = Number(event.get("Timestamp"));
  return stamp > 0 ? Math.round(stamp * 1_000) : event.receivedAt;
}

/** `HH:MM:SS` (CoreShowChannel) or plain seconds (Status) as seconds. */
function durationSeconds(text: string | undefined): number {
  if (text === undefined) return 0;
  let seconds = 0;
  for (const part of text.split(":")) seconds = seconds * 60 + (Number.parseInt(part, 10) || 0);
  return seconds;
}
