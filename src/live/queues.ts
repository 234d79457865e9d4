/**
 * {@linkcode QueueTable}: the queues of a live view, seeded from
 * `QueueStatus` and moved by the `QueueCaller*`, `QueueMember*` and
 * `AgentComplete` events.
 *
 * Callers are keyed by Uniqueid, never by channel name (a channel is
 * renamed, and two calls may share a name over time). When a caller leaves,
 * Asterisk renumbers the callers behind it without an event for each: the
 * table renumbers them itself. Every event sets values, so applying one
 * twice changes nothing.
 *
 * @module
 */

import type { FieldReader } from "./event_fields.ts";
import type { LiveQueue, LiveQueueCaller, LiveQueueMember } from "./queue_types.ts";
import { detached, knownOrEmpty } from "./strings.ts";
import type { PendingChange } from "./types.ts";

/** Which queues a view follows: all, or those named. */
export type QueueSelection = "all" | ReadonlySet<string>;

const MEMBER_EVENTS: ReadonlySet<string> = new Set([
  "queuememberstatus",
  "queuememberadded",
  "queuememberpause",
  "queuememberpenalty",
  "queuememberringinuse",
]);

/** Queues by name, with the rules that move them. */
export class QueueTable {
  readonly #selection: QueueSelection;
  readonly #queues = new Map<string, LiveQueue>();

  constructor(selection: QueueSelection) {
    this.#selection = selection;
  }

  /** Queues by name (live; do not keep across changes). */
  get queues(): ReadonlyMap<string, LiveQueue> {
    return this.#queues;
  }

  /** Applies one event (lower-case `name`); pushes its changes to `out`. */
  apply(name: string, event: FieldReader, out: PendingChange[]): void {
    const queueName = event.get("Queue");
    if (queueName === undefined || !this.#follows(queueName)) return;
    if (MEMBER_EVENTS.has(name)) return this.#memberEvent(name, queueName, event, out);
    switch (name) {
      case "queuecallerjoin":
        return this.#join(queueName, event, out);
      case "queuecallerleave":
      case "queuecallerabandon":
        return this.#leave(queueName, event, name === "queuecallerabandon", out);
      case "queuememberremoved":
        return this.#removeMember(queueName, event.get("Interface") ?? "", out);
      case "agentcomplete": {
        const queue = this.#queues.get(queueName);
        if (queue !== undefined) this.#set({ ...queue, completed: queue.completed + 1 });
        return;
      }
    }
  }

  /** Seeds from the items of `QueueStatus` (`QueueParams`, `QueueMember`, `QueueEntry`). */
  seed(items: readonly FieldReader[], now: number): void {
    for (const item of items) {
      const queueName = item.get("Queue");
      if (queueName === undefined || !this.#follows(queueName)) continue;
      switch (item.name.toLowerCase()) {
        case "queueparams":
          this.#set(queueFromParams(item, this.#queues.get(queueName)));
          break;
        case "queuemember": {
          const queue = this.#queueOrNew(queueName);
          const member = memberFrom(item, "Location", "Name");
          this.#set({ ...queue, members: withMember(queue.members, member) });
          break;
        }
        case "queueentry": {
          const queue = this.#queueOrNew(queueName);
          const waited = (Number.parseInt(item.get("Wait") ?? "", 10) || 0) * 1_000;
          const caller = callerFrom(item, queue.callers.length + 1, now - waited);
          if (caller !== undefined) this.#set(withCallers(queue, [...queue.callers, caller]));
          break;
        }
      }
    }
  }

  #follows(queueName: string): boolean {
    return this.#selection === "all" || this.#selection.has(queueName);
  }

  #queueOrNew(queueName: string): LiveQueue {
    return this.#queues.get(queueName) ?? emptyQueue(queueName);
  }

  #set(queue: LiveQueue): LiveQueue {
    const frozen = Object.freeze(queue);
    this.#queues.set(frozen.name, frozen);
    return frozen;
  }

  #join(queueName: string, event: FieldReader, out: PendingChange[]): void {
    const queue = this.#queueOrNew(queueName);
    const uniqueid = event.get("Uniqueid");
    if (uniqueid === undefined || queue.callers.some((c) => c.uniqueid === uniqueid)) return;
    const position = Number.parseInt(event.get("Position") ?? "", 10);
    const at = Number.isFinite(position)
      ? Math.min(Math.max(position - 1, 0), queue.callers.length)
      : queue.callers.length;
    const caller = callerFrom(event, at + 1, eventTime(event));
    if (caller === undefined) return;
    const callers = [...queue.callers];
    callers.splice(at, 0, caller);
    const after = this.#set(withCallers(queue, callers));
    out.push({ kind: "queue.caller.joined", queue: after, caller: after.callers[at]! });
  }

  #leave(queueName: string, event: FieldReader, abandoned: boolean, out: PendingChange[]): void {
    const queue = this.#queues.get(queueName);
    const uniqueid = event.get("Uniqueid");
    const index = queue?.callers.findIndex((c) => c.uniqueid === uniqueid) ?? -1;
    if (queue === undefined || index < 0) return;
    const caller = queue.callers[index]!;
    const callers = queue.callers.filter((_, i) => i !== index);
    const counted = abandoned ? { ...queue, abandoned: queue.abandoned + 1 } : queue;
    const after = this.#set(withCallers(counted, callers));
    out.push({
      kind: abandoned ? "queue.caller.abandoned" : "queue.caller.left",
      queue: after,
      caller,
    });
  }

  #memberEvent(name: string, queueName: string, event: FieldReader, out: PendingChange[]): void {
    const member = memberFrom(event, "Interface", "MemberName");
    if (member.interface === "") return;
    const queue = this.#queueOrNew(queueName);
    const before = queue.members.get(member.interface);
    if (before !== undefined && sameMember(before, member)) return;
    const after = this.#set({ ...queue, members: withMember(queue.members, member) });
    const kind = before === undefined
      ? "queue.member.added"
      : name === "queuememberpause" || before.paused !== member.paused
      ? "queue.member.paused"
      : "queue.member.updated";
    out.push({ kind, queue: after, member });
  }

  #removeMember(queueName: string, iface: string, out: PendingChange[]): void {
    const queue = this.#queues.get(queueName);
    const member = queue?.members.get(iface);
    if (queue === undefined || member === undefined) return;
    const members = new Map(queue.members);
    members.delete(iface);
    const after = this.#set({ ...queue, members });
    out.push({ kind: "queue.member.removed", queue: after, member });
  }
}

