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
  /** The call's state, or `queued` while one of its channels waits in a queue. */
  state: string;
  /** The queue it waits in, when queued. */
  queue?: string;
  parties: BoardParty[];
  since: number;
}

/** One end of a call: who (agent name, caller ID or device) and on which device. */
export interface BoardParty {
  name: string;
  device: string;
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

/** The device of a channel name: `PJSIP/201-0000002a` is on `PJSIP/201`. */
export function deviceOf(channelName: string): string {
  const dash = channelName.lastIndexOf("-");
  return dash > channelName.indexOf("/") ? channelName.slice(0, dash) : channelName;
}

/**
 * Who a channel is, as a person reads it: the agent's name on a queue
 * member's device (Asterisk dials agents with the caller's caller ID, so
 * that would name the caller twice), else the caller ID, else the device.
 */
function partyOf(
  snap: LiveSnapshot,
  agents: ReadonlyMap<string, string>,
  uniqueid: string,
): BoardParty {
  const channel = snap.channels.get(uniqueid);
  if (channel === undefined) return { name: uniqueid, device: "" };
  const device = deviceOf(channel.name);
  const name = agents.get(device) || channel.callerId.name || channel.callerId.num || device;
  return { name, device };
}

/** The board of a snapshot. */
export function boardState(snap: LiveSnapshot, now = Date.now()): BoardState {
  const agents = new Map<string, string>();
  const waiting = new Map<string, string>();
  for (const queue of snap.queues.values()) {
    for (const member of queue.members.values()) agents.set(member.interface, member.name);
    for (const caller of queue.callers) waiting.set(caller.uniqueid, queue.name);
  }
  const calls: BoardCall[] = [];
  for (const call of snap.calls.values()) {
    if (call.state === "ended") continue;
    const parties = [...call.channels].map((uniqueid) => partyOf(snap, agents, uniqueid));
    const queue = [...call.channels].map((uniqueid) => waiting.get(uniqueid)).find(Boolean);
    calls.push({
      id: call.id,
      ...(queue === undefined ? { state: call.state } : { state: "queued", queue }),
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
