/**
 * Helpers for the live view's tests: recordings as messages, hand-made
 * events, and the comparable "at rest" form of a view and of a snapshot list.
 *
 * @module
 */

import { isDeepStrictEqual } from "node:util";
import type { AmiClient } from "../../src/client/client.ts";
import type { LiveView } from "../../src/live/live_view.ts";
import { AmiMessage } from "../../src/wire/message.ts";
import { type LiveOptions, liveSettings } from "../../src/live/options.ts";
import { LiveReducer } from "../../src/live/reducer.ts";
import type { LiveChange, LiveSnapshot } from "../../src/live/types.ts";
import { readServerBytes } from "./fixtures.ts";
import { parseChunks } from "./parse.ts";

/** Every message of a recording's server side, the banner left out. */
export async function recordedMessages(name: string): Promise<AmiMessage[]> {
  return parseChunks([await readServerBytes(name)]).messages;
}

/** An event with the given fields (repeated keys allowed as pairs). */
export function event(
  name: string,
  fields: Record<string, string> | [string, string][],
  receivedAt = 1_000_000,
): AmiMessage {
  const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
  return new AmiMessage([["Event", name], ...pairs], receivedAt);
}

/** The channel block of a channel, as Asterisk writes it, with `prefix`. */
export function block(
  prefix: string,
  channel: {
    name: string;
    uniqueid: string;
    linkedid?: string;
    state?: number;
    stateDesc?: string;
    callerIdNum?: string;
  },
): [string, string][] {
  const state = channel.state ?? 6;
  const desc = channel.stateDesc ?? ({ 0: "Down", 4: "Ring", 5: "Ringing", 6: "Up" } as Record<
    number,
    string
  >)[state] ?? "Unknown";
  return [
    [`${prefix}Channel`, channel.name],
    [`${prefix}ChannelState`, String(state)],
    [`${prefix}ChannelStateDesc`, desc],
    [`${prefix}CallerIDNum`, channel.callerIdNum ?? "<unknown>"],
    [`${prefix}CallerIDName`, "<unknown>"],
    [`${prefix}ConnectedLineNum`, "<unknown>"],
    [`${prefix}ConnectedLineName`, "<unknown>"],
    [`${prefix}Language`, "en"],
    [`${prefix}AccountCode`, ""],
    [`${prefix}Context`, "default"],
    [`${prefix}Exten`, "s"],
    [`${prefix}Priority`, "1"],
    [`${prefix}Uniqueid`, channel.uniqueid],
    [`${prefix}Linkedid`, channel.linkedid ?? channel.uniqueid],
  ];
}

/** A reducer with test settings. */
export function reducer(options: LiveOptions = {}): LiveReducer {
  return new LiveReducer(liveSettings(options));
}

/** What a channel list and a view are compared on. */
export interface RestChannel {
  uniqueid: string;
  name: string;
  linkedid: string;
  state: string;
  bridgeId: string | undefined;
  callerId: string;
  connected: string;
}

/** The channels and bridge memberships of a view, in a form `assertEquals` compares. */
export interface RestState {
  channels: Record<string, RestChannel>;
  bridges: Record<string, string[]>;
}

/** The comparable form of a reducer's model. */
export function restStateOf(model: LiveReducer | LiveSnapshot): RestState {
  const channels: Record<string, RestChannel> = {};
  for (const channel of model.channels.values()) {
    channels[channel.uniqueid] = {
      uniqueid: channel.uniqueid,
      name: channel.name,
      linkedid: channel.linkedid,
      state: channel.state,
      bridgeId: channel.bridgeId,
      callerId: `${channel.callerId.name} <${channel.callerId.num}>`,
      connected: `${channel.connected.name} <${channel.connected.num}>`,
    };
  }
  const bridges: Record<string, string[]> = {};
  for (const bridge of model.bridges.values()) bridges[bridge.id] = [...bridge.channels].sort();
  return { channels: sortKeys(channels), bridges: sortKeys(bridges) };
}

/**
 * The comparable form of `CoreShowChannel` (or `Status`) items, and of
 * `BridgeListItem` items when given (bridges without members are kept).
 */
export function restStateOfLists(
  channelItems: readonly AmiMessage[],
  bridgeItems?: readonly AmiMessage[],
): RestState {
  const unknown = (text: string | undefined) => text === "<unknown>" ? "" : text ?? "";
  const channels: Record<string, RestChannel> = {};
  const bridges: Record<string, string[]> = {};
  for (const item of bridgeItems ?? []) bridges[item.get("BridgeUniqueid")!] = [];
  for (const item of channelItems) {
    const uniqueid = item.get("Uniqueid")!;
    const bridgeId = item.get("BridgeId") || undefined;
    channels[uniqueid] = {
      uniqueid,
      name: item.get("Channel")!,
      linkedid: item.get("Linkedid")!,
      state: item.get("ChannelStateDesc")!,
      bridgeId,
      callerId: `${unknown(item.get("CallerIDName"))} <${unknown(item.get("CallerIDNum"))}>`,
      connected: `${unknown(item.get("ConnectedLineName"))} <${
        unknown(item.get("ConnectedLineNum"))
      }>`,
    };
    if (bridgeId !== undefined) (bridges[bridgeId] ??= []).push(uniqueid);
  }
  for (const id of Object.keys(bridges)) bridges[id]!.sort();
  return { channels: sortKeys(channels), bridges: sortKeys(bridges) };
}

