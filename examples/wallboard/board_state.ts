/**
 * What the wallboard page shows, built from a live view's snapshot: calls
 * in progress and, for each queue, its waiting callers and its members with
 * a state a person reads at a glance (free, ringing, talking, paused,
 * unavailable). Plain JSON, sent to the page over Server-Sent Events.
 *
 * @module
 */

import type { LiveQueueMember, LiveSnapshot } from "../../mod.ts";

/** A member's state as the wallboard shows it. */
export type MemberState = "free" | "ringing" | "talking" | "paused" | "unavailable";

/** The board at one revision. */
export interface BoardState {
  revision: number;
  status: string;
  /** The server's clock when built, in ms: the page counts waits from it. */
  now: number;
  calls: BoardCall[];
  queues: BoardQueue[];
}

/** A call in progress. */
export interface BoardCall {
  id: string;
  state: string;
  parties: string[];
  since: number;
}

/** A queue with its callers and members. */
export interface BoardQueue {
  name: string;
  strategy: string;
  completed: number;
  abandoned: number;
  callers: { uniqueid: string; position: number; who: string; joinedAt: number }[];
  members: { interface: string; name: string; state: MemberState; reason: string; calls: number }[];
}

/** A member's state: paused wins, then ringing, talking, unavailable, else free. */
export function memberState(member: LiveQueueMember): MemberState {
  if (member.paused) return "paused";
  if (member.status === 6 || member.status === 7) return "ringing";
  if (member.inCall || member.status === 2 || member.status === 3 || member.status === 8) {
    return "talking";
  }
  if (member.status === 4 || member.status === 5) return "unavailable";
  return "free";
}

/** The board of a snapshot. */
export function boardState(snap: LiveSnapshot, now = Date.now()): BoardState {
  const calls: BoardCall[] = [];
  for (const call of snap.calls.values()) {
    if (call.state === "ended") continue;
    const parties = [...call.channels].map((uniqueid) => {
      const channel = snap.channels.get(uniqueid);
      if (channel === undefined) return uniqueid;
      const who = channel.callerId.name || channel.callerId.num;
      return who === "" ? channel.name : `${who} (${channel.name})`;
    });
    calls.push({
      id: call.id,
      state: call.state,
      parties,
      since: call.answeredAt ?? call.startedAt,
    });
  }
  const queues = [...snap.queues.values()].map((queue) => ({
    name: queue.name,
    strategy: queue.strategy,
    completed: queue.completed,
    abandoned: queue.abandoned,
    callers: queue.callers.map((caller) => ({
      uniqueid: caller.uniqueid,
      position: caller.position,
      who: caller.callerIdName || caller.callerIdNum || caller.channel,
      joinedAt: caller.joinedAt,
    })),
    members: [...queue.members.values()].map((member) => ({
      interface: member.interface,
      name: member.name || member.interface,
      state: memberState(member),
      reason: member.pausedReason,
      calls: member.callsTaken,
    })),
  }));
  return { revision: snap.revision, status: snap.status, now, calls, queues };
}
