/**
 * Reading the "channel block" every channel event carries (`Channel`,
 * `ChannelState`, `Uniqueid`, `Linkedid`, caller ID, …), with or without a
 * prefix (`Dest`, `LocalOne`, `LocalTwo`, `Source`), into a
 * {@linkcode LiveChannel}, reusing the stored strings where nothing changed.
 *
 * @module
 */

import { detached, knownOrEmpty, reuse } from "./strings.ts";
import type { FieldReader } from "./event_fields.ts";
import type { LiveChannel, LiveParty } from "./types.ts";

/** The header names of one prefix, built once. */
export interface BlockKeys {
  readonly channel: string;
  readonly state: string;
  readonly stateDesc: string;
  readonly callerIdNum: string;
  readonly callerIdName: string;
  readonly connectedNum: string;
  readonly connectedName: string;
  readonly accountCode: string;
  readonly context: string;
  readonly exten: string;
  readonly priority: string;
  readonly uniqueid: string;
  readonly linkedid: string;
  readonly chanVariable: string;
}

function blockKeys(prefix: string): BlockKeys {
  return {
    channel: `${prefix}Channel`,
    state: `${prefix}ChannelState`,
    stateDesc: `${prefix}ChannelStateDesc`,
    callerIdNum: `${prefix}CallerIDNum`,
    callerIdName: `${prefix}CallerIDName`,
    connectedNum: `${prefix}ConnectedLineNum`,
    connectedName: `${prefix}ConnectedLineName`,
    accountCode: `${prefix}AccountCode`,
    context: `${prefix}Context`,
    exten: `${prefix}Exten`,
    priority: `${prefix}Priority`,
    uniqueid: `${prefix}Uniqueid`,
    linkedid: `${prefix}Linkedid`,
    chanVariable: `${prefix}ChanVariable`,
  };
}

/** The prefixes Asterisk uses for channel blocks. */
export const BLOCK = Object.freeze({
  plain: blockKeys(""),
  dest: blockKeys("Dest"),
  localOne: blockKeys("LocalOne"),
  localTwo: blockKeys("LocalTwo"),
  source: blockKeys("Source"),
});

const NO_VARIABLES: ReadonlyMap<string, string> = new Map();

/** How variables are kept: which names, and how long a value may be. */
export interface VariablePolicy {
  readonly variables: ReadonlySet<string>;
  readonly maxVariableLength: number;
}

/**
 * The channel a block describes, merged into what is stored: the stored
 * object itself when nothing changed, so that "no change" costs nothing.
 * `undefined` when the block is incomplete (no Uniqueid or no Channel).
 */
export function channelFromBlock(
  event: FieldReader,
  keys: BlockKeys,
  stored: LiveChannel | undefined,
  policy: VariablePolicy,
  createdAt: number,
  skipVariable?: string,
): LiveChannel | undefined {
  const uniqueid = event.get(keys.uniqueid);
  const name = event.get(keys.channel);
  if (uniqueid === undefined || uniqueid === "" || name === undefined || name === "") {
    return undefined;
  }
  const stateCode = Number.parseInt(event.get(keys.state) ?? "", 10);
  const fresh = {
    name,
    linkedid: event.get(keys.linkedid) ?? stored?.linkedid ?? uniqueid,
    state: event.get(keys.stateDesc) ?? stored?.state ?? "Unknown",
    stateCode: Number.isFinite(stateCode) ? stateCode : stored?.stateCode ?? 10,
    callerIdNum: knownOrEmpty(event.get(keys.callerIdNum)),
    callerIdName: knownOrEmpty(event.get(keys.callerIdName)),
    connectedNum: knownOrEmpty(event.get(keys.connectedNum)),
    connectedName: knownOrEmpty(event.get(keys.connectedName)),
    accountCode: event.get(keys.accountCode) ?? "",
    context: event.get(keys.context) ?? "",
    exten: event.get(keys.exten) ?? "",
    priority: Number.parseInt(event.get(keys.priority) ?? "", 10) || 0,
  };
  const variables = policy.variables.size === 0
    ? stored?.variables ?? NO_VARIABLES
    : mergedVariables(stored?.variables, event.getAll(keys.chanVariable), policy, skipVariable);
  if (stored !== undefined && sameAsStored(stored, fresh, variables)) return stored;
  return Object.freeze({
    uniqueid: reuse(stored?.uniqueid, uniqueid),
    name: reuse(stored?.name, fresh.name),
    linkedid: reuse(stored?.linkedid, fresh.linkedid),
    state: reuse(stored?.state, fresh.state),
    stateCode: fresh.stateCode,
    bridgeId: stored?.bridgeId,
    callerId: party(stored?.callerId, fresh.callerIdNum, fresh.callerIdName),
    connected: party(stored?.connected, fresh.connectedNum, fresh.connectedName),
    accountCode: reuse(stored?.accountCode, fresh.accountCode),
    context: reuse(stored?.context, fresh.context),
    exten: reuse(stored?.exten, fresh.exten),
    priority: fresh.priority,
    localPeer: stored?.localPeer,
    createdAt: stored?.createdAt ?? createdAt,
    variables,
  });
}

function sameAsStored(
  stored: LiveChannel,
  fresh: {
    name: string;
    linkedid: string;
    state: string;
    stateCode: number;
    callerIdNum: string;
    callerIdName: string;
    connectedNum: string;
    connectedName: string;
    accountCode: string;
    context: string;
    exten: string;
    priority: number;
  },
  variables: ReadonlyMap<string, string>,
): boolean {
  return stored.name === fresh.name && stored.linkedid === fresh.linkedid &&
    stored.state === fresh.state && stored.stateCode === fresh.stateCode &&
    stored.callerId.num === fresh.callerIdNum && stored.callerId.name === fresh.callerIdName &&
    stored.connected.num === fresh.connectedNum &&
    stored.connected.name === fresh.connectedName &&
    stored.accountCode === fresh.accountCode && stored.context === fresh.context &&
    stored.exten === fresh.exten && stored.priority === fresh.priority &&
    stored.variables === variables;
}

function party(stored: LiveParty | undefined, num: string, name: string): LiveParty {
  if (stored !== undefined && stored.num === num && stored.name === name) return stored;
  return Object.freeze({ num: reuse(stored?.num, num), name: reuse(stored?.name, name) });
}

/**
 * The stored variables with the `NAME=value` lines of the allowed names
 * applied (but `skip`, which the event sets itself); the stored map itself
 * when none differs.
 */
export function mergedVariables(
  stored: ReadonlyMap<string, string> | undefined,
  lines: readonly string[],
  policy: VariablePolicy,
  skip?: string,
): ReadonlyMap<string, string> {
  let current = stored;
  let copy: Map<string, string> | undefined;
  for (const line of lines) {
    const equals = line.indexOf("=");
    if (equals <= 0) continue;
    const name = line.slice(0, equals);
    if (!policy.variables.has(name) || name === skip) continue;
    const value = line.slice(equals + 1, equals + 1 + policy.maxVariableLength);
    if (current?.get(name) === value) continue;
    copy ??= new Map(current);
    copy.set(detached(name), detached(value));
    current = copy;
  }
  return current ?? NO_VARIABLES;
}

/**
 * `variables` with one value set: a new map when it changes, `undefined`
 * when it already holds that value.
 */
export function withVariable(
  variables: ReadonlyMap<string, string> | undefined,
  name: string,
  value: string,
): ReadonlyMap<string, string> | undefined {
  if (variables?.get(name) === value) return undefined;
  const copy = new Map(variables);
  copy.set(detached(name), detached(value));
  return copy;
}
