/**
 * A Local channel that dials on, and its optimisation: the caller is
 * bridged with the `;1` half, the `;2` half dials the far channel and is
 * bridged with it, then Asterisk swaps the far channel into the caller's
 * bridge and hangs up both halves. The order of events is the one measured
 * on Asterisk 23 (LocalOptimizationBegin, the two BridgeLeaves, BridgeEnter
 * with SwapUniqueid, LocalOptimizationEnd with `Success: No`, the Hangups,
 * BridgeDestroy).
 *
 * @module
 */

import type { Call, Leg } from "./call.ts";
import { answeredCdr, writeCdr } from "./cdr.ts";
import { type Bridge, bridgeFields, type Channel } from "./channel.ts";
import type { PbxCore } from "./core.ts";
import { answer, newBridge, ring } from "./dialing.ts";
import { createLeg } from "./legs.ts";

/**
 * When the answered Local leg `local` (its `;1` bridged with the caller)
 * leads on through the dialplan, its `;2` half dials the far channel; once
 * that answers, the pair is optimised away. Returns the far channel's leg,
 * which then stands where the Local leg stood; `undefined` when the Local
 * leg leads nowhere, or the far channel did not answer (the call is then
 * left as it was).
 */
export async function dialOnAndOptimise(
  pbx: PbxCore,
  call: Call,
  local: Leg,
): Promise<Leg | undefined> {
  const half = local.inner;
  if (half === undefined || local.dialString.includes("/n")) return undefined;
  const next = pbx.options.localDialplan?.(half.context, half.exten) ?? "";
  if (!next.includes("/") || !pbx.knows(next.slice(0, next.indexOf("/")))) return undefined;
  pbx.newexten(half, "Dial", next);
  const far = createLeg(pbx, call, next, half, half.context, half.exten);
  pbx.event("DialBegin", "call", [
    ...pbx.snapshot(half),
    ...pbx.snapshot(far.outer, "Dest"),
    ["DialString", next.slice(next.indexOf("/") + 1)],
  ]);
  const failure = await ring(pbx, call, far, half, pbx.outcome(next), 30_000);
  if (failure !== undefined) {
    pbx.event("DialEnd", "call", [
      ...pbx.snapshot(half),
      ...pbx.snapshot(far.outer, "Dest"),
      ["DialStatus", failure.dialStatus],
    ]);
    for (const channel of [far.inner, far.outer]) {
      if (channel !== undefined) pbx.hangupChannel(channel, failure.cause);
    }
    return undefined;
  }
  answer(pbx, far, half);
  const farBridge = newBridge(pbx, [far.outer, half]);
  optimise(pbx, call, local, far.outer, farBridge);
  return far;
}

/** Swaps `farChannel` into the caller's bridge in place of the Local pair, which hangs up. */
function optimise(
  pbx: PbxCore,
  call: Call,
  local: Leg,
  farChannel: Channel,
  farBridge: Bridge,
): void {
  const one = local.outer;
  const two = local.inner!;
  const callerBridge = call.bridge!;
  const id = String(pbx.nextOptimisationId());
  pbx.event("LocalOptimizationBegin", "call", [
    ...pbx.snapshot(one, "LocalOne"),
    ...pbx.snapshot(two, "LocalTwo"),
    ...pbx.snapshot(farChannel, "Source"),
    ["DestUniqueId", two.uniqueid],
    ["Id", id],
  ]);
  leave(pbx, farChannel);
  leave(pbx, one);
  callerBridge.members.push(farChannel);
  farChannel.bridge = callerBridge;
  pbx.event("BridgeEnter", "call", [
    ...bridgeFields(callerBridge),
    ...pbx.snapshot(farChannel),
    ["SwapUniqueid", one.uniqueid],
  ]);
  // Asterisk reports Success: No although the swap worked (see live-state.md).
  pbx.event("LocalOptimizationEnd", "call", [
    ...pbx.snapshot(one, "LocalOne"),
    ...pbx.snapshot(two, "LocalTwo"),
    ["Success", "No"],
    ["Id", id],
  ]);
  pbx.hangupChannel(one, 16);
  leave(pbx, two);
  pbx.hangupChannel(two, 16);
  pbx.bridges.delete(farBridge.uniqueid);
  pbx.event("BridgeDestroy", "call", bridgeFields(farBridge));
  writeCdr(pbx, answeredCdr(one));
  writeCdr(pbx, answeredCdr(two));
}

/** Takes a channel out of its bridge, with `BridgeLeave`. */
function leave(pbx: PbxCore, channel: Channel): void {
  const bridge = channel.bridge;
  if (bridge === undefined) return;
  bridge.members.splice(bridge.members.indexOf(channel), 1);
  channel.bridge = undefined;
  pbx.event("BridgeLeave", "call", [...bridgeFields(bridge), ...pbx.snapshot(channel)]);
}
