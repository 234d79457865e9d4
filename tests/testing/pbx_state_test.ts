/**
 * The simulated PBX's state lists beyond channels: device states, hints,
 * bridges, the core status and PJSIP endpoints, compared with the
 * recordings `13-devicestate`, `15-bridgelist` and `07-permission-denied`.
 */

import assert from "node:assert/strict";
import { type AmiMessage, SimulatedPbx } from "../../testing.ts";
import {
  eventsUntil,
  firstNamed,
  keysOf,
  pbxClient,
  recordedFrames,
  sendAction,
  sendList,
} from "../support/pbx_session.ts";

Deno.test("device states and hints answer the recorded lists, and a change raises ExtensionStatus first", async () => {
  const recorded = await recordedFrames("13-devicestate");
  await using pbx = new SimulatedPbx({
    systemName: "amitest",
    hints: { "1000@ami-test": "Custom:lamp1" },
  });
  const client = await pbxClient(pbx);
  await sendAction(client, {
    Action: "Setvar",
    Variable: "DEVICE_STATE(Custom:lamp1)",
    Value: "inuse",
  });
  const changed = await eventsUntil(client, "DeviceStateChange");
  assert.deepEqual(changed.map((m) => m.name), ["ExtensionStatus", "DeviceStateChange"]);
  const recordedLive = recorded.filter((m) => m.kind === "event" && m.has("Privilege"));
  for (const event of changed) {
    assert.deepEqual(keysOf(event), keysOf(firstNamed(recordedLive, event.name)), event.name);
  }
  assert.equal(changed[0]!.get("StatusText"), "InUse");
  assert.equal(changed[1]!.get("State"), "INUSE");

  const devices = await sendList(client, { Action: "DeviceStateList" });
  assert.equal(devices.response.get("Message"), "Device State Changes will follow");
  assert.deepEqual(devices.items.map((m) => [m.get("Device"), m.get("State")]), [[
    "Custom:lamp1",
    "INUSE",
  ]]);
  assert.deepEqual(keysOf(devices.items[0]!), keysOf(firstNamed(recorded, "DeviceStateChange")));
  assert.deepEqual(
    keysOf(devices.complete),
    keysOf(firstNamed(recorded, "DeviceStateListComplete")),
  );

  const hints = await sendList(client, { Action: "ExtensionStateList" });
  assert.equal(hints.response.get("Message"), "Extension Statuses will follow");
  assert.deepEqual(keysOf(hints.items[0]!), keysOf(firstNamed(recorded, "ExtensionStatus")));
  assert.equal(hints.items[0]!.get("Status"), "1");

  const one = await sendAction(client, {
    Action: "ExtensionState",
    Exten: "1000",
    Context: "ami-test",
  });
  const recordedOne = recorded.find((m) => m.actionId === "extensionstate-4")!;
  assert.deepEqual(keysOf(one), keysOf(recordedOne));
  assert.equal(one.get("Hint"), "Custom:lamp1");
  const read = await sendAction(client, {
    Action: "GetVar",
    Variable: "DEVICE_STATE(Custom:lamp1)",
  });
  assert.equal(read.get("Value"), "INUSE");
  await client.close();
});

Deno.test("a call's devices go in use and back, and a hint on them follows", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: 5, hints: { "200@default": "PJSIP/200" } });
  const client = await pbxClient(pbx);
  await sendAction(client, {
    Action: "Originate",
    Channel: "PJSIP/100",
    Context: "default",
    Exten: "200",
    Priority: "1",
    Async: "true",
  });
  await pbx.waitForIdle();
  const events = await eventsUntil(client, "Cdr");
  const statuses: AmiMessage[] = [
    ...events,
    ...(await sendList(client, { Action: "ExtensionStateList" })).others,
  ]
    .filter((m) => m.name === "ExtensionStatus");
  assert.deepEqual(statuses.map((m) => m.get("StatusText")), ["InUse", "Idle"]);
  assert.equal(pbx.deviceState("PJSIP/200"), "NOT_INUSE");
  assert.equal(pbx.deviceState("PJSIP/100"), "NOT_INUSE");
  await client.close();
});

