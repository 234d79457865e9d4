/**
 * The simulated PBX of `@x/ami/testing`: its call flows are compared with
 * the recordings of a real Asterisk, and its channel actions with the calls
 * that are up.
 */

import assert from "node:assert/strict";
import { type AmiMessage, SimulatedPbx, type SimulatedPbxOptions } from "../../testing.ts";
import { AmiFrameParser } from "../../src/wire/parser.ts";
import { keysOf, pbxClient } from "../support/pbx_session.ts";
import { RawAmiClient } from "../support/raw_ami_client.ts";

const FIXTURES = new URL("../fixtures/asterisk-23/", import.meta.url);

/** Events that make up a call's flow; dialplan noise (VarSet, Newexten) varies with the dialplan. */
const CALL_FLOW = new Set([
  "Newchannel",
  "Newstate",
  "LocalBridge",
  "DialBegin",
  "DialState",
  "DialEnd",
  "OriginateResponse",
  "BridgeCreate",
  "BridgeEnter",
  "BridgeLeave",
  "BridgeDestroy",
  "SoftHangupRequest",
  "HangupRequest",
  "Hangup",
]);

/** The recording's settings, so that events carry the same fields. */
const AS_RECORDED: SimulatedPbxOptions = {
  systemName: "amitest",
  channelVariables: ["AMITEST_TAG", "AMITEST_UNSET"],
  dialplan: () => "Local/callee@ami-test",
  outcomes: { "Local/busy@ami-test": "busy" },
};

async function recording(name: string): Promise<{ server: AmiMessage[]; actions: string[] }> {
  const server = AmiFrameParser.parseAll(
    await Deno.readFile(new URL(`${name}.server.raw`, FIXTURES)),
  );
  const client = new TextDecoder().decode(
    await Deno.readFile(new URL(`${name}.client.raw`, FIXTURES)),
  );
  const actions = client.split("\r\n\r\n").filter((block) => block !== "").map((b) =>
    b + "\r\n\r\n"
  );
  return { server, actions };
}

/** The frames from the response to `actionId` up to the next response. */
function framesAfter(messages: readonly AmiMessage[], actionId: string): AmiMessage[] {
  const start = messages.findIndex((m) => m.kind === "response" && m.actionId === actionId);
  assert.ok(start >= 0, `no response to ${actionId}`);
  const end = messages.findIndex((m, i) => i > start && m.kind === "response");
  return messages.slice(start + 1, end < 0 ? undefined : end);
}

/** An event as `Name Channel` (or its DestChannel), to compare flows. */
function step(message: AmiMessage): string {
  const channel = message.get("Channel") ?? message.get("DestChannel") ?? "";
  const status = message.get("DialStatus") ?? message.get("Response") ?? "";
  return `${message.name} ${channel} ${status}`.trim();
}

/** Waits until a call's two channels have entered their bridge. */
async function untilBridged(client: RawAmiClient): Promise<void> {
  await client.until((m) => m.name === "BridgeEnter");
  await client.until((m) => m.name === "BridgeEnter");
}

/** Sends a Ping and returns everything received before its answer. */
async function drain(client: RawAmiClient, id = "drain"): Promise<AmiMessage[]> {
  await client.write(`Action: Ping\r\nActionID: ${id}\r\n\r\n`);
  const frames: AmiMessage[] = [];
  while (true) {
    const message = await client.next();
    if (message.actionId === id && message.kind === "response") return frames;
    frames.push(message);
  }
}

