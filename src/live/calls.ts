/**
 * {@linkcode CallIndex}: channels grouped into calls. A call is a connected
 * group: Local halves, channels sharing a (non-holding) bridge, a dialler and
 * what it dials, channels sharing a Linkedid. Groups only ever merge (the
 * older call absorbs the younger, so a call's id never changes); a call ends
 * when its last channel hangs up.
 *
 * @module
 */

import type { LiveCall, LiveCallState, LiveChannel, PendingChange } from "./types.ts";

/** How many hung-up channels an ended call lists. */
const ENDED_CHANNELS_KEPT = 256;

/** What a call was before a resync, so that the new view keeps its identity. */
export interface CallIdentity {
  readonly id: string;
  readonly startedAt: number;
  readonly answeredAt: number | undefined;
}

interface CallRecord {
  readonly id: string;
  readonly channels: Set<string>;
  readonly linkedids: Set<string>;
  readonly hungUp: string[];
  startedAt: number;
  answeredAt: number | undefined;
  state: LiveCallState;
  /** Whether `call.started` went out. */
  announced: boolean;
  cause: number | undefined;
  causeText: string | undefined;
  /** Channels that were in a bridge at some point. */
  readonly bridged: Set<string>;
  /** Whether the cause is that of a channel that was bridged. */
  causeFromUp: boolean;
  /** The frozen view of the record, until it changes. */
  view: LiveCall | undefined;
}

interface EndedCall {
  readonly call: LiveCall;
  readonly expiresAt: number;
}

/** The calls of a view, live and recently ended. */
export class CallIndex {
  readonly #channels: ReadonlyMap<string, LiveChannel>;
  readonly #live = new Map<string, CallRecord>();
  readonly #ofChannel = new Map<string, CallRecord>();
  readonly #ofLinkedid = new Map<string, CallRecord>();
  #ended = new Map<string, EndedCall>();
  readonly #endedCapacity: number;
  readonly #endedTtlMs: number;
  readonly #identities: ReadonlyMap<string, CallIdentity>;
  /** Calls whose members or channels changed during the current event. */
  readonly #touched = new Set<CallRecord>();
  #nextSuffix = 0;

  constructor(
    channels: ReadonlyMap<string, LiveChannel>,
    retain: { endedCalls: number; endedCallTtlMs: number },
    identities: ReadonlyMap<string, CallIdentity> = new Map(),
  ) {
    this.#channels = channels;
    this.#endedCapacity = retain.endedCalls;
    this.#endedTtlMs = retain.endedCallTtlMs;
    this.#identities = identities;
  }

  /** The live calls. */
  get live(): number {
    return this.#live.size;
  }

  /** The frozen call a channel belongs to. */
  callOf(uniqueid: string): LiveCall | undefined {
    const record = this.#ofChannel.get(uniqueid);
    return record === undefined ? undefined : this.#view(record);
  }

