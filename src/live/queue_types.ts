/**
 * The call-centre parts of a live view: queues with their members and
 * callers, device states and hints, and the changes that move them.
 *
 * @module
 */

/**
 * A queue member (an agent) as `QueueStatus` and the `QueueMember*` events
 * describe it, by interface.
 *
 * @example
 * ```ts
 * import type { LiveQueueMember } from "@x/ami";
 * import assert from "node:assert/strict";
 * const free = (m: LiveQueueMember) => !m.paused && !m.inCall && m.status === 1;
 * assert.equal(typeof free, "function");
 * ```
 */
export interface LiveQueueMember {
  /** The interface calls ring (`Interface`, `Location` in `QueueStatus`). */
  readonly interface: string;
  /** The member's name (`MemberName`, `Name` in `QueueStatus`). */
  readonly name: string;
  /** The device whose state the member takes. */
  readonly stateInterface: string;
  /** `static`, `dynamic` or `realtime`. */
  readonly membership: string;
  /** The penalty. */
  readonly penalty: number;
  /** Calls the member took. */
  readonly callsTaken: number;
  /** When the member's last call ended, in seconds since the epoch (0 for never). */
  readonly lastCall: number;
  /** When the member last paused, in seconds since the epoch (0 for never). */
  readonly lastPause: number;
  /** When the member logged in, in seconds since the epoch. */
  readonly loginTime: number;
  /** Whether the member is on a call from this queue. */
  readonly inCall: boolean;
  /** The device state, 0 to 8 (1 not in use, 2 in use, 6 ringing, 5 unavailable …). */
  readonly status: number;
  /** Whether the member is paused. */
  readonly paused: boolean;
  /** Why the member paused (empty when not said). */
  readonly pausedReason: string;
  /** Wrap-up time in seconds. */
  readonly wrapupTime: number;
}

/**
 * A caller waiting in a queue.
 *
 * @example
 * ```ts
 * import type { LiveQueueCaller } from "@x/ami";
 * import assert from "node:assert/strict";
 * const waited = (c: LiveQueueCaller, now: number) => Math.round((now - c.joinedAt) / 1_000);
 * assert.equal(waited({ uniqueid: "1", channel: "PJSIP/1-1", position: 1, joinedAt: 0, callerIdNum: "", callerIdName: "" }, 5_000), 5);
 * ```
 */
export interface LiveQueueCaller {
  /** The caller's channel's Uniqueid: callers are keyed by it, never by channel name. */
  readonly uniqueid: string;
  /** The channel's name. */
  readonly channel: string;
  /** 1 for the first in line; renumbered when a caller ahead leaves. */
  readonly position: number;
  /** When the caller joined the queue, in ms since the epoch. */
  readonly joinedAt: number;
  /** Caller ID number. */
  readonly callerIdNum: string;
  /** Caller ID name. */
  readonly callerIdName: string;
}

/**
 * A queue: its parameters and counters, members by interface, callers in
 * position order.
 *
 * @example
 * ```ts
 * import type { LiveQueue } from "@x/ami";
 * import assert from "node:assert/strict";
 * const longest = (q: LiveQueue) => q.callers[0]?.joinedAt;
 * assert.equal(typeof longest, "function");
 * ```
 */
export interface LiveQueue {
  /** The queue's name. */
  readonly name: string;
  /** Its strategy (`ringall`, `rrmemory` …). */
  readonly strategy: string;
  /** The most callers it takes (0 for no limit). */
  readonly max: number;
  /** Its weight. */
  readonly weight: number;
  /** The service level, in seconds. */
  readonly serviceLevel: number;
  /** The share of calls answered within the service level, in per cent (from the last snapshot). */
  readonly serviceLevelPerf: number;
  /** Callers waiting now. */
  readonly calls: number;
  /** The average hold time, in seconds (from the last snapshot). */
  readonly holdTime: number;
  /** The average talk time, in seconds (from the last snapshot). */
  readonly talkTime: number;
  /** Calls completed (counted on from the snapshot with `AgentComplete`). */
  readonly completed: number;
  /** Calls abandoned (counted on from the snapshot with `QueueCallerAbandon`). */
  readonly abandoned: number;
  /** Members by interface. */
  readonly members: ReadonlyMap<string, LiveQueueMember>;
  /** Callers in position order. */
  readonly callers: readonly LiveQueueCaller[];
}

/**
 * A hint: an extension whose state follows devices.
 *
 * @example
 * ```ts
 * import type { LiveHint } from "@x/ami";
 * import assert from "node:assert/strict";
 * const busy = (h: LiveHint) => h.status === 1;
 * assert.equal(busy({ exten: "100", context: "default", hint: "PJSIP/100", status: 1, statusText: "InUse" }), true);
 * ```
 */
export interface LiveHint {
  /** The extension. */
  readonly exten: string;
  /** Its context. */
  readonly context: string;
  /** The devices it watches (`PJSIP/100&Custom:lamp`). */
  readonly hint: string;
  /** The extension state (-1 removed, 0 idle, 1 in use, 2 busy, 4 unavailable, 8 ringing, 16 on hold). */
  readonly status: number;
  /** Its text (`Idle`, `InUse`, `Ringing` …). */
  readonly statusText: string;
}

/**
 * A queue's callers or members changed.
 *
 * @example
 * ```ts
 * import type { LiveQueueChange } from "@x/ami";
 * import assert from "node:assert/strict";
 * const where = (change: LiveQueueChange) => change.queue.name;
 * assert.equal(typeof where, "function");
 * ```
 */
export type LiveQueueChange =
  | {
    readonly kind: "queue.caller.joined" | "queue.caller.left" | "queue.caller.abandoned";
    readonly revision: number;
    /** The queue after the change. */
    readonly queue: LiveQueue;
    readonly caller: LiveQueueCaller;
  }
  | {
    readonly kind:
      | "queue.member.added"
      | "queue.member.updated"
      | "queue.member.removed"
      | "queue.member.paused";
    readonly revision: number;
    /** The queue after the change. */
    readonly queue: LiveQueue;
    readonly member: LiveQueueMember;
  }
  | {
    readonly kind: "queue.added" | "queue.updated" | "queue.removed";
    readonly revision: number;
    readonly queue: LiveQueue;
  };

/**
 * A device's state or a hint's status changed.
 *
 * @example
 * ```ts
 * import type { LiveDeviceChange } from "@x/ami";
 * import assert from "node:assert/strict";
 * const text = (c: LiveDeviceChange) => c.kind === "device.updated" ? c.state : c.hint.statusText;
 * assert.equal(typeof text, "function");
 * ```
 */
export type LiveDeviceChange =
  | {
    readonly kind: "device.updated";
    readonly revision: number;
    readonly device: string;
    /** `NOT_INUSE`, `INUSE`, `RINGING` …; `REMOVED` when a resync no longer finds it. */
    readonly state: string;
  }
  | { readonly kind: "hint.updated"; readonly revision: number; readonly hint: LiveHint };
