/**
 * The shapes of the live view: channels, bridges and calls as plain frozen
 * objects keyed by AMI identifiers, the snapshot that holds them, and the
 * changes that move one snapshot to the next.
 *
 * @module
 */

import type { LiveDeviceChange, LiveHint, LiveQueue, LiveQueueChange } from "./queue_types.ts";

/**
 * A number and a name, as Asterisk gives caller ID and connected line.
 * Asterisk's `<unknown>` (nothing set) is an empty string here.
 *
 * @example
 * ```ts
 * import type { LiveParty } from "@x/ami";
 * import assert from "node:assert/strict";
 * const alice: LiveParty = { num: "100", name: "Alice" };
 * assert.equal(alice.num, "100");
 * ```
 */
export interface LiveParty {
  /** The number, `""` when unknown. */
  readonly num: string;
  /** The name, `""` when unknown. */
  readonly name: string;
}

/**
 * One channel as the PBX has it now, keyed by its Uniqueid (which survives
 * masquerades; the name may change with `Rename`).
 *
 * @example
 * ```ts
 * import type { LiveChannel } from "@x/ami";
 * import assert from "node:assert/strict";
 * const isTalking = (channel: LiveChannel) => channel.state === "Up" && channel.bridgeId !== undefined;
 * assert.equal(typeof isTalking, "function");
 * ```
 */
export interface LiveChannel {
  /** The Uniqueid, the key. */
  readonly uniqueid: string;
  /** The channel name, e.g. `PJSIP/100-00000001`. */
  readonly name: string;
  /** The Linkedid Asterisk shows now (it changes when the channel joins a basic bridge). */
  readonly linkedid: string;
  /** The state as text (`ChannelStateDesc`): `Down`, `Ring`, `Ringing`, `Up`, `Busy`, … */
  readonly state: string;
  /** The state as a number (`ChannelState`): 0 down, 4 ring, 5 ringing, 6 up, … */
  readonly stateCode: number;
  /** The bridge it is in, if any. */
  readonly bridgeId: string | undefined;
  /** Its caller ID. */
  readonly callerId: LiveParty;
  /** The party it is connected to, as Asterisk last told. */
  readonly connected: LiveParty;
  /** Its account code. */
  readonly accountCode: string;
  /**
   * Where it is in the dialplan, as its last event said (every step with
   * the `dialplan` option).
   */
  readonly context: string;
  /** The extension in {@linkcode LiveChannel.context}. */
  readonly exten: string;
  /** The priority. */
  readonly priority: number;
  /** The Uniqueid of the other half, for a `Local/…;1` or `;2` channel whose half is known. */
  readonly localPeer: string | undefined;
  /** When the channel was created, in ms since the epoch (1 s precision for snapshot channels). */
  readonly createdAt: number;
  /** The variables asked for with the `variables` option, from `ChanVariable` and `VarSet`. */
  readonly variables: ReadonlyMap<string, string>;
}

/**
 * A bridge and the channels in it.
 *
 * @example
 * ```ts
 * import type { LiveBridge } from "@x/ami";
 * import assert from "node:assert/strict";
 * const talkers = (bridge: LiveBridge) => bridge.channels.size;
 * assert.equal(typeof talkers, "function");
 * ```
 */
export interface LiveBridge {
  /** The bridge's unique id (`BridgeUniqueid`). */
  readonly id: string;
  /** Its type: `basic`, `holding`, `stasis`, … (`""` when not known yet). */
  readonly type: string;
  /** Its technology, e.g. `simple_bridge`. */
  readonly technology: string;
  /** Who created it (`<unknown>` is `""`). */
  readonly creator: string;
  /** Its name (`<unknown>` is `""`). */
  readonly name: string;
  /** The Uniqueids of the channels in it. */
  readonly channels: ReadonlySet<string>;
}

/**
 * Where a call is: no channel rings nor is up (`dialing`), a channel rings
 * (`ringing`), a channel answered (`up`), or every channel hung up (`ended`).
 *
 * @example
 * ```ts
 * import type { LiveCallState } from "@x/ami";
 * import assert from "node:assert/strict";
 * const state: LiveCallState = "ringing";
 * assert.equal(state, "ringing");
 * ```
 */
export type LiveCallState = "dialing" | "ringing" | "up" | "ended";