  /** Every call, live then ended, frozen. */
  *calls(): IterableIterator<LiveCall> {
    for (const record of this.#live.values()) yield this.#view(record);
    for (const { call } of this.#ended.values()) yield call;
  }

  /** What each live channel's call is, to carry over into a rebuilt view. */
  identities(): Map<string, CallIdentity> {
    const identities = new Map<string, CallIdentity>();
    for (const [uniqueid, record] of this.#ofChannel) {
      identities.set(uniqueid, {
        id: record.id,
        startedAt: record.startedAt,
        answeredAt: record.answeredAt,
      });
    }
    return identities;
  }

  /** Keeps the ended calls of an older index (after a resync). */
  adoptEnded(older: CallIndex): void {
    const merged = new Map(older.#ended);
    for (const [id, ended] of this.#ended) merged.set(id, ended);
    this.#ended = merged;
  }

  /** A channel appeared: it joins the call of its Linkedid, or starts one. */
  add(channel: LiveChannel): void {
    if (this.#ofChannel.has(channel.uniqueid)) return;
    let record = this.#ofLinkedid.get(channel.linkedid) ??
      this.#ofLinkedid.get(channel.uniqueid);
    record ??= this.#create(channel);
    record.channels.add(channel.uniqueid);
    this.#ofChannel.set(channel.uniqueid, record);
    if (channel.bridgeId !== undefined) record.bridged.add(channel.uniqueid);
    this.#noteLinkedid(record, channel.linkedid);
    this.#touched.add(record);
  }

  /** A channel changed: a new Linkedid may join two calls. */
  update(channel: LiveChannel): void {
    const record = this.#ofChannel.get(channel.uniqueid);
    if (record === undefined) return this.add(channel);
    this.#touched.add(record);
    if (channel.bridgeId !== undefined) record.bridged.add(channel.uniqueid);
    const other = this.#ofLinkedid.get(channel.linkedid);
    if (other !== undefined && other !== record) this.#merge(record, other);
    else this.#noteLinkedid(record, channel.linkedid);
  }

  /** Two channels belong to one call (Local halves, a dial, a bridge). */
  link(a: string, b: string): void {
    const first = this.#ofChannel.get(a);
    const second = this.#ofChannel.get(b);
    if (first === undefined || second === undefined || first === second) return;
    this.#merge(first, second);
  }

  /**
   * A channel hung up: its call ends with it when it was the last. The
   * call's cause is the first non-zero one of a channel that was ever
   * bridged, else of any channel (an agent that rang in vain hangs up with
   * "Answered elsewhere", which is not why a queue call ended).
   */
  remove(uniqueid: string, cause: number | undefined, causeText: string | undefined): void {
    const record = this.#ofChannel.get(uniqueid);
    if (record === undefined) return;
    const wasUp = record.bridged.delete(uniqueid);
    this.#ofChannel.delete(uniqueid);
    record.channels.delete(uniqueid);
    record.hungUp.push(uniqueid);
    if (record.hungUp.length > ENDED_CHANNELS_KEPT) record.hungUp.shift();
    if (
      cause !== undefined && cause !== 0 &&
      (record.cause === undefined || (wasUp && !record.causeFromUp))
    ) {
      record.cause = cause;
      record.causeText = causeText;
      record.causeFromUp = wasUp;
    }
    this.#touched.add(record);
  }

  /**
   * Settles the calls the current event touched: ends the empty ones,
   * refreshes states, and returns the changes.
   */
  settle(now: number, removal: "event" | "resync" | "restart" = "event"): PendingChange[] {
    for (const record of this.#touched) {
      if (!this.#live.has(record.id) || this.#live.get(record.id) !== record) continue;
      if (record.channels.size === 0) {
        if (record.announced) this.#end(record, now, removal);
        else this.#live.delete(record.id);
        continue;
      }
      const before = record.view;
      const state = this.#stateOf(record);
      record.view = undefined;
      if (!record.announced) {
        record.announced = true;
        record.state = state;
        if (state === "up") record.answeredAt ??= now;
        this.#out.push({ kind: "call.started", call: this.#view(record) });
      } else if (state === "up" && record.state !== "up") {
        record.state = state;
        record.answeredAt ??= now;
        this.#out.push({ kind: "call.answered", call: this.#view(record) });
      } else if (before === undefined || state !== record.state || this.#differs(before, record)) {
        record.state = state;
        this.#out.push({ kind: "call.updated", call: this.#view(record) });
      } else {
        record.view = before;
      }
    }
    this.#touched.clear();
    this.#prune(now);
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #out: PendingChange[] = [];

  #create(channel: LiveChannel): CallRecord {
    const identity = this.#identities.get(channel.uniqueid);
    const wanted = identity !== undefined && !this.#live.has(identity.id) ? identity.id : undefined;
    let id = wanted ?? channel.linkedid;
    while (this.#live.has(id) || (wanted === undefined && this.#ended.has(id))) {
      id = `${channel.linkedid}~${++this.#nextSuffix}`;
    }
    const record: CallRecord = {
      id,
      channels: new Set(),
      linkedids: new Set(),
      hungUp: [],
      startedAt: identity?.startedAt ?? channel.createdAt,
      answeredAt: identity?.answeredAt,
      state: "dialing",
      announced: false,
      cause: undefined,
      causeText: undefined,
      causeFromUp: false,
      bridged: new Set(),
      view: undefined,
    };
    if (record.answeredAt !== undefined) record.state = "up";
    this.#live.set(id, record);
    return record;
  }

  #noteLinkedid(record: CallRecord, linkedid: string): void {
    record.linkedids.add(linkedid);
    if (!this.#ofLinkedid.has(linkedid)) this.#ofLinkedid.set(linkedid, record);
  }

  /** The older call absorbs the younger. */
  #merge(a: CallRecord, b: CallRecord): void {
    const [keeper, absorbed] =
      a.startedAt < b.startedAt || (a.startedAt === b.startedAt && a.id <= b.id) ? [a, b] : [b, a];
    for (const uniqueid of absorbed.channels) {
      keeper.channels.add(uniqueid);
      this.#ofChannel.set(uniqueid, keeper);
    }
    for (const linkedid of absorbed.linkedids) {
      keeper.linkedids.add(linkedid);
      this.#ofLinkedid.set(linkedid, keeper);
    }
    for (const uniqueid of absorbed.hungUp) keeper.hungUp.push(uniqueid);
    for (const uniqueid of absorbed.bridged) keeper.bridged.add(uniqueid);
    if (absorbed.answeredAt !== undefined) {
      keeper.answeredAt = Math.min(keeper.answeredAt ?? Infinity, absorbed.answeredAt);
    }
    if (keeper.cause === undefined || (absorbed.causeFromUp && !keeper.causeFromUp)) {
      keeper.cause = absorbed.cause;
      keeper.causeText = absorbed.causeText;
      keeper.causeFromUp = absorbed.causeFromUp;
    }
    this.#live.delete(absorbed.id);
    this.#touched.delete(absorbed);
    this.#touched.add(keeper);
    keeper.view = undefined;
    absorbed.view = undefined;
    if (absorbed.announced) {
      this.#out.push({ kind: "call.merged", call: this.#view(absorbed), into: keeper.id });
    }
  }

  #end(record: CallRecord, now: number, removal: "event" | "resync" | "restart"): void {
    this.#live.delete(record.id);
    for (const linkedid of record.linkedids) {
      if (this.#ofLinkedid.get(linkedid) === record) this.#ofLinkedid.delete(linkedid);
    }
    record.state = "ended";
    const call: LiveCall = Object.freeze({
      ...this.#view(record),
      channels: new Set(record.hungUp),
      bridges: new Set<string>(),
      state: "ended" as const,
      endedAt: now,
    });
    if (this.#endedCapacity > 0) {
      this.#ended.delete(record.id);
      this.#ended.set(record.id, { call, expiresAt: now + this.#endedTtlMs });
    }
    this.#out.push({
      kind: "call.ended",
      call,
      removal,
      cause: record.cause,
      causeText: record.causeText,
    });
  }

  #prune(now: number): void {
    for (const [id, { expiresAt }] of this.#ended) {
      if (this.#ended.size <= this.#endedCapacity && expiresAt > now) break;
      this.#ended.delete(id);
    }
  }

  #stateOf(record: CallRecord): LiveCallState {
    if (record.answeredAt !== undefined) return "up";
    let ringing = false;
    for (const uniqueid of record.channels) {
      const code = this.#channels.get(uniqueid)?.stateCode;
      if (code === 6) return "up";
      if (code === 5) ringing = true;
    }
    return ringing ? "ringing" : "dialing";
  }

  #differs(before: LiveCall, record: CallRecord): boolean {
    if (before.channels.size !== record.channels.size) return true;
    if (before.linkedids.size !== record.linkedids.size) return true;
    for (const uniqueid of record.channels) if (!before.channels.has(uniqueid)) return true;
    const bridges = this.#bridgesOf(record);
    if (bridges.size !== before.bridges.size) return true;
    for (const id of bridges) if (!before.bridges.has(id)) return true;
    return false;
  }

  #bridgesOf(record: CallRecord): Set<string> {
    const bridges = new Set<string>();
    for (const uniqueid of record.channels) {
      const bridgeId = this.#channels.get(uniqueid)?.bridgeId;
      if (bridgeId !== undefined) bridges.add(bridgeId);
    }
    return bridges;
  }

  #view(record: CallRecord): LiveCall {
    return record.view ??= Object.freeze({
      id: record.id,
      channels: new Set(record.channels),
      bridges: this.#bridgesOf(record),
      linkedids: new Set(record.linkedids),
      state: record.state,
      startedAt: record.startedAt,
      answeredAt: record.answeredAt,
      endedAt: undefined,
      cause: record.cause,
      causeText: record.causeText,
    });
  }
}