function emptyQueue(name: string): LiveQueue {
  return {
    name: detached(name),
    strategy: "",
    max: 0,
    weight: 0,
    serviceLevel: 0,
    serviceLevelPerf: 0,
    calls: 0,
    holdTime: 0,
    talkTime: 0,
    completed: 0,
    abandoned: 0,
    members: new Map(),
    callers: [],
  };
}

function queueFromParams(item: FieldReader, stored: LiveQueue | undefined): LiveQueue {
  const base = stored ?? emptyQueue(item.get("Queue") ?? "");
  return {
    ...base,
    strategy: detached(item.get("Strategy") ?? ""),
    max: int(item, "Max"),
    weight: int(item, "Weight"),
    serviceLevel: int(item, "ServiceLevel"),
    serviceLevelPerf: Number.parseFloat(item.get("ServicelevelPerf") ?? "") || 0,
    holdTime: int(item, "Holdtime"),
    talkTime: int(item, "TalkTime"),
    completed: int(item, "Completed"),
    abandoned: int(item, "Abandoned"),
  };
}

/** A member from an event (`Interface`, `MemberName`) or a list item (`Location`, `Name`). */
function memberFrom(item: FieldReader, interfaceKey: string, nameKey: string): LiveQueueMember {
  const iface = item.get(interfaceKey) ?? "";
  return Object.freeze({
    interface: detached(iface),
    name: detached(item.get(nameKey) ?? ""),
    stateInterface: detached(item.get("StateInterface") ?? iface),
    membership: detached(item.get("Membership") ?? ""),
    penalty: int(item, "Penalty"),
    callsTaken: int(item, "CallsTaken"),
    lastCall: int(item, "LastCall"),
    lastPause: int(item, "LastPause"),
    loginTime: int(item, "LoginTime"),
    inCall: item.get("InCall") === "1",
    status: int(item, "Status"),
    paused: item.get("Paused") === "1",
    pausedReason: detached(item.get("PausedReason") ?? ""),
    wrapupTime: int(item, "Wrapuptime"),
  });
}

function callerFrom(
  item: FieldReader,
  position: number,
  joinedAt: number,
): LiveQueueCaller | undefined {
  const uniqueid = item.get("Uniqueid");
  if (uniqueid === undefined || uniqueid === "") return undefined;
  return Object.freeze({
    uniqueid: detached(uniqueid),
    channel: detached(item.get("Channel") ?? ""),
    position,
    joinedAt,
    callerIdNum: detached(knownOrEmpty(item.get("CallerIDNum"))),
    callerIdName: detached(knownOrEmpty(item.get("CallerIDName"))),
  });
}

/** The queue with `callers`, each numbered by its place (Asterisk renumbers silently). */
function withCallers(queue: LiveQueue, callers: readonly LiveQueueCaller[]): LiveQueue {
  const numbered = callers.map((caller, index) =>
    caller.position === index + 1 ? caller : Object.freeze({ ...caller, position: index + 1 })
  );
  return { ...queue, calls: numbered.length, callers: Object.freeze(numbered) };
}

function withMember(
  members: ReadonlyMap<string, LiveQueueMember>,
  member: LiveQueueMember,
): Map<string, LiveQueueMember> {
  return new Map(members).set(member.interface, member);
}

/** Whether two members hold the same values. */
export function sameMember(a: LiveQueueMember, b: LiveQueueMember): boolean {
  return a.interface === b.interface && a.name === b.name &&
    a.stateInterface === b.stateInterface && a.membership === b.membership &&
    a.penalty === b.penalty && a.callsTaken === b.callsTaken && a.lastCall === b.lastCall &&
    a.lastPause === b.lastPause && a.loginTime === b.loginTime && a.inCall === b.inCall &&
    a.status === b.status && a.paused === b.paused && a.pausedReason === b.pausedReason &&
    a.wrapupTime === b.wrapupTime;
}

function int(item: FieldReader, key: string): number {
  return Number.parseInt(item.get(key) ?? "", 10) || 0;
}

function eventTime(event: FieldReader): number {
  const stamp = Number(event.get("Timestamp"));
  return stamp > 0 ? Math.round(stamp * 1_000) : event.receivedAt;
}
