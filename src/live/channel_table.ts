/**
 * {@linkcode ChannelTable}: the channels of a live model and the rules that
 * move them: channel fields from any channel block, hangups and their
 * tombstones, variables, renames, bridge membership, Local pairs and dial
 * links (the *channels* domain of an event). Calls and bridge members follow
 * through the {@linkcode CallIndex} and {@linkcode BridgeTable} it is given.
 *
 * @module
 */

import type { BridgeTable } from "./bridges.ts";
import type { CallIndex } from "./calls.ts";
import { BLOCK, type BlockKeys, channelFromBlock, withVariable } from "./channel_block.ts";
import type { FieldReader } from "./event_fields.ts";
import { PLAIN_CHANNEL_EVENTS } from "./event_names.ts";
import type { LiveSettings } from "./options.ts";
import { detached } from "./strings.ts";
import { Tombstones } from "./tombstones.ts";
import type { LiveChannel, LiveRemovalCause, PendingChange } from "./types.ts";

/** Channels by Uniqueid, with the events that move them. */
export class ChannelTable {
  readonly #settings: LiveSettings;
  readonly #channels: Map<string, LiveChannel>;
  readonly #byName = new Map<string, string>();
  readonly #bridges: BridgeTable;
  readonly #calls: CallIndex;
  readonly #out: PendingChange[];
  #tombstones: Tombstones;

  /**
   * @param channels The map the model's calls read too.
   * @param out Where changes go, in order.
   */
  constructor(
    channels: Map<string, LiveChannel>,
    settings: LiveSettings,
    bridges: BridgeTable,
    calls: CallIndex,
    out: PendingChange[],
  ) {
    this.#channels = channels;
    this.#settings = settings;
    this.#bridges = bridges;
    this.#calls = calls;
    this.#out = out;
    this.#tombstones = new Tombstones(settings.tombstones, settings.tombstoneTtlMs);
  }

  /** Hung-up Uniqueids. */
  get tombstones(): Tombstones {
    return this.#tombstones;
  }

  /** Keeps an older table's tombstones, but not for channels this one has. */
  adoptTombstones(older: ChannelTable, now: number): void {
    this.#tombstones.absorb(older.#tombstones, now);
    for (const uniqueid of this.#channels.keys()) this.#tombstones.delete(uniqueid);
  }

  /** Seeds channels from `CoreShowChannel` (or `Status`) list items. */
  seed(items: readonly FieldReader[], now: number): void {
    for (const item of items) {
      const seconds = durationSeconds(item.get("Duration") ?? item.get("Seconds"));
      const channel = this.#upsert(item, BLOCK.plain, now - seconds * 1_000);
      if (channel === undefined) continue;
      const bridgeId = item.get("BridgeId");
      if (bridgeId !== undefined && bridgeId !== "") this.#setBridge(channel, bridgeId, "");
    }
  }

  /** Applies what an event says about channels (its *channels* domain). */
  apply(name: string, event: FieldReader): void {
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
