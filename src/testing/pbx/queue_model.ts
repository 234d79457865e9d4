/**
 * The queues of the simulated PBX: members with their state, callers in
 * position order, and the counters `QueueStatus` and `QueueSummary` report.
 * Field sets and names follow the recordings (`14-queue`,
 * `14b-queue-call-events`) and Asterisk's documentation.
 *
 * @module
 */

import type { Call } from "./call.ts";
import type { Channel } from "./channel.ts";
import type { SimulatedQueue, SimulatedQueueMember } from "./options.ts";

/** A member's `Status`, by device state (Asterisk's device state numbers). */
const MEMBER_STATUS: Readonly<Record<string, number>> = {
  UNKNOWN: 0,
  NOT_INUSE: 1,
  INUSE: 2,
  BUSY: 3,
  INVALID: 4,
  UNAVAILABLE: 5,
  RINGING: 6,
  RINGINUSE: 7,
  ONHOLD: 8,
};

/** The device state a member's `Status` number stands for. */
export function memberStatusOf(deviceState: string): number {
  return MEMBER_STATUS[deviceState] ?? 0;
}

/** Seconds since the epoch, as queue counters write times. */
function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** One member of one queue. */
export class QueueMember {
  readonly interface: string;
  readonly name: string;
  readonly stateInterface: string;
  readonly membership: "static" | "dynamic";
  readonly penalty: number;
  readonly loginTime: number = Date.now();
  paused: boolean;
  pausedReason: string;
  lastPause = 0;
  callsTaken = 0;
  lastCall = 0;
  inCall = false;
  /** Whether a caller is ringing it now. */
  ringing = false;
  /** Device state number, see {@linkcode memberStatusOf}. */
  status: number;

  constructor(
    options: SimulatedQueueMember,
    membership: "static" | "dynamic",
    deviceState: string,
  ) {
    this.interface = options.interface;
    this.name = options.name ?? options.interface;
    this.stateInterface = options.stateInterface ?? options.interface;
    this.membership = membership;
    this.penalty = options.penalty ?? 0;
    this.paused = options.paused ?? false;
    this.pausedReason = options.pausedReason ?? "";
    this.status = memberStatusOf(deviceState);
  }

  /** Whether the member is logged in (its device is not unavailable). */
  get loggedIn(): boolean {
    return this.status !== 4 && this.status !== 5;
  }

  /** Whether the queue may ring the member now. */
  get available(): boolean {
    return !this.paused && !this.inCall && !this.ringing &&
      (this.status === 0 || this.status === 1);
  }

  /** The fields of the `QueueMember*` events, after `Queue`. */
  eventFields(): [string, string][] {
    return [
      ["MemberName", this.name],
      ["Interface", this.interface],
      ...this.#common(),
      ["Ringinuse", "0"],
      ["Wrapuptime", "0"],
    ];
  }

  /** The fields of a `QueueMember` item of `QueueStatus`, after `Queue` (names as Asterisk's list writes them). */
  listFields(): [string, string][] {
    return [["Name", this.name], ["Location", this.interface], ...this.#common(), [
      "Wrapuptime",
      "0",
    ]];
  }

  #common(): [string, string][] {
    return [
      ["StateInterface", this.stateInterface],
      ["Membership", this.membership],
      ["Penalty", String(this.penalty)],
      ["CallsTaken", String(this.callsTaken)],
      ["LastCall", String(this.lastCall)],
      ["LastPause", String(this.lastPause)],
      ["LoginTime", String(epochSeconds(this.loginTime))],
      ["InCall", this.inCall ? "1" : "0"],
      ["Status", String(this.status)],
      ["Paused", this.paused ? "1" : "0"],
      ["PausedReason", this.pausedReason],
    ];
  }
}

/** A caller waiting in a queue. */
export interface QueueCaller {
  readonly call: Call;
  readonly channel: Channel;
  readonly joinedAt: number;
}

/** One queue: members, callers in position order, counters. */
export class Queue {
  readonly name: string;
  readonly strategy: string;
  readonly serviceLevel: number;
  readonly members: QueueMember[] = [];
  readonly callers: QueueCaller[] = [];
  completed = 0;
  abandoned = 0;
  /** Sums of hold and talk seconds over completed calls, for the averages. */
  holdSeconds = 0;
  talkSeconds = 0;
  /** The member `rrmemory` called last. */
  lastMember: QueueMember | undefined;
  #waiters: (() => void)[] = [];

  constructor(name: string, options: SimulatedQueue, deviceState: (device: string) => string) {
    this.name = name;
    this.strategy = options.strategy ?? "ringall";
    this.serviceLevel = options.serviceLevel ?? 0;
    for (const member of options.members ?? []) {
      const spec = typeof member === "string" ? { interface: member } : member;
      this.members.push(
        new QueueMember(spec, "static", deviceState(spec.stateInterface ?? spec.interface)),
      );
    }
  }

  /** The member with this interface, if any. */
  member(iface: string): QueueMember | undefined {
    return this.members.find((m) => m.interface === iface);
  }

  /** A caller's position, from 1. */
  position(caller: QueueCaller): number {
    return this.callers.indexOf(caller) + 1;
  }

  /** Members in the order to ring them: from after the last one called for `rrmemory`. */
  ringOrder(): QueueMember[] {
    const available = this.members.filter((m) => m.available);
    if (this.strategy !== "rrmemory" || this.lastMember === undefined) return available;
    const start = this.members.indexOf(this.lastMember);
    const after = available.filter((m) => this.members.indexOf(m) > start);
    return [...after, ...available.filter((m) => this.members.indexOf(m) <= start)];
  }

  /** Resolves at the next change of members or callers. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Wakes the callers waiting for a change. */
  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** The fields of `QueueParams` (without `ActionID`). */
  paramsFields(): [string, string][] {
    const done = this.completed;
    return [
      ["Queue", this.name],
      ["Max", "0"],
      ["Strategy", this.strategy],
      ["Calls", String(this.callers.length)],
      ["Holdtime", String(done === 0 ? 0 : Math.round(this.holdSeconds / done))],
      ["TalkTime", String(done === 0 ? 0 : Math.round(this.talkSeconds / done))],
      ["Completed", String(done)],
      ["Abandoned", String(this.abandoned)],
      ["ServiceLevel", String(this.serviceLevel)],
      ["ServicelevelPerf", "0.0"],
      ["ServicelevelPerf2", "0.0"],
      ["Weight", "0"],
    ];
  }

  /** The fields of a `QueueSummary` item (without `ActionID`). */
  summaryFields(now: number): [string, string][] {
    const done = this.completed;
    const longest = this.callers.length === 0 ? 0 : now - this.callers[0]!.joinedAt;
    return [
      ["Queue", this.name],
      ["LoggedIn", String(this.members.filter((m) => m.loggedIn).length)],
      ["Available", String(this.members.filter((m) => m.loggedIn && !m.paused).length)],
      ["Callers", String(this.callers.length)],
      ["HoldTime", String(done === 0 ? 0 : Math.round(this.holdSeconds / done))],
      ["TalkTime", String(done === 0 ? 0 : Math.round(this.talkSeconds / done))],
      ["LongestHoldTime", String(epochSeconds(longest))],
    ];
  }
}
