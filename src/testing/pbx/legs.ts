/**
 * Making the channels of a call leg: a plain channel, or the two halves of a
 * Local channel, with the identity (caller ID, connected line, account code,
 * inherited variables) Asterisk gives them and the events it raises.
 *
 * @module
 */

import type { Call, Leg } from "./call.ts";
import { type Channel, DOWN, RING } from "./channel.ts";
import type { PbxCore } from "./core.ts";

/** The identity a channel takes when it is dialled. */
interface Identity {
  readonly num: string;
  readonly name: string;
  readonly connectedNum: string;
  readonly connectedName: string;
  readonly account: string;
}

const CALLING_PRES: [string, string] = [
  "CID-CallingPres",
  "0 (Presentation Allowed, Not Screened)",
];

/**
 * Creates the channels of a leg and raises their Newchannel events. A leg
 * dialled by `caller` takes the caller's identity.
 */
export function createLeg(
  pbx: PbxCore,
  call: Call,
  dialString: string,
  caller: Channel | undefined,
  context: string,
  exten: string,
): Leg {
  const slash = dialString.indexOf("/");
  const tech = dialString.slice(0, slash);
  const resource = dialString.slice(slash + 1);
  const suffix = pbx.nextChannelSuffix();
  const linkedid = caller?.linkedid;
  let leg: Leg;
  if (tech.toLowerCase() === "local") {
    // A Local channel's options (`/n`) are not part of its name or device.
    const local = resource.split("/")[0]!;
    const at = local.indexOf("@");
    const localExten = at < 0 ? local : local.slice(0, at);
    const localContext = at < 0 ? "default" : local.slice(at + 1);
    const outer = pbx.newChannel(call, `Local/${local}-${suffix};1`, linkedid, {
      device: `Local/${local}`,
      context: caller === undefined ? localContext : context,
      exten: caller === undefined ? localExten : "",
      state: DOWN,
    });
    const inner = pbx.newChannel(call, `Local/${local}-${suffix};2`, outer.linkedid, {
      device: `Local/${local}`,
      context: localContext,
      exten: localExten,
      state: RING,
    });
    pbx.event("Newchannel", "call", pbx.snapshot(outer));
    pbx.event("Newchannel", "call", pbx.snapshot(inner));
    leg = { outer, inner, dialString };
  } else {
    const outer = pbx.newChannel(call, `${tech}/${resource}-${suffix}`, linkedid, {
      device: `${tech}/${resource.split("/")[0]}`,
      context: caller === undefined ? context : caller.context,
      exten: caller === undefined ? exten : "",
      state: DOWN,
    });
    pbx.event("Newchannel", "call", pbx.snapshot(outer));
    leg = { outer, inner: undefined, dialString };
  }
  if (caller !== undefined) identifyDialled(pbx, leg, caller, exten);
  return leg;
}

/**
 * A dialled leg takes the caller's identity: the dialled number as its
 * caller, the caller as its connected line, the account code, and the
 * caller's inheritable (`_`, `__`) variables.
 */
function identifyDialled(pbx: PbxCore, leg: Leg, caller: Channel, exten: string): void {
  const number = leg.dialString.slice(leg.dialString.indexOf("/") + 1);
  const { outer, inner } = leg;
  for (const [name, value] of caller.variables) {
    if (!name.startsWith("_")) continue;
    outer.variables.set(name, value);
    inner?.variables.set(name, value);
  }
  pbx.setVariable(outer, "DIALEDPEERNUMBER", number);
  outer.context = caller.context;
  outer.exten = "";
  pbx.newexten(outer, "AppDial", "(Outgoing Line)");
  takeIdentity(pbx, outer, {
    num: exten,
    name: caller.callerIdName,
    connectedNum: caller.callerIdNum,
    connectedName: caller.callerIdName,
    account: caller.accountCode,
  });
  if (inner !== undefined) {
    pbx.setVariable(inner, "DIALEDPEERNUMBER", number);
    takeIdentity(pbx, inner, {
      num: caller.callerIdNum,
      name: caller.callerIdName,
      connectedNum: exten,
      connectedName: caller.callerIdName,
      account: caller.accountCode,
    });
  }
}

/** Sets a channel's caller ID, account code and connected line, with their events. */
function takeIdentity(pbx: PbxCore, channel: Channel, identity: Identity): void {
  channel.callerIdNum = identity.num;
  channel.callerIdName = identity.name;
  pbx.event("NewCallerid", "call", [...pbx.snapshot(channel), CALLING_PRES]);
  const old = channel.accountCode;
  channel.accountCode = identity.account;
  pbx.event("NewAccountCode", "call", [...pbx.snapshot(channel), ["OldAccountCode", old]]);
  channel.connectedNum = identity.connectedNum;
  channel.connectedName = identity.connectedName;
  pbx.event("NewConnectedLine", "call", pbx.snapshot(channel));
}

/** The account code and caller ID an Originate gives its channel, with their events. */
export function applyOriginateIdentity(
  pbx: PbxCore,
  channel: Channel,
  account: string,
  callerId: { name: string; num: string } | undefined,
): void {
  if (account !== "") {
    const old = channel.accountCode;
    channel.accountCode = account;
    pbx.event("NewAccountCode", "call", [...pbx.snapshot(channel), ["OldAccountCode", old]]);
  }
  if (callerId !== undefined) {
    channel.callerIdNum = callerId.num;
    channel.callerIdName = callerId.name;
    pbx.event("NewCallerid", "call", [...pbx.snapshot(channel), CALLING_PRES]);
    channel.connectedNum = callerId.num;
    channel.connectedName = callerId.name;
    pbx.event("NewConnectedLine", "call", pbx.snapshot(channel));
  }
}

/**
 * The far half of an originated Local channel takes the Originate's
 * variables, caller ID and account code, then the halves are joined
 * (`LocalBridge`).
 */
export function identifyLocalHalf(
  pbx: PbxCore,
  leg: Leg,
  variables: readonly (readonly [string, string])[],
  account: string,
  callerId: { name: string; num: string } | undefined,
): void {
  const inner = leg.inner!;
  for (const [name, value] of variables) pbx.setVariable(inner, name, value);
  if (callerId !== undefined) {
    inner.callerIdNum = inner.connectedNum = callerId.num;
    inner.callerIdName = inner.connectedName = callerId.name;
    pbx.event("NewCallerid", "call", [...pbx.snapshot(inner), CALLING_PRES]);
  }
  if (account !== "") {
    inner.accountCode = account;
    pbx.event("NewAccountCode", "call", [...pbx.snapshot(inner), ["OldAccountCode", ""]]);
  }
  if (callerId !== undefined) pbx.event("NewConnectedLine", "call", pbx.snapshot(inner));
  localBridge(pbx, leg);
}

/** Raises `LocalBridge` for the two halves of a Local leg. */
export function localBridge(pbx: PbxCore, leg: Leg): void {
  const inner = leg.inner!;
  pbx.event("LocalBridge", "call", [
    ...pbx.snapshot(leg.outer, "LocalOne"),
    ...pbx.snapshot(inner, "LocalTwo"),
    ["Context", inner.context],
    ["Exten", inner.exten],
    ["LocalOptimization", "Yes"],
  ]);
}
