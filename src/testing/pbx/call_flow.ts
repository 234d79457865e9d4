/**
 * The life of an originated call, in named phases: the Originate is checked
 * and its call started; the originated channel is dialled; then it runs an
 * application, or the dialplan dials a second channel and the two are
 * bridged; at the end the call is torn down (see `call_endings.ts`).
 *
 * @module
 */

import type { AmiMessage } from "../../wire/message.ts";
import { Call, type Leg } from "./call.ts";
import { applicationEnded, failDial, failOriginate, teardown } from "./call_endings.ts";
import { type Channel, parseCallerId } from "./channel.ts";
import type { PbxCore } from "./core.ts";
import { answer, bridgeLegs, ring } from "./dialing.ts";
import { applyOriginateIdentity, createLeg, identifyLocalHalf, localBridge } from "./legs.ts";
import { dialOnAndOptimise } from "./local_optimization.ts";
import { originateResponse } from "./originate_response.ts";
import { runQueue } from "./queue_flow.ts";

/** What an Originate asks for, read once. */
interface Plan {
  readonly dialString: string;
  readonly application: string;
  readonly data: string;
  readonly context: string;
  readonly exten: string;
  readonly priority: number;
  readonly timeoutMs: number;
}

/** Checks an Originate as Asterisk does, then starts its call. Throws Asterisk's errors. */
export function startCall(pbx: PbxCore, originate: AmiMessage, async: boolean): Call {
  const channel = originate.get("Channel")?.trim() ?? "";
  if (channel === "") throw new Error("Channel not specified");
  const priority = originate.get("Priority")?.trim() ?? "";
  if (priority !== "" && !/^\d+$/.test(priority)) throw new Error("Invalid priority");
  const timeout = originate.get("Timeout")?.trim() ?? "";
  if (timeout !== "" && !/^\d+$/.test(timeout)) throw new Error("Invalid timeout");
  if (!channel.includes("/")) throw new Error("Invalid channel");
  if ((originate.get("Application")?.trim() ?? "") === "") {
    const exten = originate.get("Exten")?.trim() ?? "";
    const context = originate.get("Context")?.trim() ?? "";
    if (exten === "" || context === "" || priority === "") {
      throw new Error("Originate with 'Exten' requires 'Context' and 'Priority'");
    }
  }
  if (!pbx.knows(channel.slice(0, channel.indexOf("/"))) && !async) {
    throw new Error("Originate failed");
  }
  if (pbx.signal.aborted) throw new Error("The simulated PBX is closed");
  const call = new Call(originate, async);
  pbx.calls.add(call);
  pbx.callsProcessed++;
  // The flow starts after the response is queued, as Asterisk's originate thread does.
  void Promise.resolve().then(() => runCall(pbx, call)).catch(() => {}).finally(() =>
    pbx.endCall(call)
  );
  return call;
}

function planOf(originate: AmiMessage): Plan {
  return {
    dialString: originate.get("Channel")!.trim(),
    application: originate.get("Application")?.trim() ?? "",
    data: originate.get("Data") ?? "",
    context: originate.get("Context")?.trim() ?? "",
    exten: originate.get("Exten")?.trim() ?? "",
    priority: Number(originate.get("Priority")?.trim() || "1"),
    timeoutMs: Number(originate.get("Timeout")?.trim() || "30000"),
  };
}

async function runCall(pbx: PbxCore, call: Call): Promise<void> {
  const plan = planOf(call.originate);
  const tech = plan.dialString.slice(0, plan.dialString.indexOf("/"));
  if (!pbx.knows(tech)) {
    originateResponse(pbx, call, plan.dialString, undefined, 0);
    return;
  }
  const caller = await dialOriginated(pbx, call, plan);
  if (caller === undefined) return;
  if (plan.application !== "") await runApplication(pbx, call, plan, caller);
  else await followDialplan(pbx, call, plan, caller);
}

/** Phase 1: creates and dials the originated channel. Returns it once it answered. */
async function dialOriginated(pbx: PbxCore, call: Call, plan: Plan): Promise<Channel | undefined> {
  const { dialString } = plan;
  const a = createLeg(
    pbx,
    call,
    dialString,
    undefined,
    plan.context || "default",
    plan.exten || "s",
  );
  call.a = a;
  const caller = a.outer;
  pbx.newexten(caller, "AppDial2", "(Outgoing Line)");
  const variables = originateVariables(call.originate);
  const account = call.originate.get("Account")?.trim() ?? "";
  const callerIdHeader = call.originate.get("CallerID");
  const callerId = callerIdHeader === undefined ? undefined : parseCallerId(callerIdHeader);
  for (const [name, value] of [...variables].reverse()) pbx.setVariable(caller, name, value);
  applyOriginateIdentity(pbx, caller, account, callerId);
  if (a.inner !== undefined) identifyLocalHalf(pbx, a, variables, account, callerId);
  pbx.event("DialBegin", "call", [
    ...pbx.snapshot(caller, "Dest"),
    ["DialString", dialString.slice(dialString.indexOf("/") + 1)],
  ]);
  const failure = await ring(pbx, call, a, undefined, pbx.outcome(dialString), plan.timeoutMs);
  if (failure !== undefined) {
    failOriginate(pbx, call, a, failure);
    return undefined;
  }
  answer(pbx, a, undefined);
  return caller;
}

