/**
 * How calls of the simulated PBX end, each in the order of events the
 * recordings of a real Asterisk show: a dial that failed, an application
 * that returned, an answered call hung up by either side.
 *
 * @module
 */

import type { Call, HangupRequest, Leg } from "./call.ts";
import { answeredCdr, writeCdr } from "./cdr.ts";
import { bridgeFields, BUSY, type Channel } from "./channel.ts";
import type { PbxCore } from "./core.ts";
import type { Failure } from "./failures.ts";
import { originateResponse } from "./originate_response.ts";

const OUTGOING_LINE = { lastApplication: "AppDial2", lastData: "(Outgoing Line)" } as const;

/** The originated channel did not answer: Asterisk's order from the recordings. */
export function failOriginate(pbx: PbxCore, call: Call, leg: Leg, failure: Failure): void {
  const ringing = leg.inner ?? leg.outer;
  pbx.event("DialEnd", "call", [
    ...pbx.snapshot(leg.outer, "Dest"),
    ["DialStatus", failure.dialStatus],
  ]);
  if (failure.dialStatus === "BUSY") {
    ringing.state = BUSY;
    pbx.event("Newstate", "call", pbx.snapshot(ringing));
  }
  pbx.event("HangupRequest", "call", [...pbx.snapshot(ringing), ["Cause", "0"]]);
  originateResponse(pbx, call, leg.dialString, undefined, failure.reason);
  pbx.event("SoftHangupRequest", "call", [...pbx.snapshot(ringing), ["Cause", "16"]]);
  pbx.hangupChannel(ringing, failure.cause);
  if (leg.inner !== undefined) pbx.hangupChannel(leg.outer, 0);
  const failed = { destination: undefined, disposition: failure.disposition };
  writeCdr(pbx, {
    channel: ringing,
    ...failed,
    ...(leg.inner === undefined ? OUTGOING_LINE : {
      lastApplication: failure.application,
      lastData: failure.applicationData,
    }),
  });
  if (leg.inner !== undefined) writeCdr(pbx, { channel: leg.outer, ...failed, ...OUTGOING_LINE });
  notInUse(pbx, [leg.outer, leg.inner]);
}

/** The dialled channel did not answer: end it, then the caller hangs up. */
export function failDial(
  pbx: PbxCore,
  call: Call,
  leg: Leg,
  caller: Channel,
  failure: Failure,
): void {
  pbx.setVariable(caller, "DIALSTATUS", failure.dialStatus);
  pbx.event("DialEnd", "call", [
    ...pbx.snapshot(caller),
    ...pbx.snapshot(leg.outer, "Dest"),
    ["DialStatus", failure.dialStatus],
  ]);
  const ringing = leg.inner ?? leg.outer;
  if (failure.dialStatus === "BUSY") {
    ringing.state = BUSY;
    pbx.event("Newstate", "call", pbx.snapshot(ringing));
  }
  if (leg.inner !== undefined) {
    pbx.event("SoftHangupRequest", "call", [...pbx.snapshot(leg.outer), ["Cause", "16"]]);
    pbx.event("HangupRequest", "call", [...pbx.snapshot(leg.inner), ["Cause", "16"]]);
    pbx.hangupChannel(leg.outer, failure.cause);
    pbx.hangupChannel(leg.inner, failure.cause);
  } else {
    pbx.hangupChannel(leg.outer, failure.cause);
  }
  call.b = undefined;
  const a = call.a!;
  hangLeg(pbx, a, caller, 16);
  writeCdr(pbx, {
    channel: caller,
    destination: leg.outer,
    disposition: failure.disposition,
    lastApplication: "Dial",
    lastData: leg.dialString,
  });
  if (a.inner !== undefined) writeCdr(pbx, answeredCdr(a.inner));
  if (leg.inner !== undefined) {
    writeCdr(pbx, {
      channel: leg.inner,
      destination: undefined,
      disposition: failure.disposition,
      lastApplication: failure.application,
      lastData: failure.applicationData,
    });
  }
  notInUse(pbx, [leg.outer, leg.inner, a.outer, a.inner]);
}

/**
 * Ends an answered call. `initiator` hangs up first (a Hangup action's
 * channel when `undefined`); its leg goes down first, then the other.
 */