Deno.test("an async Originate raises the recorded call flow, in order, with the recorded fields", async () => {
  const recorded = await recording("16-originate-async");
  await using pbx = new SimulatedPbx({ ...AS_RECORDED, callDurationMs: 1 });
  const client = await pbxClient(pbx);
  await client.write(recorded.actions[1]!);
  await pbx.waitForIdle();
  const mine = (await drain(client)).filter((m) => m.kind === "event");
  assert.deepEqual(
    mine.filter((m) => CALL_FLOW.has(m.name)).map(step),
    framesAfter(recorded.server, "originate-2").filter((m) => CALL_FLOW.has(m.name)).map(step),
  );
  // Every kind of event the PBX raised has the recording's fields, in its order.
  const kinds = new Set(mine.map((m) => m.name));
  assert.ok(kinds.has("VarSet") && kinds.has("Newexten") && kinds.has("Cdr"));
  for (const name of kinds) {
    const real = recorded.server.find((m) => m.name === name && m.kind === "event");
    assert.ok(real !== undefined, `${name} is not in the recording`);
    assert.deepEqual(keysOf(mine.find((m) => m.name === name)!), keysOf(real), name);
  }
  await client.close();
});

Deno.test("an async Originate to a busy channel fails as recorded", async () => {
  const recorded = await recording("17-originate-failure");
  await using pbx = new SimulatedPbx(AS_RECORDED);
  const client = await pbxClient(pbx);
  await client.write(recorded.actions[1]!);
  assert.equal((await client.next()).get("Message"), "Originate successfully queued");
  await pbx.waitForIdle();
  const mine = await drain(client);
  const expected = framesAfter(recorded.server, "originate-2");
  assert.deepEqual(
    mine.filter((m) => CALL_FLOW.has(m.name) || m.name === "Cdr").map(step),
    expected.filter((m) => CALL_FLOW.has(m.name) || m.name === "Cdr").map(step),
  );
  const response = mine.find((m) => m.name === "OriginateResponse")!;
  const real = expected.find((m) => m.name === "OriginateResponse")!;
  assert.deepEqual(
    response.fields().filter(([key]) => key !== "Timestamp"),
    real.fields().filter(([key]) => key !== "Timestamp"),
  );
  const hangups = mine.filter((m) => m.name === "Hangup");
  assert.deepEqual(hangups.map((m) => [m.get("Cause"), m.get("Cause-txt")]), [
    ["17", "User busy"],
    ["0", "Unknown"],
  ]);
  assert.deepEqual(mine.filter((m) => m.name === "Cdr").map((m) => m.get("Disposition")), [
    "BUSY",
    "BUSY",
  ]);
  await client.close();
});

Deno.test("a synchronous Originate answers after the channel is up, events following", async () => {
  const recorded = await recording("17-originate-failure");
  await using pbx = new SimulatedPbx({ ...AS_RECORDED, callDurationMs: Infinity });
  const client = await pbxClient(pbx);
  // The busy call first, as recorded, so that channel numbers match.
  await client.write(recorded.actions[1]!);
  await client.next();
  await pbx.waitForIdle();
  await drain(client, "busy");
  await client.write(recorded.actions[2]!);
  const response = await client.next();
  assert.deepEqual(response.fields(), [
    ["Response", "Success"],
    ["ActionID", "originate-3"],
    ["Message", "Originate successfully queued"],
  ]);
  const mine = await drain(client);
  assert.deepEqual(
    mine.filter((m) => CALL_FLOW.has(m.name)).map(step),
    framesAfter(recorded.server, "originate-3").filter((m) => CALL_FLOW.has(m.name)).map(step),
  );
  assert.equal(mine.some((m) => m.name === "OriginateResponse"), false);
  assert.equal(pbx.channels.length, 2);
  await client.close();
});

Deno.test("a synchronous Originate that fails answers Originate failed", async () => {
  await using pbx = new SimulatedPbx({ outcomes: { "PJSIP/100": "busy" } });
  const client = new RawAmiClient(pbx.server.connect());
  await client.login();
  await client.write(
    "Action: Originate\r\nActionID: o1\r\nChannel: PJSIP/100\r\nApplication: Echo\r\n\r\n",
  );
  assert.deepEqual((await client.next()).fields(), [
    ["Response", "Error"],
    ["ActionID", "o1"],
    ["Message", "Originate failed"],
  ]);
  await client.close();
});

