/**
 * The difference between two models of the PBX, as the changes that turn
 * the first into the second: what a resync reports.
 *
 * @module
 */

import { diffCallCentre } from "./call_centre_diff.ts";
import type { LiveReducer } from "./reducer.ts";
import type {
  LiveBridge,
  LiveCall,
  LiveChannel,
  LiveParty,
  LiveRemovalCause,
  PendingChange,
} from "./types.ts";

/** The changes from `before` to `after`; what is gone is removed with `removal`. */
export function diffModels(
  before: LiveReducer,
  after: LiveReducer,
  removal: LiveRemovalCause,
): PendingChange[] {
  const changes: PendingChange[] = [];
  for (const [uniqueid, channel] of before.channels) {
    const next = after.channels.get(uniqueid);
    if (next === undefined) {
      changes.push({
        kind: "channel.removed",
        channel,
        removal,
        cause: undefined,
        causeText: undefined,
      });
    } else if (!sameChannel(channel, next)) {
      changes.push({ kind: "channel.updated", channel: next, before: channel });
    }
  }
  for (const [uniqueid, channel] of after.channels) {
    if (!before.channels.has(uniqueid)) changes.push({ kind: "channel.added", channel });
  }
  for (const bridge of before.bridges.values()) {
    const next = after.bridges.get(bridge.id);
    if (next === undefined) changes.push({ kind: "bridge.removed", bridge, removal });
    else if (!sameBridge(bridge, next)) {
      changes.push({ kind: "bridge.updated", bridge: next, before: bridge });
    }
  }
  for (const bridge of after.bridges.values()) {
    if (before.bridges.get(bridge.id) === undefined) changes.push({ kind: "bridge.added", bridge });
  }
  const beforeCalls = liveCalls(before);
  const afterCalls = liveCalls(after);
  for (const [id, call] of beforeCalls) {
    const next = afterCalls.get(id);
    if (next === undefined) {
      changes.push({
        kind: "call.ended",
        call: Object.freeze({ ...call, state: "ended" as const }),
        removal,
        cause: undefined,
        causeText: undefined,
      });
    } else if (!sameCall(call, next)) {
      changes.push({ kind: "call.updated", call: next });
    }
  }
  for (const [id, call] of afterCalls) {
    if (!beforeCalls.has(id)) changes.push({ kind: "call.started", call });
  }
  changes.push(...diffCallCentre(before, after));
  return changes;
}

function liveCalls(model: LiveReducer): Map<string, LiveCall> {
  const calls = new Map<string, LiveCall>();
  for (const call of model.calls.calls()) if (call.state !== "ended") calls.set(call.id, call);
  return calls;
}

/** Whether two channels hold the same values (they may be different objects). */
export function sameChannel(a: LiveChannel, b: LiveChannel): boolean {
  return a.name === b.name && a.linkedid === b.linkedid && a.state === b.state &&
    a.stateCode === b.stateCode && a.bridgeId === b.bridgeId &&
    sameParty(a.callerId, b.callerId) && sameParty(a.connected, b.connected) &&
    a.accountCode === b.accountCode && a.context === b.context && a.exten === b.exten &&
    a.priority === b.priority && a.localPeer === b.localPeer &&
    sameMap(a.variables, b.variables);
}

function sameBridge(a: LiveBridge, b: LiveBridge): boolean {
  return a.type === b.type && a.technology === b.technology && a.creator === b.creator &&
    a.name === b.name && sameSet(a.channels, b.channels);
}

function sameCall(a: LiveCall, b: LiveCall): boolean {
  return a.state === b.state && sameSet(a.channels, b.channels) && sameSet(a.bridges, b.bridges);
}

function sameParty(a: LiveParty, b: LiveParty): boolean {
  return a.num === b.num && a.name === b.name;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

function sameMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}
