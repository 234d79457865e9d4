/**
 * The AMI actions the simulated PBX answers about its channels: `Originate`,
 * `Hangup`, `CoreShowChannels`, `Status`, `GetVar` and `Setvar`.
 *
 * @module
 */

import { AmiMessage } from "../../wire/message.ts";
import { type AmiTestEventList, type AmiTestFields, eventList } from "../replies.ts";
import { startCall } from "./call_flow.ts";
import type { Channel } from "./channel.ts";
import { isTrue, type PbxCore } from "./core.ts";
import { evaluate } from "./dialplan_functions.ts";

/** `Originate`: queued at once with `Async`, else answered once the channel answered. */
export async function originateAction(pbx: PbxCore, action: AmiMessage): Promise<AmiTestFields> {
  const async = isTrue(action.get("Async"));
  const call = startCall(pbx, action, async);
  if (!async) {
    const result = await call.result;
    if (!result.success) throw new Error("Originate failed");
  }
  return { Message: "Originate successfully queued" };
}

/** `Hangup`: one channel by name, or every channel matching `/regex/`. */
export function hangupAction(pbx: PbxCore, action: AmiMessage): AmiTestFields {
  const name = action.get("Channel")?.trim() ?? "";
  if (name === "") throw new Error("No channel specified");
  const cause = Number.parseInt(action.get("Cause") ?? "", 10);
  const hangupCause = Number.isFinite(cause) && cause > 0 ? cause : 16;
  if (name.length > 2 && name.startsWith("/") && name.endsWith("/")) {
    const pattern = new RegExp(name.slice(1, -1));
    const names = pbx.channels.filter((c) => pattern.test(c.name)).map((c) => c.name);
    let count = 0;
    for (const channel of names) if (pbx.requestHangup(channel, hangupCause)) count++;
    return { Message: `${count} channels hung up.` };
  }
  if (!pbx.requestHangup(name, hangupCause)) throw new Error("No such channel");
  return { Message: "Channel Hungup" };
}

/** `CoreShowChannels`: one `CoreShowChannel` per channel. */
export function coreShowChannels(pbx: PbxCore): AmiTestEventList {
  const now = Date.now();
  const items = pbx.channels.map((channel) =>
    new AmiMessage([
      ["Event", "CoreShowChannel"],
      ...pbx.snapshot(channel),
      ["Application", channel.application],
      ["ApplicationData", channel.applicationData],
      ["Duration", channel.duration(now)],
      ["BridgeId", channel.bridge?.uniqueid ?? ""],
    ])
  );
  return eventList(items, {
    message: "Channels will follow",
    completeEvent: "CoreShowChannelsComplete",
  });
}

/** `Status`: one channel, or all, with the variables asked for. */
export function statusAction(pbx: PbxCore, action: AmiMessage): AmiTestEventList {
  const name = action.get("Channel")?.trim() ?? "";
  const channels = name === "" ? pbx.channels : [pbx.channelNamed(name)!];
  const wanted = (action.get("Variables") ?? "").split(",").map((v) => v.trim())
    .filter((v) => v !== "");
  const all = isTrue(action.get("AllVariables"));
  const now = Date.now();
  const items = channels.map((channel) => statusEvent(pbx, channel, now, all ? undefined : wanted));
  return eventList(items, {
    message: "Channel status will follow",
    completeEvent: "StatusComplete",
    completeFields: { Items: items.length },
  });
}

/** One `Status` event; `wanted` names the variables, `undefined` asks for all. */
function statusEvent(
  pbx: PbxCore,
  channel: Channel,
  now: number,
  wanted: readonly string[] | undefined,
): AmiMessage {
  const pairs: [string, string][] = [
    ["Event", "Status"],
    ["Privilege", "Call"],
    ...pbx.snapshot(channel),
    ["Type", channel.name.split("/")[0] ?? ""],
    ["DNID", ""],
    ["EffectiveConnectedLineNum", channel.connectedNum || "<unknown>"],
    ["EffectiveConnectedLineName", channel.connectedName || "<unknown>"],
    ["TimeToHangup", "0"],
    ["BridgeID", channel.bridge?.uniqueid ?? ""],
    ["Application", channel.application],
    ["Data", channel.applicationData],
    ["Nativeformats", "(ulaw)"],
    ["Readformat", "ulaw"],
    ["Readtrans", ""],
    ["Writeformat", "ulaw"],
    ["Writetrans", ""],
    ["Callgroup", "0"],
    ["Pickupgroup", "0"],
    ["Seconds", String(channel.seconds(now))],
  ];
  if (wanted === undefined) {
    for (const [key, value] of channel.variables) pairs.push(["Variable", `${key}=${value}`]);
  } else {
    for (const key of wanted) {
      pairs.push(["Variable", `${key}=${channel.variables.get(key) ?? "(null)"}`]);
    }
  }
  // The ActionID comes last in Status events.
  pairs.push(["ActionID", ""]);
  return new AmiMessage(pairs);
}

/** `GetVar`: a channel or global variable, or a dialplan function. */
export function getVarAction(pbx: PbxCore, action: AmiMessage): AmiTestFields {
  const variable = action.get("Variable")?.trim() ?? "";
  if (variable === "") throw new Error("No variable specified");
  const channel = pbx.channelNamed(action.get("Channel"));
  const scope = {
    channel,
    globals: pbx.globals,
    deviceState: (device: string) => pbx.devices.get(device),
  };
  return { Variable: variable, Value: evaluate(variable, scope) };
}

/** `Setvar`: on a channel (with `VarSet`), a global variable, or `DEVICE_STATE(device)`. */
export function setVarAction(pbx: PbxCore, action: AmiMessage): AmiTestFields {
  const variable = action.get("Variable")?.trim() ?? "";
  if (variable === "") throw new Error("No variable specified");
  const value = (action.get("Value") ?? "").trimStart();
  const channel = pbx.channelNamed(action.get("Channel"));
  const [, fn, argument] = /^(GLOBAL|DEVICE_STATE)\((.+)\)$/i.exec(variable) ?? [];
  if (fn?.toUpperCase() === "GLOBAL") pbx.globals.set(argument!, value);
  else if (fn !== undefined) pbx.setDeviceState(argument!, value.toUpperCase());
  else if (channel === undefined) pbx.globals.set(variable, value);
  else pbx.setVariable(channel, variable, value);
  return { Message: "Variable Set" };
}
