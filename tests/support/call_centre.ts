/**
 * Queues, devices and hints as plain records, from a live view's snapshot
 * or from the items of `QueueStatus`, `DeviceStateList` and
 * `ExtensionStateList`, so that the two compare with `deepEqual`.
 */

import type { LiveHint, LiveQueue } from "../../mod.ts";

/** What the items of the lists are read through. */
export interface ListItem {
  readonly name: string;
  get(key: string): string | undefined;
}

/** A queue at rest, as compared. */
export interface RestQueue {
  strategy: string;
  calls: number;
  members: Record<string, string>;
  callers: string[];
}

/** One member as a line: name, status, paused and reason, in-call, calls taken, last call. */
function memberLine(
  name: string,
  status: number,
  paused: boolean,
  reason: string,
  inCall: boolean,
  taken: number,
  lastCall: number,
): string {
  return `${name} status=${status} paused=${paused}(${reason}) inCall=${inCall} taken=${taken} last=${lastCall}`;
}

/** The queues of a snapshot. */
export function restQueuesOf(queues: ReadonlyMap<string, LiveQueue>): Record<string, RestQueue> {
  const out: Record<string, RestQueue> = {};
  for (const queue of queues.values()) {
    const members: Record<string, string> = {};
    for (const m of queue.members.values()) {
      members[m.interface] = memberLine(
        m.name,
        m.status,
        m.paused,
        m.pausedReason,
        m.inCall,
        m.callsTaken,
        m.lastCall,
      );
    }
    out[queue.name] = {
      strategy: queue.strategy,
      calls: queue.calls,
      members,
      callers: queue.callers.map((c) => `${c.position} ${c.uniqueid} ${c.channel}`),
    };
  }
  return out;
}

/** The queues of `QueueStatus` items. */
export function restQueuesOfList(items: readonly ListItem[]): Record<string, RestQueue> {
  const out: Record<string, RestQueue> = {};
  const int = (item: ListItem, key: string) => Number.parseInt(item.get(key) ?? "", 10) || 0;
  for (const item of items) {
    const name = item.get("Queue")!;
    if (item.name === "QueueParams") {
      out[name] = {
        strategy: item.get("Strategy")!,
        calls: int(item, "Calls"),
        members: {},
        callers: [],
      };
    } else if (item.name === "QueueMember") {
      out[name]!.members[item.get("Location")!] = memberLine(
        item.get("Name")!,
        int(item, "Status"),
        item.get("Paused") === "1",
        item.get("PausedReason") ?? "",
        item.get("InCall") === "1",
        int(item, "CallsTaken"),
        int(item, "LastCall"),
      );
    } else if (item.name === "QueueEntry") {
      out[name]!.callers.push(
        `${item.get("Position")} ${item.get("Uniqueid")} ${item.get("Channel")}`,
      );
    }
  }
  return out;
}

/** Devices of `DeviceStateList` items. */
export function devicesOfList(items: readonly ListItem[]): Map<string, string> {
  return new Map(items.map((item) => [item.get("Device")!, item.get("State")!]));
}

/** Hints of `ExtensionStateList` items. */
export function hintsOfList(items: readonly ListItem[]): Map<string, LiveHint> {
  return new Map(items.map((item) => {
    const hint: LiveHint = {
      exten: item.get("Exten")!,
      context: item.get("Context")!,
      hint: item.get("Hint")!,
      status: Number(item.get("Status")),
      statusText: item.get("StatusText")!,
    };
    return [`${hint.exten}@${hint.context}`, hint];
  }));
}