/**
 * A call: the channels that belong together through Local pairs, bridges
 * (except holding bridges), dial links and Linkedids. Its `id` (the first
 * Linkedid seen) stays the same for its whole life, even when Asterisk
 * changes the Linkedids; when two calls join, the older one absorbs the
 * other (see the `call.merged` change).
 *
 * @example
 * ```ts
 * import type { LiveCall } from "@x/ami";
 * import assert from "node:assert/strict";
 * const talking = (call: LiveCall) => call.state === "up" && call.bridges.size > 0;
 * assert.equal(typeof talking, "function");
 * ```
 */
export interface LiveCall {
  /** Stable for the call's life. */
  readonly id: string;
  /** The channels in it now; once ended, the channels it had (the last 256). */
  readonly channels: ReadonlySet<string>;
  /** The bridges its channels are in now. */
  readonly bridges: ReadonlySet<string>;
  /** Every Linkedid its channels had. */
  readonly linkedids: ReadonlySet<string>;
  /** Where it is. */
  readonly state: LiveCallState;
  /** When its first channel was created, in ms since the epoch. */
  readonly startedAt: number;
  /** When a channel first answered. */
  readonly answeredAt: number | undefined;
  /** When its last channel hung up. */
  readonly endedAt: number | undefined;
  /** The hangup cause once ended: the first non-zero one of a channel that was bridged, else of any. */
  readonly cause: number | undefined;
  /** The text of {@linkcode LiveCall.cause}. */
  readonly causeText: string | undefined;
}

/**
 * The state of a live view: `resyncing` while it takes a snapshot (at the
 * start, and after a reconnect or a lost event), `live` when it follows the
 * PBX, `stale` while the connection is down (the view shows what was last
 * known).
 *
 * @example
 * ```ts
 * import type { LiveStatus } from "@x/ami";
 * import assert from "node:assert/strict";
 * const status: LiveStatus = "live";
 * assert.equal(status, "live");
 * ```
 */
export type LiveStatus = "live" | "resyncing" | "stale";

/**
 * The whole view at one revision, frozen. Ended calls stay in `calls` for a
 * while (see `retain`), with `state: "ended"`.
 *
 * @example
 * ```ts
 * import type { LiveSnapshot } from "@x/ami";
 * import assert from "node:assert/strict";
 * const upCalls = (snap: LiveSnapshot) => [...snap.calls.values()].filter((c) => c.state === "up");
 * assert.equal(typeof upCalls, "function");
 * ```
 */
export interface LiveSnapshot {
  /** The revision of the last change it includes. */
  readonly revision: number;
  /** The view's status when the snapshot was taken. */
  readonly status: LiveStatus;
  /** Channels by Uniqueid. */
  readonly channels: ReadonlyMap<string, LiveChannel>;
  /** Bridges by id. */
  readonly bridges: ReadonlyMap<string, LiveBridge>;
  /** Calls by id, ended ones included while retained. */
  readonly calls: ReadonlyMap<string, LiveCall>;
  /** Queues by name (empty unless the `queues` option is on). */
  readonly queues: ReadonlyMap<string, LiveQueue>;
  /** Device states by device (empty unless the `devices` option is on). */
  readonly devices: ReadonlyMap<string, string>;
  /** Hints by `exten@context` (empty unless the `hints` option is on). */
  readonly hints: ReadonlyMap<string, LiveHint>;
}

/**
 * Why something was removed: it hung up or was destroyed (`event`), a
 * resync found it gone (`resync`), or Asterisk restarted (`restart`).
 *
 * @example
 * ```ts
 * import type { LiveRemovalCause } from "@x/ami";
 * import assert from "node:assert/strict";
 * const why: LiveRemovalCause = "restart";
 * assert.equal(why, "restart");
 * ```
 */
export type LiveRemovalCause = "event" | "resync" | "restart";

/**
 * One change of the view. Every change has a `revision`, one more than the
 * change before it.
 *
 * @example
 * ```ts
 * import type { LiveChange } from "@x/ami";
 * import assert from "node:assert/strict";
 * const describe = (change: LiveChange): string => {
 *   switch (change.kind) {
 *     case "call.ended":
 *       return `call ${change.call.id} ended: ${change.causeText ?? "?"}`;
 *     case "resync":
 *       return `resynced: ${change.diff.length} changes`;
 *     default:
 *       return change.kind;
 *   }
 * };
 * assert.equal(typeof describe, "function");
 * ```
 */
