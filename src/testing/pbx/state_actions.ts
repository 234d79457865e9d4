/**
 * The lists the simulated PBX answers about its state beyond channels:
 * bridges (`BridgeList`, `BridgeInfo`), device states and hints
 * (`DeviceStateList`, `ExtensionStateList`, `ExtensionState`), and PJSIP
 * endpoints (`PJSIPShowEndpoints`). Field sets follow the recordings
 * `13-devicestate` and `15-bridgelist`.
 *
 * @module
 */

import { AmiMessage } from "../../wire/message.ts";
import { type AmiTestEventList, type AmiTestFields, eventList } from "../replies.ts";
import { bridgeFields } from "./channel.ts";
import type { PbxCore } from "./core.ts";

/** `BridgeList`: one `BridgeListItem` per bridge, of the `BridgeType` asked for. */
export function bridgeListAction(pbx: PbxCore, action: AmiMessage): AmiTestEventList {
  const type = action.get("BridgeType")?.trim() ?? "";
  const items = [...pbx.bridges.values()]
    .filter(() => type === "" || type.toLowerCase() === "basic")
    .map((bridge) => new AmiMessage([["Event", "BridgeListItem"], ...bridgeFields(bridge)]));
  return eventList(items, {
    message: "Bridge listing will follow",
    completeEvent: "BridgeListComplete",
  });
}

/** `BridgeInfo`: the channels of one bridge, then the bridge in the complete event. */
export function bridgeInfoAction(pbx: PbxCore, action: AmiMessage): AmiTestEventList {
  const id = action.get("BridgeUniqueid")?.trim() ?? "";
  if (id === "") throw new Error("BridgeUniqueid must be provided");
  const bridge = pbx.bridges.get(id);
  if (bridge === undefined) throw new Error("Specified BridgeUniqueid not found");
  const items = bridge.members.map((channel) =>
    new AmiMessage([["Event", "BridgeInfoChannel"], ...pbx.snapshot(channel)])
  );
  return eventList(items, {
    message: "Bridge channel listing will follow",
    completeEvent: "BridgeInfoComplete",
    completeFields: Object.fromEntries(bridgeFields(bridge)),
  });
}

/** `DeviceStateList`: one `DeviceStateChange` per device with a known state. */
export function deviceStateListAction(pbx: PbxCore): AmiTestEventList {
  const items = pbx.devices.devices.map(([device, state]) =>
    new AmiMessage([["Event", "DeviceStateChange"], ["Device", device], ["State", state]])
  );
  return eventList(items, {
    message: "Device State Changes will follow",
    completeEvent: "DeviceStateListComplete",
  });
}

/** `ExtensionStateList`: one `ExtensionStatus` per hint. */
export function extensionStateListAction(pbx: PbxCore): AmiTestEventList {
  const items = pbx.devices.hints.map((hint) =>
    new AmiMessage([["Event", "ExtensionStatus"], ...pbx.devices.hintFields(hint)])
  );
  return eventList(items, {
    message: "Extension Statuses will follow",
    completeEvent: "ExtensionStateListComplete",
  });
}

/** `ExtensionState`: the status of one hint; `-1` for an extension without one. */
export function extensionStateAction(pbx: PbxCore, action: AmiMessage): AmiTestFields {
  const exten = action.get("Exten")?.trim() ?? "";
  const context = action.get("Context")?.trim() || "default";
  const hint = pbx.devices.hint(exten, context);
  if (hint === undefined) {
    return {
      Message: "Extension Status",
      Exten: exten,
      Context: context,
      Hint: "",
      Status: "-1",
      StatusText: "Unknown",
    };
  }
  return { Message: "Extension Status", ...Object.fromEntries(pbx.devices.hintFields(hint)) };
}

/** A device state as PJSIP writes it in `EndpointList`. */
const PJSIP_DEVICE_STATE: Readonly<Record<string, string>> = {
  NOT_INUSE: "Not in use",
  INUSE: "In use",
  BUSY: "Busy",
  INVALID: "Invalid",
  UNAVAILABLE: "Unavailable",
  RINGING: "Ringing",
  RINGINUSE: "Ring+Inuse",
  ONHOLD: "On Hold",
};

/** `PJSIPShowEndpoints`: one `EndpointList` per endpoint. */
export function pjsipShowEndpointsAction(pbx: PbxCore): AmiTestEventList {
  const endpoints = pbx.options.endpoints ?? ["100", "101", "102", "103", "104", "105"];
  const items = endpoints.map((name) => {
    const device = `PJSIP/${name}`;
    const active = pbx.channels.filter((c) => c.device === device).length;
    return new AmiMessage([
      ["Event", "EndpointList"],
      ["ObjectType", "endpoint"],
      ["ObjectName", name],
      ["Transport", "transport-udp"],
      ["Aor", name],
      ["Auths", name],
      ["OutboundAuths", ""],
      ["Contacts", `${name}/sip:${name}@127.0.0.1:5060,`],
      ["DeviceState", PJSIP_DEVICE_STATE[pbx.devices.get(device)] ?? "Not in use"],
      ["ActiveChannels", String(active)],
    ]);
  });
  return eventList(items, {
    message: "A listing of Endpoints follows, presented as EndpointList events",
    completeEvent: "EndpointListComplete",
  });
}