/**
 * The view's state beside a fresh `CoreShowChannels` (and, with `bridges`,
 * `BridgeList`) once the PBX is quiet. The view applies events as its own
 * consumer reads them, so right after the PBX goes quiet it may still hold a
 * few that the fresh lists already show: this asks again (up to `tries`
 * times, 10 ms apart) until the two agree and the view is live, and returns
 * the last pair either way.
 */
export async function viewAtRest(
  live: LiveView,
  client: AmiClient,
  options: { tries?: number; bridges?: boolean } = {},
): Promise<[view: RestState, lists: RestState]> {
  let pair: [RestState, RestState] = [restStateOf(live.snapshot()), restStateOfLists([])];
  for (let attempt = 0; attempt < (options.tries ?? 100); attempt++) {
    const channels = await client.sendList({ Action: "CoreShowChannels" });
    const bridges = options.bridges ? await client.sendList({ Action: "BridgeList" }) : undefined;
    pair = [restStateOf(live.snapshot()), restStateOfLists(channels.items, bridges?.items)];
    if (live.status === "live" && isDeepStrictEqual(pair[0], pair[1])) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return pair;
}

/** The items of the list answered to `actionId`, in order, the closing event left out. */
export function listItems(messages: readonly AmiMessage[], actionId: string): AmiMessage[] {
  return messages.filter((message) =>
    message.kind === "event" && message.get("ActionID") === actionId &&
    message.get("EventList") === undefined
  );
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a < b ? -1 : 1));
}

/**
 * `CoreShowChannel` and `BridgeListItem` items describing a model, as
 * Asterisk would list it: a snapshot taken from a reference model, to start
 * another model from.
 */
export function listsOf(
  model: LiveReducer,
  receivedAt: number,
): { channels: AmiMessage[]; bridges: AmiMessage[] } {
  const channels = [...model.channels.values()].map((channel) =>
    new AmiMessage([
      ["Event", "CoreShowChannel"],
      ["Channel", channel.name],
      ["ChannelState", String(channel.stateCode)],
      ["ChannelStateDesc", channel.state],
      ["CallerIDNum", channel.callerId.num || "<unknown>"],
      ["CallerIDName", channel.callerId.name || "<unknown>"],
      ["ConnectedLineNum", channel.connected.num || "<unknown>"],
      ["ConnectedLineName", channel.connected.name || "<unknown>"],
      ["AccountCode", channel.accountCode],
      ["Context", channel.context],
      ["Exten", channel.exten],
      ["Priority", String(channel.priority)],
      ["Uniqueid", channel.uniqueid],
      ["Linkedid", channel.linkedid],
      ["Duration", "00:00:00"],
      ["BridgeId", channel.bridgeId ?? ""],
    ], receivedAt)
  );
  const bridges = [...model.bridges.values()].map((bridge) =>
    new AmiMessage([
      ["Event", "BridgeListItem"],
      ["BridgeUniqueid", bridge.id],
      ["BridgeType", bridge.type],
      ["BridgeTechnology", bridge.technology],
    ], receivedAt)
  );
  return { channels, bridges };
}

/** The calls of a model as sorted lists of their channels, ended calls left out. */
export function callGroupsOf(model: LiveReducer | LiveSnapshot): string[][] {
  const calls = "live" in model.calls ? [...model.calls.calls()] : [...model.calls.values()];
  return calls.filter((call) => call.state !== "ended").map((call) => [...call.channels].sort())
    .sort((a, b) => a[0]! < b[0]! ? -1 : 1);
}

/** Reconnect options that come back within a few tens of milliseconds. */
export const fastReconnect = { initialDelay: 20, maxDelay: 20, jitter: 0 };

/**
 * Reads a view's changes after `since` until one passes `until` (or 5 s
 * pass); returns every change read.
 */
export async function changesUntil(
  live: LiveView,
  since: number,
  until: (change: LiveChange) => boolean,
): Promise<LiveChange[]> {
  const seen: LiveChange[] = [];
  for await (const change of live.changes({ since, signal: AbortSignal.timeout(5_000) })) {
    seen.push(change);
    if (until(change)) break;
  }
  return seen;
}