/** The Originate's `Variable` headers, as name and value pairs. */
function originateVariables(originate: AmiMessage): (readonly [string, string])[] {
  return originate.getAll("Variable").flatMap((v) => v.split(",")).map((v) => {
    const equals = v.indexOf("=");
    return equals < 0
      ? [v.trim(), ""] as const
      : [v.slice(0, equals).trim(), v.slice(equals + 1)] as const;
  }).filter(([name]) => name !== "");
}

function inUse(pbx: PbxCore, leg: Leg): void {
  for (const channel of [leg.outer, leg.inner]) {
    if (channel !== undefined) pbx.deviceState(channel, "INUSE");
  }
}

/** Phase 2a: the answered channel runs the Originate's application until it returns. */
async function runApplication(pbx: PbxCore, call: Call, plan: Plan, caller: Channel) {
  originateResponse(pbx, call, plan.dialString, caller, 4);
  inUse(pbx, call.a!);
  pbx.newexten(caller, plan.application, plan.data);
  if (plan.application.toLowerCase() === "queue") {
    return await runQueue(pbx, call, caller, plan.data);
  }
  const ended = await pbx.wait(call, pbx.duration(call.originate));
  if (ended) applicationEnded(pbx, call);
  else teardown(pbx, call, undefined);
}

/** Phase 2b: the answered channel enters the dialplan, which may dial a second channel. */
async function followDialplan(pbx: PbxCore, call: Call, plan: Plan, caller: Channel) {
  const { context, exten } = plan;
  caller.context = context;
  caller.exten = exten;
  caller.priority = plan.priority;
  const next = (pbx.options.dialplan ?? ((_, e) => `PJSIP/${e}`))(context, exten) ?? "";
  pbx.newexten(caller, next === "" ? "Wait" : "Dial", next);
  originateResponse(pbx, call, plan.dialString, caller, 4);
  inUse(pbx, call.a!);
  if (next === "" || !next.includes("/")) {
    const ended = await pbx.wait(call, pbx.duration(call.originate));
    teardown(pbx, call, ended ? caller : undefined);
    return;
  }
  for (const name of ["DIALSTATUS", "DIALEDPEERNUMBER", "DIALEDPEERNAME"]) {
    pbx.setVariable(caller, name, "");
  }
  if (!pbx.knows(next.slice(0, next.indexOf("/")))) {
    pbx.setVariable(caller, "DIALSTATUS", "CHANUNAVAIL");
    teardown(pbx, call, caller);
    return;
  }
  const b = await dialTarget(pbx, call, plan, caller, next);
  if (b === undefined) return;
  bridgeLegs(pbx, call, b.outer, caller);
  const far = await dialOnAndOptimise(pbx, call, b);
  if (far !== undefined) call.b = far;
  const ended = await pbx.wait(call, pbx.duration(call.originate));
  // At the end of the call the far end hangs up first, as in the recordings.
  const farEnd = call.b!;
  teardown(pbx, call, ended ? (farEnd.inner ?? farEnd.outer) : undefined);
}

/** Phase 3: dials what the dialplan leads to. Returns its leg once it answered. */
async function dialTarget(
  pbx: PbxCore,
  call: Call,
  plan: Plan,
  caller: Channel,
  next: string,
): Promise<Leg | undefined> {
  const b = createLeg(pbx, call, next, caller, plan.context, plan.exten);
  call.b = b;
  if (b.inner !== undefined) localBridge(pbx, b);
  pbx.event("DialBegin", "call", [
    ...pbx.snapshot(caller),
    ...pbx.snapshot(b.outer, "Dest"),
    ["DialString", next.slice(next.indexOf("/") + 1)],
  ]);
  const failure = await ring(pbx, call, b, caller, pbx.outcome(next), plan.timeoutMs);
  if (failure !== undefined) {
    failDial(pbx, call, b, caller, failure);
    return undefined;
  }
  answer(pbx, b, caller);
  return b;
}