export function teardown(pbx: PbxCore, call: Call, initiator: Channel | undefined): void {
  const requested = call.hangup.signal.reason as HangupRequest | undefined;
  const first = initiator ?? requested?.channel ?? call.a!.outer;
  const cause = initiator === undefined ? (requested?.cause ?? 16) : 16;
  const legs = [call.a, call.b].filter((leg): leg is Leg => leg !== undefined);
  const firstLeg = legs.find((leg) => leg.outer === first || leg.inner === first) ?? legs[0]!;
  const secondLeg = legs.find((leg) => leg !== firstLeg);
  hangLeg(pbx, firstLeg, first, cause);
  if (secondLeg !== undefined) {
    leaveBridge(pbx, secondLeg.outer);
    hangLeg(pbx, secondLeg, secondLeg.outer, 16);
  }
  if (call.bridge !== undefined) {
    pbx.bridges.delete(call.bridge.uniqueid);
    pbx.event("BridgeDestroy", "call", bridgeFields(call.bridge));
    call.bridge = undefined;
  }
  const a = call.a!;
  const b = call.b;
  if (b?.inner !== undefined) writeCdr(pbx, answeredCdr(b.inner));
  writeCdr(pbx, {
    ...answeredCdr(a.outer),
    destination: b?.outer,
    lastApplication: b === undefined ? a.outer.application : "Dial",
    lastData: b === undefined ? a.outer.applicationData : b.dialString,
  });
  if (a.inner !== undefined) writeCdr(pbx, answeredCdr(a.inner));
  notInUse(pbx, [...(b === undefined ? [] : [b.outer, b.inner]), a.outer, a.inner]);
}

/**
 * The originated channel's application returned: it hangs up by itself,
 * cause unset (0) on a Local channel, as recorded.
 */
export function applicationEnded(pbx: PbxCore, call: Call): void {
  const { outer, inner } = call.a!;
  if (inner === undefined) {
    pbx.hangupChannel(outer, 16);
  } else {
    pbx.event("HangupRequest", "call", [...pbx.snapshot(inner), ["Cause", "0"]]);
    pbx.hangupChannel(outer, 0);
    pbx.event("SoftHangupRequest", "call", [...pbx.snapshot(inner), ["Cause", "16"]]);
    pbx.hangupChannel(inner, 0);
  }
  writeCdr(pbx, answeredCdr(outer));
  if (inner !== undefined) writeCdr(pbx, answeredCdr(inner));
  notInUse(pbx, [outer, inner]);
}

/** Hangs up one leg, starting with `start`, in Asterisk's order. */
function hangLeg(pbx: PbxCore, leg: Leg, start: Channel, cause: number): void {
  const { outer, inner } = leg;
  const withCause = (channel: Channel): [string, string][] => [
    ...pbx.snapshot(channel),
    ["Cause", String(cause)],
  ];
  if (inner !== undefined && start === inner) {
    pbx.event("SoftHangupRequest", "call", withCause(inner));
    pbx.event("HangupRequest", "call", withCause(outer));
    pbx.hangupChannel(inner, cause);
    leaveBridge(pbx, outer);
    pbx.hangupChannel(outer, cause);
    return;
  }
  pbx.event("SoftHangupRequest", "call", withCause(outer));
  leaveBridge(pbx, outer);
  if (inner !== undefined) pbx.event("HangupRequest", "call", withCause(inner));
  pbx.hangupChannel(outer, cause);
  if (inner !== undefined) {
    pbx.event("SoftHangupRequest", "call", withCause(inner));
    pbx.hangupChannel(inner, cause);
  }
}

/** Takes a channel out of its bridge, with `BridgeLeave`. */
function leaveBridge(pbx: PbxCore, channel: Channel): void {
  const bridge = channel.bridge;
  if (bridge === undefined) return;
  if (bridge.members.length === 2) {
    for (const member of bridge.members) pbx.setVariable(member, "BRIDGEPEER", "");
  }
  bridge.members.splice(bridge.members.indexOf(channel), 1);
  channel.bridge = undefined;
  pbx.event("BridgeLeave", "call", [...bridgeFields(bridge), ...pbx.snapshot(channel)]);
}

function notInUse(pbx: PbxCore, channels: readonly (Channel | undefined)[]): void {
  for (const channel of channels) {
    if (channel !== undefined) pbx.deviceState(channel, "NOT_INUSE");
  }
}
