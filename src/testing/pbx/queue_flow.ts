/**
 * A caller in a queue (the `Queue` application): it joins, the queue rings
 * its members one at a time until one answers, the two are bridged, and the
 * call completes; or the caller gives up and abandons. Events and their
 * order follow the recording `14b-queue-call-events`.
 *
 * @module
 */

import { sleep } from "../../_util/sleep.ts";
import type { Call, Leg } from "./call.ts";
import { applicationEnded, teardown } from "./call_endings.ts";
import type { Channel } from "./channel.ts";
import type { PbxCore } from "./core.ts";
import { answer, bridgeLegs, ring } from "./dialing.ts";
import { createLeg, localBridge } from "./legs.ts";
import type { Queue, QueueCaller, QueueMember } from "./queue_model.ts";

/** Seconds between two times in milliseconds. */
function secondsBetween(start: number, end: number): string {
  return String(Math.floor((end - start) / 1000));
}

/** Runs the `Queue` application on an answered caller: `data` is `queue[,options]`. */
export async function runQueue(
  pbx: PbxCore,
  call: Call,
  caller: Channel,
  data: string,
): Promise<void> {
  const queue = pbx.queues.get(data.split(",")[0]!.trim());
  if (queue === undefined) {
    applicationEnded(pbx, call);
    return;
  }
  const entry: QueueCaller = { call, channel: caller, joinedAt: Date.now() };
  queue.callers.push(entry);
  pbx.event("QueueCallerJoin", "agent", [
    ...pbx.snapshot(caller),
    ["Queue", queue.name],
    ["Position", String(queue.position(entry))],
    ["Count", String(queue.callers.length)],
  ]);
  queue.notify();
  try {
    await serve(pbx, queue, entry);
  } finally {
    removeCaller(queue, entry);
  }
}

/**
 * Rings members for the caller until one answers, or the caller leaves. A
 * member that did not answer is tried again only after the retry time, as
 * Asterisk's `retry`.
 */
async function serve(pbx: PbxCore, queue: Queue, entry: QueueCaller): Promise<void> {
  const { call } = entry;
  const option = pbx.options.queueWaitMs ?? Infinity;
  const giveUpAt = performance.now() +
    (typeof option === "function" ? option(call.originate) : option);
  const retryMs = pbx.options.queueRetryMs ?? 5_000;
  let tried = new Set<QueueMember>();
  let retryAt = Infinity;
  while (true) {
    if (performance.now() >= retryAt) [tried, retryAt] = [new Set(), Infinity];
    const member = queue.position(entry) === 1
      ? queue.ringOrder().find((m) => !tried.has(m))
      : undefined;
    if (member !== undefined) {
      tried.add(member);
      const leg = await ringMember(pbx, queue, entry, member);
      if (leg !== undefined) return await connect(pbx, queue, entry, member, leg);
      if (call.hangup.signal.aborted) return abandon(pbx, queue, entry, undefined);
      if (retryAt === Infinity) retryAt = performance.now() + retryMs;
      continue;
    }
    const until = Math.min(giveUpAt, retryAt);
    const waited = await waitForChange(pbx, call, queue, until - performance.now());
    if (waited === "hungup") return abandon(pbx, queue, entry, undefined);
    if (waited === "timeout" && performance.now() >= giveUpAt) {
      return abandon(pbx, queue, entry, entry.channel);
    }
  }
}

/** Waits for a change in the queue, the caller's patience to run out, or a hangup. */
async function waitForChange(
  pbx: PbxCore,
  call: Call,
  queue: Queue,
  ms: number,
): Promise<"changed" | "timeout" | "hungup"> {
  const change = new AbortController();
  void queue.changed().then(() => change.abort());
  try {
    await sleep(Math.max(0, ms), AbortSignal.any([pbx.signal, call.hangup.signal, change.signal]));
    return "timeout";
  } catch (error) {
    if (pbx.signal.aborted) throw error;
    return call.hangup.signal.aborted ? "hungup" : "changed";
  }
}

/** The agent fields of `Agent*` events: the caller, the member's channel, the member. */
function agentFields(
  pbx: PbxCore,
  queue: Queue,
  caller: Channel,
  memberChannel: Channel,
  member: QueueMember,
): [string, string][] {
  return [
    ...pbx.snapshot(caller),
    ...pbx.snapshot(memberChannel, "Dest"),
    ["Queue", queue.name],
    ["Interface", member.interface],
    ["MemberName", member.name],
  ];
}