export type LiveChange =
  | LiveChannelChange
  | LiveBridgeChange
  | LiveCallChange
  | LiveQueueChange
  | LiveDeviceChange
  | LiveResyncChange;

/**
 * A channel appeared, changed or went away.
 *
 * @example
 * ```ts
 * import type { LiveChannelChange } from "@x/ami";
 * import assert from "node:assert/strict";
 * const name = (change: LiveChannelChange) => change.channel.name;
 * assert.equal(typeof name, "function");
 * ```
 */
export type LiveChannelChange =
  | { readonly kind: "channel.added"; readonly revision: number; readonly channel: LiveChannel }
  | {
    readonly kind: "channel.updated";
    readonly revision: number;
    readonly channel: LiveChannel;
    readonly before: LiveChannel;
  }
  | {
    readonly kind: "channel.removed";
    readonly revision: number;
    readonly channel: LiveChannel;
    readonly removal: LiveRemovalCause;
    /** The hangup cause, for a hangup. */
    readonly cause: number | undefined;
    /** Its text (`Cause-txt`). */
    readonly causeText: string | undefined;
  };

/**
 * A bridge appeared, changed (attributes or members) or went away.
 *
 * @example
 * ```ts
 * import type { LiveBridgeChange } from "@x/ami";
 * import assert from "node:assert/strict";
 * const id = (change: LiveBridgeChange) => change.bridge.id;
 * assert.equal(typeof id, "function");
 * ```
 */
export type LiveBridgeChange =
  | { readonly kind: "bridge.added"; readonly revision: number; readonly bridge: LiveBridge }
  | {
    readonly kind: "bridge.updated";
    readonly revision: number;
    readonly bridge: LiveBridge;
    readonly before: LiveBridge;
  }
  | {
    readonly kind: "bridge.removed";
    readonly revision: number;
    readonly bridge: LiveBridge;
    readonly removal: LiveRemovalCause;
  };

/**
 * A call started, changed (members, ringing), was answered, was absorbed
 * by another call (`call.merged`, `into` names the call that goes on), or
 * ended (with the hangup cause).
 *
 * @example
 * ```ts
 * import type { LiveCallChange } from "@x/ami";
 * import assert from "node:assert/strict";
 * const state = (change: LiveCallChange) => change.call.state;
 * assert.equal(typeof state, "function");
 * ```
 */
export type LiveCallChange =
  | { readonly kind: "call.started"; readonly revision: number; readonly call: LiveCall }
  | { readonly kind: "call.updated"; readonly revision: number; readonly call: LiveCall }
  | { readonly kind: "call.answered"; readonly revision: number; readonly call: LiveCall }
  | {
    readonly kind: "call.merged";
    readonly revision: number;
    readonly call: LiveCall;
    readonly into: string;
  }
  | {
    readonly kind: "call.ended";
    readonly revision: number;
    readonly call: LiveCall;
    readonly removal: LiveRemovalCause;
    readonly cause: number | undefined;
    readonly causeText: string | undefined;
  };

/**
 * The view was rebuilt from a fresh snapshot (after a reconnect, a lost
 * event, or a restart of Asterisk): `diff` holds what differed, as the
 * changes it stands for, in order (their revisions are this change's).
 *
 * @example
 * ```ts
 * import type { LiveResyncChange } from "@x/ami";
 * import assert from "node:assert/strict";
 * const gone = (change: LiveResyncChange) =>
 *   change.diff.filter((c) => c.kind === "channel.removed").length;
 * assert.equal(typeof gone, "function");
 * ```
 */
export interface LiveResyncChange {
  /** The kind. */
  readonly kind: "resync";
  /** Its revision. */
  readonly revision: number;
  /** Why: a reconnect or lost events (`resync`), or a restarted Asterisk (`restart`). */
  readonly reason: "resync" | "restart";
  /** What differed. */
  readonly diff: readonly (
    | LiveChannelChange
    | LiveBridgeChange
    | LiveCallChange
    | LiveQueueChange
    | LiveDeviceChange
  )[];
}

/** A change before the view gives it a revision. */
export type PendingChange = DistributiveOmit<
  LiveChannelChange | LiveBridgeChange | LiveCallChange | LiveQueueChange | LiveDeviceChange,
  "revision"
>;

/** `Omit` over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