Deno.test("Originate checks its fields as Asterisk does", async () => {
  const recorded = await recording("17-originate-failure");
  await using pbx = new SimulatedPbx(AS_RECORDED);
  const client = new RawAmiClient(pbx.server.connect());
  await client.login();
  await client.write(recorded.actions[3]! + recorded.actions[4]!);
  const [bogus, noContext] = await client.take(2);
  assert.deepEqual(
    bogus!.fields(),
    recorded.server.find((m) => m.actionId === "originate-4")!.fields(),
  );
  assert.deepEqual(
    noContext!.fields(),
    recorded.server.find((m) => m.actionId === "originate-5")!.fields(),
  );
  await client.write(
    "Action: Originate\r\nActionID: o6\r\nApplication: Echo\r\n\r\n" +
      "Action: Originate\r\nActionID: o7\r\nChannel: nonsense\r\nApplication: Echo\r\n\r\n" +
      "Action: Originate\r\nActionID: o8\r\nChannel: PJSIP/1\r\nApplication: Echo\r\nTimeout: soon\r\n\r\n",
  );
  assert.deepEqual((await client.take(3)).map((m) => m.get("Message")), [
    "Channel not specified",
    "Invalid channel",
    "Invalid timeout",
  ]);
  assert.equal(pbx.activeCalls, 0);
  await client.close();
});

Deno.test("an async Originate to an unknown technology is queued, then fails", async () => {
  await using pbx = new SimulatedPbx();
  const client = await pbxClient(pbx);
  await client.write(
    "Action: Originate\r\nActionID: o\r\nChannel: Bogus/thing\r\nApplication: Wait\r\nData: 1\r\nAsync: yes\r\n\r\n",
  );
  assert.equal((await client.next()).get("Message"), "Originate successfully queued");
  const event = await client.next();
  assert.equal(event.name, "OriginateResponse");
  assert.equal(event.actionId, "o");
  assert.equal(event.get("Response"), "Failure");
  assert.equal(event.get("Channel"), "Bogus/thing");
  assert.equal(event.get("Reason"), "0");
  assert.equal(event.get("Uniqueid"), "<unknown>");
  await client.close();
});

Deno.test("OriginateResponse has no ActionID when the Originate had none", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
  const client = await pbxClient(pbx);
  await client.write(
    "Action: Originate\r\nChannel: PJSIP/100\r\nApplication: Echo\r\nAsync: true\r\n\r\n",
  );
  const event = await client.until((m) => m.name === "OriginateResponse");
  assert.equal(event.actionId, undefined);
  assert.deepEqual(event.fields().slice(0, 4).map(([key]) => key), [
    "Event",
    "Privilege",
    "Timestamp",
    "Response",
  ]);
  assert.equal(event.get("Channel"), "PJSIP/100-00000000");
  assert.equal(event.get("Application"), "Echo");
  assert.equal(event.get("Reason"), "4");
  await client.close();
});