/** Rings one member. Returns its leg once it answered, or `undefined`. */
async function ringMember(
  pbx: PbxCore,
  queue: Queue,
  entry: QueueCaller,
  member: QueueMember,
): Promise<Leg | undefined> {
  const { call, channel: caller } = entry;
  member.ringing = true;
  queue.lastMember = member;
  const leg = createLeg(pbx, call, member.interface, caller, caller.context, caller.exten);
  call.b = leg;
  if (leg.inner !== undefined) localBridge(pbx, leg);
  pbx.event("AgentCalled", "agent", agentFields(pbx, queue, caller, leg.outer, member));
  pbx.event("DialBegin", "call", [
    ...pbx.snapshot(caller),
    ...pbx.snapshot(leg.outer, "Dest"),
    ["DialString", member.interface.slice(member.interface.indexOf("/") + 1)],
  ]);
  const ringStart = Date.now();
  const timeout = pbx.options.memberRingTimeoutMs ?? 15_000;
  const failure = await ring(pbx, call, leg, caller, pbx.outcome(member.interface), timeout);
  member.ringing = false;
  if (failure === undefined) {
    answer(pbx, leg, caller);
    return leg;
  }
  if (failure.dialStatus !== "CANCEL") {
    pbx.event("AgentRingNoAnswer", "agent", [
      ...agentFields(pbx, queue, caller, leg.outer, member),
      ["RingTime", secondsBetween(ringStart, Date.now())],
    ]);
  }
  pbx.event("DialEnd", "call", [
    ...pbx.snapshot(caller),
    ...pbx.snapshot(leg.outer, "Dest"),
    ["DialStatus", failure.dialStatus],
  ]);
  for (const channel of [leg.inner, leg.outer]) {
    if (channel === undefined) continue;
    pbx.hangupChannel(channel, failure.cause);
    pbx.deviceState(channel, "NOT_INUSE");
  }
  call.b = undefined;
  queue.notify();
  return undefined;
}

/** The member answered: the caller leaves the queue, is bridged, talks, and the call completes. */
async function connect(
  pbx: PbxCore,
  queue: Queue,
  entry: QueueCaller,
  member: QueueMember,
  leg: Leg,
): Promise<void> {
  const { call, channel: caller } = entry;
  const connectedAt = Date.now();
  leave(pbx, queue, entry);
  const agent = agentFields(pbx, queue, caller, leg.outer, member);
  pbx.event("AgentConnect", "agent", [
    ...agent,
    ["HoldTime", secondsBetween(entry.joinedAt, connectedAt)],
    ["RingTime", "0"],
  ]);
  member.inCall = true;
  pbx.event("QueueMemberStatus", "agent", [["Queue", queue.name], ...member.eventFields()]);
  bridgeLegs(pbx, call, leg.outer, caller);
  const agentHungUp = await pbx.wait(call, pbx.duration(call.originate));
  const end = Date.now();
  pbx.event("AgentComplete", "agent", [
    ...agentFields(pbx, queue, caller, leg.outer, member),
    ["HoldTime", secondsBetween(entry.joinedAt, connectedAt)],
    ["TalkTime", secondsBetween(connectedAt, end)],
    ["Reason", agentHungUp ? "agent" : "caller"],
  ]);
  member.inCall = false;
  member.callsTaken++;
  member.lastCall = Math.floor(end / 1000);
  queue.completed++;
  queue.holdSeconds += Math.floor((connectedAt - entry.joinedAt) / 1000);
  queue.talkSeconds += Math.floor((end - connectedAt) / 1000);
  teardown(pbx, call, agentHungUp ? (leg.inner ?? leg.outer) : undefined);
  pbx.event("QueueMemberStatus", "agent", [["Queue", queue.name], ...member.eventFields()]);
  queue.notify();
}

/** The caller gives up (`initiator`: it hangs up itself) or was hung up (`undefined`). */
function abandon(
  pbx: PbxCore,
  queue: Queue,
  entry: QueueCaller,
  initiator: Channel | undefined,
): void {
  const position = queue.position(entry);
  pbx.event("QueueCallerAbandon", "agent", [
    ...pbx.snapshot(entry.channel),
    ["Queue", queue.name],
    ["Position", String(position)],
    ["OriginalPosition", String(position)],
    ["HoldTime", secondsBetween(entry.joinedAt, Date.now())],
  ]);
  queue.abandoned++;
  leave(pbx, queue, entry);
  teardown(pbx, entry.call, initiator);
}

/** `QueueCallerLeave`; the callers behind move up without an event, as in Asterisk. */
function leave(pbx: PbxCore, queue: Queue, entry: QueueCaller): void {
  const position = queue.position(entry);
  removeCaller(queue, entry);
  pbx.event("QueueCallerLeave", "agent", [
    ...pbx.snapshot(entry.channel),
    ["Queue", queue.name],
    ["Position", String(position)],
    ["Count", String(queue.callers.length)],
  ]);
  queue.notify();
}

function removeCaller(queue: Queue, entry: QueueCaller): void {
  const index = queue.callers.indexOf(entry);
  if (index >= 0) queue.callers.splice(index, 1);
}