Deno.test("BridgeList and BridgeInfo answer with the recorded fields while a call is bridged", async () => {
  const recorded = await recordedFrames("15-bridgelist");
  await using pbx = new SimulatedPbx({
    callDurationMs: Infinity,
    channelVariables: ["AMITEST_TAG", "AMITEST_UNSET"],
  });
  const client = await pbxClient(pbx, "off");
  await pbx.originate({ Channel: "PJSIP/100", Context: "default", Exten: "200", Priority: 1 });
  while (pbx.channels.some((c) => c.bridgeId === undefined)) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const list = await sendList(client, { Action: "BridgeList" });
  assert.equal(list.response.get("Message"), "Bridge listing will follow");
  assert.equal(list.items.length, 1);
  assert.deepEqual(keysOf(list.items[0]!), keysOf(firstNamed(recorded, "BridgeListItem")));
  assert.deepEqual(keysOf(list.complete), keysOf(firstNamed(recorded, "BridgeListComplete")));
  const id = list.items[0]!.get("BridgeUniqueid")!;
  assert.equal(id, pbx.channels[0]!.bridgeId);
  assert.equal(list.items[0]!.get("BridgeNumChannels"), "2");
  const none = await sendList(client, { Action: "BridgeList", BridgeType: "holding" });
  assert.equal(none.items.length, 0);

  const info = await sendList(client, { Action: "BridgeInfo", BridgeUniqueid: id });
  assert.equal(info.response.get("Message"), "Bridge channel listing will follow");
  assert.deepEqual(
    info.items.map((m) => m.get("Channel")).sort(),
    pbx.channels.map((c) => c.name).sort(),
  );
  assert.deepEqual(keysOf(info.items[0]!), keysOf(firstNamed(recorded, "BridgeInfoChannel")));
  assert.deepEqual(keysOf(info.complete), keysOf(firstNamed(recorded, "BridgeInfoComplete")));
  const missing = await sendAction(client, { Action: "BridgeInfo", BridgeUniqueid: "nope" });
  assert.equal(missing.get("Message"), "Specified BridgeUniqueid not found");
  for (const channel of pbx.channels) pbx.hangup(channel.name);
  await pbx.waitForIdle();
  assert.equal((await sendList(client, { Action: "BridgeList" })).items.length, 0);
  await client.close();
});

Deno.test("CoreStatus, core show uptime, core show version and PJSIPShowEndpoints answer", async () => {
  const recorded = await recordedFrames("07-permission-denied");
  await using pbx = new SimulatedPbx({ endpoints: ["100", "201"] });
  const client = await pbxClient(pbx, "off");
  const status = await sendAction(client, { Action: "CoreStatus" });
  assert.deepEqual(keysOf(status), keysOf(recorded.find((m) => m.has("CoreStartupDate"))!));
  assert.match(status.get("CoreStartupTime")!, /^\d\d:\d\d:\d\d$/);
  const uptime = await sendAction(client, { Action: "Command", Command: "core show uptime" });
  assert.match(uptime.getAll("Output")[0]!, /^System uptime: \d+ seconds?$/);
  const version = await sendAction(client, { Action: "Command", Command: "core show version" });
  assert.match(version.get("Output")!, /^Asterisk 23/);
  const endpoints = await sendList(client, { Action: "PJSIPShowEndpoints" });
  assert.deepEqual(endpoints.items.map((m) => m.get("ObjectName")), ["100", "201"]);
  assert.deepEqual(keysOf(endpoints.items[0]!), [
    "Event",
    "ActionID",
    "ObjectType",
    "ObjectName",
    "Transport",
    "Aor",
    "Auths",
    "OutboundAuths",
    "Contacts",
    "DeviceState",
    "ActiveChannels",
  ]);
  assert.equal(endpoints.complete.name, "EndpointListComplete");
  const trunk = await sendAction(client, {
    Action: "Setvar",
    Variable: "GLOBAL(TRUNK)",
    Value: "PJSIP/t",
  });
  assert.equal(trunk.get("Response"), "Success");
  const read = await sendAction(client, { Action: "Getvar", Variable: "GLOBAL(TRUNK)" });
  assert.equal(read.get("Value"), "PJSIP/t");
  await client.close();
});