Deno.test("channel names, Uniqueids and Linkedids are consistent across a call", async () => {
  await using pbx = new SimulatedPbx({ systemName: "sim", callDurationMs: 1 });
  const client = await pbxClient(pbx);
  await client.write(
    "Action: Originate\r\nActionID: o\r\nChannel: Local/100@internal\r\nContext: internal\r\n" +
      'Exten: 200\r\nPriority: 1\r\nCallerID: "Alice" <100>\r\nAsync: true\r\n\r\n',
  );
  await pbx.waitForIdle();
  const events = await drain(client);
  const created = events.filter((m) => m.name === "Newchannel");
  assert.deepEqual(created.map((m) => m.get("Channel")), [
    "Local/100@internal-00000000;1",
    "Local/100@internal-00000000;2",
    "PJSIP/200-00000001",
  ]);
  const uniqueids = new Map(created.map((m) => [m.get("Channel")!, m.get("Uniqueid")!]));
  assert.equal(new Set(uniqueids.values()).size, 3);
  for (const id of uniqueids.values()) assert.match(id, /^sim-\d+\.\d+$/);
  const linkedid = uniqueids.get("Local/100@internal-00000000;1");
  for (const event of events) {
    const channel = event.get("Channel");
    if (channel === undefined || !uniqueids.has(channel) || !event.has("Linkedid")) continue;
    assert.equal(event.get("Uniqueid"), uniqueids.get(channel), `${event.name} ${channel}`);
    assert.equal(event.get("Linkedid"), linkedid, `${event.name} ${channel}`);
  }
  for (const cdr of events.filter((m) => m.name === "Cdr")) {
    assert.equal(cdr.get("UniqueID"), uniqueids.get(cdr.get("Channel")!));
  }
  const bridgeIds = new Set(
    events.filter((m) => m.name.startsWith("Bridge")).map((m) => m.get("BridgeUniqueid")),
  );
  assert.equal(bridgeIds.size, 1);
  assert.deepEqual(
    events.filter((m) => m.name === "BridgeEnter").map((m) => m.get("Channel")),
    ["PJSIP/200-00000001", "Local/100@internal-00000000;1"],
  );
  const response = events.find((m) => m.name === "OriginateResponse")!;
  assert.equal(response.get("Uniqueid"), linkedid);
  assert.equal(response.get("CallerIDNum"), "100");
  assert.equal(response.get("CallerIDName"), "Alice");
  // Every channel that was created was hung up, once.
  assert.deepEqual(
    events.filter((m) => m.name === "Hangup").map((m) => m.get("Channel")).sort(),
    [...uniqueids.keys()].sort(),
  );
  await client.close();
});

Deno.test("CoreShowChannels lists exactly the channels that are up", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity, channelVariables: ["TAG"] });
  const client = await pbxClient(pbx);
  const first = await pbx.originate({
    Channel: "PJSIP/100",
    Context: "default",
    Exten: "200",
    Priority: 1,
    Variable: "TAG=one",
  });
  const second = await pbx.originate({ Channel: "Local/echo@default", Application: "Echo" });
  assert.equal(first.success && second.success, true);
  await untilBridged(client);
  await drain(client, "up");
  await client.write("Action: Events\r\nActionID: e\r\nEventMask: off\r\n\r\n");
  assert.equal((await client.next()).get("Events"), "Off");
  await client.write("Action: CoreShowChannels\r\nActionID: c\r\n\r\n");
  const start = await client.next();
  assert.equal(start.get("EventList"), "start");
  assert.equal(start.get("Message"), "Channels will follow");
  const listed: AmiMessage[] = [];
  for (
    let m = await client.next();
    m.name !== "CoreShowChannelsComplete";
    m = await client.next()
  ) {
    listed.push(m);
  }
  const complete = client.messages.at(-1)!;
  assert.equal(complete.get("ListItems"), "4");
  assert.deepEqual(listed.map((m) => m.get("Channel")), pbx.channels.map((c) => c.name));
  assert.deepEqual(listed.map((m) => m.get("Channel")), [
    "PJSIP/100-00000000",
    "PJSIP/200-00000001",
    "Local/echo@default-00000002;1",
    "Local/echo@default-00000002;2",
  ]);
  assert.ok(listed.every((m) => m.actionId === "c" && m.get("ChannelStateDesc") === "Up"));
  assert.equal(listed[0]!.get("BridgeId"), listed[1]!.get("BridgeId"));
  assert.notEqual(listed[0]!.get("BridgeId"), "");
  assert.equal(listed[2]!.get("BridgeId"), "");
  assert.equal(listed[0]!.get("Linkedid"), listed[1]!.get("Linkedid"));
  assert.equal(listed[0]!.get("Uniqueid"), first.uniqueid);
  assert.equal(listed[0]!.get("ChanVariable"), "TAG=one");
  assert.equal(listed[1]!.get("ChanVariable"), "TAG=");
  assert.equal(listed[2]!.get("Application"), "Echo");
  assert.match(listed[0]!.get("Duration")!, /^\d\d:\d\d:\d\d$/);

  await client.write("Action: Hangup\r\nActionID: h\r\nChannel: PJSIP/200-00000001\r\n\r\n");
  assert.equal((await client.next()).get("Message"), "Channel Hungup");
  assert.ok(pbx.hangup(second.channel!));
  await pbx.waitForIdle();
  await client.write("Action: CoreShowChannels\r\nActionID: c2\r\n\r\n");
  const [empty, done] = await client.take(2);
  assert.equal(empty!.get("EventList"), "start");
  assert.equal(done!.get("ListItems"), "0");
  await client.close();
});

