/**
 * Dialling one leg of a call: ringing it until it answers or fails,
 * answering it, and bridging it with the channel that dialled it. The
 * originate flow and the queue flow both dial through here.
 *
 * @module
 */

import type { Call, Leg } from "./call.ts";
import { type Bridge, bridgeFields, type Channel, RINGING, UP } from "./channel.ts";
import type { PbxCore } from "./core.ts";
import {
  BUSY_FAILURE,
  CANCEL_FAILURE,
  CONGESTION_FAILURE,
  type Failure,
  NOANSWER_FAILURE,
} from "./failures.ts";
import type { SimulatedOutcome } from "./options.ts";

/**
 * Rings a leg until it answers or fails. Returns the failure, or
 * `undefined` once it may answer.
 */
export async function ring(
  pbx: PbxCore,
  call: Call,
  leg: Leg,
  caller: Channel | undefined,
  outcome: SimulatedOutcome,
  timeoutMs: number,
): Promise<Failure | undefined> {
  if (outcome === "busy") return BUSY_FAILURE;
  if (outcome === "congestion") return CONGESTION_FAILURE;
  const ringMs = pbx.options.ringMs ?? 0;
  if (outcome === "noanswer" || ringMs > 0 || caller !== undefined) {
    leg.outer.state = RINGING;
    pbx.event("Newstate", "call", pbx.snapshot(leg.outer));
    if (caller !== undefined) {
      pbx.deviceState(leg.outer, "INUSE");
      pbx.event("DialState", "call", [
        ...pbx.snapshot(caller),
        ...pbx.snapshot(leg.outer, "Dest"),
        ["DialStatus", "RINGING"],
      ]);
    }
  }
  const passed = await pbx.wait(call, outcome === "noanswer" ? timeoutMs : ringMs);
  if (!passed) return { ...CANCEL_FAILURE, cause: call.requestedCause };
  return outcome === "noanswer" ? NOANSWER_FAILURE : undefined;
}

/**
 * Answers a leg. The originated leg's far half answers first; a dialled
 * leg's channel goes up first, then the caller learns the dial status.
 */
export function answer(pbx: PbxCore, leg: Leg, caller: Channel | undefined): void {
  const now = Date.now();
  const { outer, inner } = leg;
  const up = (channel: Channel) => {
    channel.state = UP;
    channel.answeredAt = now;
    pbx.event("Newstate", "call", pbx.snapshot(channel));
  };
  if (inner !== undefined) pbx.newexten(inner, "Answer", "");
  if (caller === undefined) {
    if (inner !== undefined) up(inner);
    up(outer);
  } else {
    up(outer);
    pbx.deviceState(outer, "INUSE");
    pbx.setVariable(caller, "DIALSTATUS", "ANSWER");
    pbx.setVariable(caller, "DIALEDPEERNAME", outer.name);
    if (inner !== undefined) {
      up(inner);
      pbx.deviceState(inner, "INUSE");
    }
  }
  pbx.event("DialEnd", "call", [
    ...(caller === undefined ? [] : pbx.snapshot(caller)),
    ...pbx.snapshot(outer, "Dest"),
    ["DialStatus", "ANSWER"],
  ]);
  if (inner !== undefined) {
    inner.application = "Wait";
    inner.applicationData = "";
  }
}

/** Creates a basic bridge and puts the channels in it (`BridgeCreate`, a `BridgeEnter` each). */
export function newBridge(pbx: PbxCore, channels: readonly Channel[]): Bridge {
  const bridge: Bridge = { uniqueid: crypto.randomUUID(), members: [] };
  pbx.bridges.set(bridge.uniqueid, bridge);
  pbx.event("BridgeCreate", "call", bridgeFields(bridge));
  for (const channel of channels) {
    bridge.members.push(channel);
    channel.bridge = bridge;
    pbx.event("BridgeEnter", "call", [...bridgeFields(bridge), ...pbx.snapshot(channel)]);
  }
  return bridge;
}

/** Bridges a dialled channel with the caller, as the call's bridge. */
export function bridgeLegs(pbx: PbxCore, call: Call, dialled: Channel, caller: Channel): void {
  call.bridge = newBridge(pbx, [dialled, caller]);
  pbx.setVariable(dialled, "BRIDGEPEER", caller.name);
  pbx.setVariable(caller, "BRIDGEPEER", dialled.name);
}
