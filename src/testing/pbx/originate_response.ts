/**
 * The end of an Originate: the call's result settles, and an `Async`
 * Originate's `OriginateResponse` event is raised with its ActionID.
 *
 * @module
 */

import type { Call } from "./call.ts";
import type { Channel } from "./channel.ts";
import type { PbxCore } from "./core.ts";

/**
 * Settles the call's result: answered when `channel` is given, with the
 * `OriginateResponse` reason. Raises `OriginateResponse` for an `Async` one.
 */
export function originateResponse(
  pbx: PbxCore,
  call: Call,
  dialString: string,
  channel: Channel | undefined,
  reason: number,
): void {
  const success = channel !== undefined;
  call.settle({ success, reason, channel: channel?.name, uniqueid: channel?.uniqueid });
  if (!call.async) return;
  const pairs: [string, string][] = [];
  const actionId = call.actionId;
  if (actionId !== undefined) pairs.push(["ActionID", actionId]);
  pairs.push(
    ["Response", success ? "Success" : "Failure"],
    ["Channel", channel?.name ?? dialString],
    ...originateTarget(call),
    ["Reason", String(reason)],
    ["Uniqueid", channel?.uniqueid ?? "<unknown>"],
    ["CallerIDNum", channel?.callerIdNum || "<unknown>"],
    ["CallerIDName", channel?.callerIdName || "<unknown>"],
  );
  if (channel !== undefined) {
    for (const name of pbx.channelVariables) {
      pairs.push([`ChanVariable(${channel.name})`, `${name}=${channel.variables.get(name) ?? ""}`]);
    }
  }
  pbx.event("OriginateResponse", "call", pairs);
}

/** Where the Originate sent its channel: the application, or the context and extension. */
function originateTarget(call: Call): [string, string][] {
  const originate = call.originate;
  const application = originate.get("Application")?.trim() ?? "";
  if (application !== "") {
    return [["Application", application], ["Data", originate.get("Data") ?? ""]];
  }
  return [
    ["Context", originate.get("Context")?.trim() ?? ""],
    ["Exten", originate.get("Exten")?.trim() ?? ""],
  ];
}