Deno.test("Status describes every channel, one channel, or none", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
  const call = await pbx.originate({
    Channel: "PJSIP/100",
    Application: "Wait",
    Data: "60",
    Variable: ["A=1", "B=two"],
  });
  const client = new RawAmiClient(pbx.server.connect());
  await client.login();
  await client.write(
    "Action: Status\r\nActionID: s1\r\n\r\n" +
      `Action: Status\r\nActionID: s2\r\nChannel: ${call.channel}\r\nVariables: A,NOPE\r\n\r\n` +
      `Action: Status\r\nActionID: s3\r\nChannel: ${call.channel}\r\nAllVariables: true\r\n\r\n` +
      "Action: Status\r\nActionID: s4\r\nChannel: PJSIP/nobody-00000009\r\n\r\n",
  );
  const [start, status, complete] = await client.take(3);
  assert.equal(start!.get("Message"), "Channel status will follow");
  assert.equal(status!.name, "Status");
  assert.equal(status!.get("Privilege"), "Call");
  assert.equal(status!.get("Channel"), call.channel);
  assert.equal(status!.get("Uniqueid"), call.uniqueid);
  assert.equal(status!.get("Application"), "Wait");
  assert.equal(status!.get("Data"), "60");
  assert.equal(status!.fields().at(-1)![0], "ActionID");
  assert.deepEqual(complete!.fields().slice(0, 5), [
    ["Event", "StatusComplete"],
    ["ActionID", "s1"],
    ["EventList", "Complete"],
    ["ListItems", "1"],
    ["Items", "1"],
  ]);
  const [, withVariables] = await client.take(3);
  assert.deepEqual(withVariables!.getAll("Variable"), ["A=1", "NOPE=(null)"]);
  const [, allVariables] = await client.take(3);
  assert.deepEqual(allVariables!.getAll("Variable"), ["B=two", "A=1"]);
  assert.deepEqual((await client.next()).fields(), [
    ["Response", "Error"],
    ["ActionID", "s4"],
    ["Message", "No such channel"],
  ]);
  await client.close();
});

