/**
 * The difference between two models' queues, devices and hints, as the
 * changes a resync reports.
 *
 * @module
 */

import { sameHint } from "./devices.ts";
import type { LiveQueue } from "./queue_types.ts";
import { sameMember } from "./queues.ts";
import type { LiveReducer } from "./reducer.ts";
import type { PendingChange } from "./types.ts";

/** The changes from `before` to `after` for queues, devices and hints. */
export function diffCallCentre(before: LiveReducer, after: LiveReducer): PendingChange[] {
  const changes: PendingChange[] = [];
  for (const [name, queue] of before.queues) {
    const next = after.queues.get(name);
    if (next === undefined) changes.push({ kind: "queue.removed", queue });
    else diffQueue(queue, next, changes);
  }
  for (const [name, queue] of after.queues) {
    if (!before.queues.has(name)) changes.push({ kind: "queue.added", queue });
  }
  for (const [device, state] of before.devices.devices) {
    const next = after.devices.devices.get(device);
    if (next !== state) changes.push({ kind: "device.updated", device, state: next ?? "REMOVED" });
  }
  for (const [device, state] of after.devices.devices) {
    if (!before.devices.devices.has(device)) {
      changes.push({ kind: "device.updated", device, state });
    }
  }
  for (const [key, hint] of after.devices.hints) {
    const stored = before.devices.hints.get(key);
    if (stored === undefined || !sameHint(stored, hint)) {
      changes.push({ kind: "hint.updated", hint });
    }
  }
  for (const [key, hint] of before.devices.hints) {
    if (!after.devices.hints.has(key)) {
      changes.push({ kind: "hint.updated", hint: { ...hint, status: -1, statusText: "Removed" } });
    }
  }
  return changes;
}

function diffQueue(before: LiveQueue, after: LiveQueue, changes: PendingChange[]): void {
  for (const [iface, member] of before.members) {
    const next = after.members.get(iface);
    if (next === undefined) changes.push({ kind: "queue.member.removed", queue: after, member });
    else if (!sameMember(member, next)) {
      changes.push({ kind: "queue.member.updated", queue: after, member: next });
    }
  }
  for (const [iface, member] of after.members) {
    if (!before.members.has(iface)) {
      changes.push({ kind: "queue.member.added", queue: after, member });
    }
  }
  const waiting = new Set(after.callers.map((caller) => caller.uniqueid));
  const waited = new Set(before.callers.map((caller) => caller.uniqueid));
  for (const caller of before.callers) {
    if (!waiting.has(caller.uniqueid)) {
      changes.push({ kind: "queue.caller.left", queue: after, caller });
    }
  }
  for (const caller of after.callers) {
    if (!waited.has(caller.uniqueid)) {
      changes.push({ kind: "queue.caller.joined", queue: after, caller });
    }
  }
  if (
    before.strategy !== after.strategy || before.completed !== after.completed ||
    before.abandoned !== after.abandoned || before.holdTime !== after.holdTime ||
    before.talkTime !== after.talkTime || before.serviceLevelPerf !== after.serviceLevelPerf ||
    before.callers.some((caller, i) => after.callers[i]?.uniqueid !== caller.uniqueid)
  ) {
    changes.push({ kind: "queue.updated", queue: after });
  }
}