Deno.test("the Hangup action ends the whole call with the given cause", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
  const client = await pbxClient(pbx);
  const call = await pbx.originate({
    Channel: "PJSIP/100",
    Context: "default",
    Exten: "200",
    Priority: "1",
  });
  await untilBridged(client);
  await drain(client, "before");
  await client.write(
    `Action: Hangup\r\nActionID: h\r\nChannel: ${call.channel}\r\nCause: 21\r\n\r\n` +
      "Action: Hangup\r\nActionID: h2\r\nChannel: PJSIP/none-0000000f\r\n\r\n" +
      "Action: Hangup\r\nActionID: h3\r\n\r\n",
  );
  const answer = await client.next();
  assert.deepEqual(answer.fields(), [
    ["Response", "Success"],
    ["ActionID", "h"],
    ["Message", "Channel Hungup"],
  ]);
  await pbx.waitForIdle();
  const events = await drain(client, "after");
  const flow = events.filter((m) => CALL_FLOW.has(m.name)).map(step);
  assert.deepEqual(flow, [
    "SoftHangupRequest PJSIP/100-00000000",
    "BridgeLeave PJSIP/100-00000000",
    "Hangup PJSIP/100-00000000",
    "BridgeLeave PJSIP/200-00000001",
    "SoftHangupRequest PJSIP/200-00000001",
    "Hangup PJSIP/200-00000001",
    "BridgeDestroy",
  ]);
  const hangups = events.filter((m) => m.name === "Hangup");
  assert.deepEqual(hangups.map((m) => m.get("Cause")), ["21", "16"]);
  assert.equal(hangups[0]!.get("Cause-txt"), "Call Rejected");
  // The two error answers were written before the events, in order.
  const errors = client.messages.filter((m) => m.actionId === "h2" || m.actionId === "h3");
  assert.deepEqual(errors.map((m) => m.get("Message")), [
    "No such channel",
    "No channel specified",
  ]);
  assert.equal(pbx.channels.length, 0);
  await client.close();
});

Deno.test("a call lasts its configured duration and the far end hangs up first", async () => {
  await using pbx = new SimulatedPbx({
    callDurationMs: (originate) => Number(originate.get("Variable")?.split("=")[1] ?? 1000),
  });
  const client = await pbxClient(pbx);
  await client.write(
    "Action: Originate\r\nActionID: o\r\nChannel: PJSIP/100\r\nContext: default\r\nExten: 300\r\n" +
      "Priority: 1\r\nVariable: MS=3\r\nAsync: 1\r\n\r\n",
  );
  await pbx.waitForIdle();
  const events = await drain(client);
  const hangupRequests = events.filter((m) => m.name.endsWith("HangupRequest"));
  assert.equal(hangupRequests[0]!.get("Channel"), "PJSIP/300-00000001");
  const cdrs = events.filter((m) => m.name === "Cdr");
  assert.equal(cdrs.length, 1);
  assert.equal(cdrs[0]!.get("Channel"), "PJSIP/100-00000000");
  assert.equal(cdrs[0]!.get("DestinationChannel"), "PJSIP/300-00000001");
  assert.equal(cdrs[0]!.get("Disposition"), "ANSWERED");
  assert.equal(cdrs[0]!.get("LastApplication"), "Dial");
  const states = events.filter((m) => m.name === "DeviceStateChange").map((m) =>
    `${m.get("Device")} ${m.get("State")}`
  );
  assert.deepEqual(states.slice(-2), ["PJSIP/300 NOT_INUSE", "PJSIP/100 NOT_INUSE"]);
  await client.close();
});

Deno.test("a channel that does not answer fails after the Originate's Timeout", async () => {
  await using pbx = new SimulatedPbx({ outcomes: () => "noanswer" });
  const result = await pbx.originate({ Channel: "PJSIP/100", Application: "Echo", Timeout: 5 });
  assert.deepEqual(result, { success: false, reason: 3, channel: undefined, uniqueid: undefined });
  assert.equal(pbx.channels.length, 0);
});

Deno.test("hanging up a ringing channel cancels the Originate", async () => {
  await using pbx = new SimulatedPbx({ outcomes: { "PJSIP/100": "noanswer" } });
  const client = await pbxClient(pbx);
  const pending = pbx.originate({ Channel: "PJSIP/100", Application: "Echo" });
  const ringing = await client.until((m) => m.name === "Newstate");
  assert.equal(ringing.get("ChannelStateDesc"), "Ringing");
  assert.ok(pbx.hangup(ringing.get("Channel")!));
  const result = await pending;
  assert.equal(result.success, false);
  assert.equal(result.reason, 1);
  await pbx.waitForIdle();
  const events = await drain(client);
  assert.equal(events.find((m) => m.name === "DialEnd")?.get("DialStatus"), "CANCEL");
  assert.equal(events.find((m) => m.name === "OriginateResponse")?.get("Response"), "Failure");
  await client.close();
});

Deno.test("a busy callee ends the caller's call with DIALSTATUS BUSY", async () => {
  await using pbx = new SimulatedPbx({ outcomes: { "PJSIP/200": "busy" } });
  const client = await pbxClient(pbx);
  const result = await pbx.originate({
    Channel: "PJSIP/100",
    Context: "default",
    Exten: "200",
    Priority: 1,
  });
  assert.equal(result.success, true);
  await pbx.waitForIdle();
  const events = await drain(client);
  const dialEnds = events.filter((m) => m.name === "DialEnd").map((m) => m.get("DialStatus"));
  assert.deepEqual(dialEnds, ["ANSWER", "BUSY"]);
  assert.ok(events.some((m) => m.name === "VarSet" && m.get("Value") === "BUSY"));
  assert.equal(events.some((m) => m.name === "BridgeCreate"), false);
  assert.deepEqual(
    events.filter((m) => m.name === "Hangup").map((m) => `${m.get("Channel")} ${m.get("Cause")}`),
    ["PJSIP/200-00000001 17", "PJSIP/100-00000000 16"],
  );
  await client.close();
});

Deno.test("GetVar and Setvar work on channels and globals", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
  const call = await pbx.originate({
    Channel: "PJSIP/100",
    Application: "Echo",
    CallerID: "Bob <555>",
  });
  const client = await pbxClient(pbx);
  await client.write(
    `Action: Setvar\r\nActionID: s1\r\nChannel: ${call.channel}\r\nVariable: X\r\nValue:   padded  \r\n\r\n`,
  );
  assert.equal((await client.next()).get("Message"), "Variable Set");
  const varSet = await client.next();
  assert.equal(varSet.name, "VarSet");
  assert.equal(varSet.get("Value"), "padded  ");
  await client.write(
    "Action: Setvar\r\nActionID: s2\r\nVariable: G\r\nValue: global\r\n\r\n" +
      `Action: GetVar\r\nActionID: g1\r\nChannel: ${call.channel}\r\nVariable: X\r\n\r\n` +
      "Action: GetVar\r\nActionID: g2\r\nVariable: G\r\n\r\n" +
      `Action: GetVar\r\nActionID: g3\r\nChannel: ${call.channel}\r\nVariable: CALLERID(all)\r\n\r\n` +
      `Action: GetVar\r\nActionID: g4\r\nChannel: ${call.channel}\r\nVariable: CHANNEL(state)\r\n\r\n` +
      "Action: GetVar\r\nActionID: g5\r\nVariable: UNSET\r\n\r\n" +
      "Action: GetVar\r\nActionID: g6\r\nChannel: PJSIP/x-00000009\r\nVariable: X\r\n\r\n" +
      "Action: Setvar\r\nActionID: s3\r\nValue: novar\r\n\r\n",
  );
  const answers = await client.take(7);
  assert.deepEqual(answers.map((m) => m.get("Value") ?? m.get("Message")), [
    "Variable Set",
    "padded  ",
    "global",
    '"Bob" <555>',
    "Up",
    "",
    "No such channel",
  ]);
  assert.deepEqual(answers[1]!.fields(), [
    ["Response", "Success"],
    ["ActionID", "g1"],
    ["Variable", "X"],
    ["Value", "padded  "],
  ]);
  assert.equal((await client.next()).get("Message"), "No variable specified");
  assert.equal(pbx.channels[0]!.variables.X, "padded  ");
  await client.close();
});

Deno.test("core show channels matches the channels that are up", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
  const client = await pbxClient(pbx);
  await pbx.originate({ Channel: "PJSIP/100", Context: "default", Exten: "200", Priority: 1 });
  await untilBridged(client);
  await client.write("Action: Events\r\nActionID: e\r\nEventMask: off\r\n\r\n");
  await client.until((m) => m.actionId === "e");
  await client.write(
    "Action: Command\r\nActionID: c\r\nCommand: core show channels\r\n\r\n" +
      "Action: Command\r\nActionID: d\r\nCommand: core show channels concise\r\n\r\n",
  );
  const [table, concise] = await client.take(2);
  const lines = table!.getAll("Output");
  assert.match(lines[0]!, /^Channel\s+Location\s+State\s+Application\(Data\)/);
  assert.ok(lines[1]!.startsWith("PJSIP/100-00000000 "));
  assert.ok(lines[2]!.startsWith("PJSIP/200-00000001 "));
  assert.deepEqual(lines.slice(3), ["2 active channels", "1 active call", "1 call processed"]);
  const rows = concise!.getAll("Output").map((line) => line.split("!"));
  assert.deepEqual(rows.map((row) => row[0]), ["PJSIP/100-00000000", "PJSIP/200-00000001"]);
  assert.deepEqual(rows.map((row) => row[4]), ["Up", "Up"]);
  assert.equal(rows[0]![12], rows[1]![12]);
  await client.close();
});

Deno.test("an event mask of call leaves out dialplan and cdr events", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: 1 });
  const client = new RawAmiClient(pbx.server.connect());
  await client.login("call");
  await pbx.originate({ Channel: "Local/a@default", Context: "default", Exten: "b", Priority: 1 });
  await pbx.waitForIdle();
  const events = await drain(client);
  assert.ok(events.length > 10);
  assert.ok(events.every((m) => m.get("Privilege") === "call,all"));
  assert.equal(events.some((m) => ["VarSet", "Newexten", "Cdr"].includes(m.name)), false);
  await client.close();
});

Deno.test("events can go without Timestamp and SystemName", async () => {
  await using pbx = new SimulatedPbx({ timestamps: false, callDurationMs: 1 });
  const client = await pbxClient(pbx);
  await pbx.originate({ Channel: "PJSIP/1", Application: "Echo" });
  await pbx.waitForIdle();
  const events = await drain(client);
  assert.ok(events.length > 0);
  assert.ok(events.every((m) => !m.has("Timestamp") && !m.has("SystemName")));
  assert.match(events[0]!.get("Uniqueid")!, /^\d+\.0$/);
  await client.close();
});

Deno.test("an application call ends by itself after its duration", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: 2 });
  const client = await pbxClient(pbx);
  await pbx.originate({ Channel: "Local/answer@ami-test", Application: "Wait", Data: "1" });
  await pbx.waitForIdle();
  const events = await drain(client);
  const end = events.filter((m) => m.name.includes("Hangup")).map(step);
  // As recorded for a Local channel whose application returns.
  assert.deepEqual(end, [
    "HangupRequest Local/answer@ami-test-00000000;2",
    "Hangup Local/answer@ami-test-00000000;1",
    "SoftHangupRequest Local/answer@ami-test-00000000;2",
    "Hangup Local/answer@ami-test-00000000;2",
  ]);
  await client.close();
});

Deno.test("closing the PBX mid-call stops everything and settles pending originates", async () => {
  const pbx = new SimulatedPbx({ outcomes: () => "noanswer" });
  const client = new RawAmiClient(pbx.server.connect());
  await client.login();
  await client.write(
    "Action: Originate\r\nActionID: sync\r\nChannel: PJSIP/100\r\nApplication: Echo\r\n\r\n",
  );
  await pbx.server.waitForAction("Originate");
  const pending = pbx.originate({ Channel: "PJSIP/101", Application: "Echo" });
  assert.equal(pbx.activeCalls, 2);
  await pbx.close();
  assert.equal((await pending).success, false);
  assert.equal(pbx.activeCalls, 0);
  assert.equal(pbx.channels.length, 0);
  await client.ended;
  await client.close();
  assert.throws(() => pbx.originate({ Channel: "PJSIP/1", Application: "Echo" }), /closed/);
});
