/**
 * Queues on the simulated PBX: callers, members, agents and their events
 * and lists, compared with the recordings `14-queue` and
 * `14b-queue-call-events` of a real Asterisk.
 */

import assert from "node:assert/strict";
import { type AmiMessage, SimulatedPbx, type SimulatedPbxOptions } from "../../testing.ts";
import {
  eventsUntil,
  firstNamed,
  keysOf,
  pbxClient,
  recordedFrames,
  sendAction,
  sendList,
} from "../support/pbx_session.ts";

/** The recording's settings and queues, so that events carry the same fields. */
const AS_RECORDED: SimulatedPbxOptions = {
  systemName: "amitest",
  channelVariables: ["AMITEST_TAG", "AMITEST_UNSET"],
  queueRetryMs: 10,
  queues: {
    support: {
      strategy: "ringall",
      members: [
        {
          interface: "Local/agent1@ami-agents/n",
          name: "Agent One",
          stateInterface: "Custom:agent1",
        },
        {
          interface: "Local/agent2@ami-agents/n",
          name: "Agent Two",
          stateInterface: "Custom:agent2",
        },
      ],
    },
    waitq: {},
    sales: {
      strategy: "rrmemory",
      members: [{ interface: "Local/agent3@ami-agents/n", name: "Agent Three" }],
    },
  },
};

const QUEUE_CALLER = {
  Action: "Originate",
  Channel: "Local/queue@ami-test",
  Application: "Queue",
  CallerID: "Queue Caller <3003>",
  Async: "true",
};

/** The member fields of every QueueMember* event, in Asterisk's documented order. */
const MEMBER_EVENT_KEYS = [
  "Queue",
  "MemberName",
  "Interface",
  "StateInterface",
  "Membership",
  "Penalty",
  "CallsTaken",
  "LastCall",
  "LastPause",
  "LoginTime",
  "InCall",
  "Status",
  "Paused",
  "PausedReason",
  "Ringinuse",
  "Wrapuptime",
];

function named(frames: readonly AmiMessage[], name: string): AmiMessage[] {
  return frames.filter((m) => m.kind === "event" && m.name === name);
}

Deno.test("a queue call raises the recorded queue and agent events, in order, with the recorded fields", async () => {
  const recorded = await recordedFrames("14b-queue-call-events");
  await using pbx = new SimulatedPbx({ ...AS_RECORDED, callDurationMs: 5 });
  const client = await pbxClient(pbx);
  await sendAction(client, { ...QUEUE_CALLER, Data: "support" });
  const events = await eventsUntil(client, "AgentComplete");
  await pbx.waitForIdle();
  const flow = events.map((m) => m.name).filter((name) =>
    ["QueueCallerJoin", "AgentCalled", "QueueCallerLeave", "AgentConnect", "AgentComplete"]
      .includes(name)
  );
  assert.deepEqual(flow, [
    "QueueCallerJoin",
    "AgentCalled",
    "QueueCallerLeave",
    "AgentConnect",
    "AgentComplete",
  ]);
  for (const name of new Set(flow)) {
    assert.deepEqual(keysOf(firstNamed(events, name)), keysOf(firstNamed(recorded, name)), name);
  }
  const join = firstNamed(events, "QueueCallerJoin");
  assert.equal(join.get("Channel"), "Local/queue@ami-test-00000000;1");
  assert.equal(join.get("Queue"), "support");
  assert.equal(join.get("Position"), "1");
  assert.equal(join.get("Count"), "1");
  const connect = firstNamed(events, "AgentConnect");
  assert.equal(connect.get("DestChannel"), "Local/agent1@ami-agents-00000001;1");
  assert.equal(connect.get("MemberName"), "Agent One");
  assert.equal(connect.get("Interface"), "Local/agent1@ami-agents/n");
  assert.equal(firstNamed(events, "QueueCallerLeave").get("Count"), "0");
  // The caller and the agent were bridged while they talked.
  assert.ok(events.findIndex((m) => m.name === "BridgeEnter") > events.indexOf(connect));
  await client.close();
});

Deno.test("QueueStatus and QueueSummary answer with the recorded lists and fields", async () => {
  const recorded = await recordedFrames("14-queue");
  await using pbx = new SimulatedPbx({ ...AS_RECORDED, callDurationMs: Infinity });
  const client = await pbxClient(pbx, "off");
  await sendAction(client, { ...QUEUE_CALLER, Data: "waitq", CallerID: "Waiting Caller <3001>" });
  await pbx.server.waitForAction("Originate");
  while (pbx.channels.length < 2 || pbx.channels[0]!.application !== "Queue") {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const status = await sendList(client, { Action: "QueueStatus" });
  assert.equal(status.response.get("Message"), "Queue status will follow");
  assert.deepEqual(status.items.map((m) => m.name), [
    "QueueParams",
    "QueueMember",
    "QueueMember",
    "QueueParams",
    "QueueEntry",
    "QueueParams",
    "QueueMember",
  ]);
  for (const name of ["QueueParams", "QueueMember", "QueueEntry", "QueueStatusComplete"]) {
    const mine = name === "QueueStatusComplete" ? status.complete : firstNamed(status.items, name);
    assert.deepEqual(keysOf(mine), keysOf(firstNamed(recorded, name)), name);
  }
  const entry = firstNamed(status.items, "QueueEntry");
  assert.equal(entry.get("Queue"), "waitq");
  assert.equal(entry.get("Position"), "1");
  assert.equal(entry.get("CallerIDName"), "Waiting Caller");
  assert.equal(named(status.items, "QueueParams")[1]!.get("Calls"), "1");

  const one = await sendList(client, { Action: "QueueStatus", Queue: "waitq" });
  assert.deepEqual(one.items.map((m) => m.name), ["QueueParams", "QueueEntry"]);

  const summary = await sendList(client, { Action: "QueueSummary" });
  assert.equal(summary.response.get("Message"), "Queue summary will follow");
  assert.deepEqual(summary.items.map((m) => m.get("Queue")), ["support", "waitq", "sales"]);
  assert.deepEqual(keysOf(summary.items[0]!), keysOf(firstNamed(recorded, "QueueSummary")));
  assert.deepEqual(keysOf(summary.complete), keysOf(firstNamed(recorded, "QueueSummaryComplete")));
  assert.equal(summary.items[1]!.get("Callers"), "1");
  assert.equal(summary.items[0]!.get("LoggedIn"), "2");
  await client.close();
});

Deno.test("QueueAdd, QueuePause and QueueRemove change the members, with their events and errors", async () => {
  await using pbx = new SimulatedPbx(AS_RECORDED);
  const client = await pbxClient(pbx);
  const seen: AmiMessage[] = [];
  const added = await sendAction(client, {
    Action: "QueueAdd",
    Queue: "sales",
    Interface: "PJSIP/201",
    MemberName: "Alice",
    Penalty: "2",
  }, seen);
  assert.equal(added.get("Message"), "Added interface to queue");
  const again = await sendAction(client, {
    Action: "QueueAdd",
    Queue: "sales",
    Interface: "PJSIP/201",
  }, seen);
  assert.equal(again.get("Message"), "Unable to add interface: Already there");
  const nowhere = await sendAction(client, {
    Action: "QueueAdd",
    Queue: "nope",
    Interface: "PJSIP/201",
  }, seen);
  assert.equal(nowhere.get("Response"), "Error");

  const paused = await sendAction(client, {
    Action: "QueuePause",
    Interface: "PJSIP/201",
    Paused: "true",
    Reason: "lunch",
  }, seen);
  assert.equal(paused.get("Message"), "Interface paused successfully");
  const removed = await sendAction(client, {
    Action: "QueueRemove",
    Queue: "sales",
    Interface: "PJSIP/201",
  }, seen);
  assert.equal(removed.get("Message"), "Removed interface from queue");
  const gone = await sendAction(client, {
    Action: "QueueRemove",
    Queue: "sales",
    Interface: "PJSIP/201",
  }, seen);
  assert.equal(gone.get("Message"), "Unable to remove interface: Not there");
  const unknown = await sendAction(client, {
    Action: "QueuePause",
    Interface: "PJSIP/999",
    Paused: "1",
  }, seen);
  assert.equal(unknown.get("Message"), "Interface not found");

  await sendAction(client, { Action: "Ping" }, seen);
  const memberEvents = seen.filter((m) => m.name.startsWith("QueueMember"));
  assert.deepEqual(memberEvents.map((m) => m.name), [
    "QueueMemberAdded",
    "QueueMemberPause",
    "QueueMemberRemoved",
  ]);
  for (const event of memberEvents) {
    assert.deepEqual(keysOf(event).slice(3), MEMBER_EVENT_KEYS);
    assert.equal(event.get("Privilege"), "agent,all");
  }
  assert.equal(memberEvents[0]!.get("Membership"), "dynamic");
  assert.equal(memberEvents[0]!.get("Penalty"), "2");
  assert.equal(memberEvents[1]!.get("Paused"), "1");
  assert.equal(memberEvents[1]!.get("PausedReason"), "lunch");
  await client.close();
});

Deno.test("a caller who waits too long abandons, and the callers behind move up without an event", async () => {
  await using pbx = new SimulatedPbx({
    ...AS_RECORDED,
    queueWaitMs: (o) => o.get("Variable") === "FIRST=1" ? 20 : Infinity,
  });
  const client = await pbxClient(pbx);
  await sendAction(client, { ...QUEUE_CALLER, Data: "waitq", Variable: "FIRST=1" });
  await sendAction(client, { ...QUEUE_CALLER, Data: "waitq", CallerID: "Second <3002>" });
  const events = await eventsUntil(client, "QueueCallerLeave");
  const abandon = firstNamed(events, "QueueCallerAbandon");
  assert.deepEqual(keysOf(abandon).slice(2, 4), ["SystemName", "Channel"]);
  assert.equal(abandon.get("Position"), "1");
  assert.equal(abandon.get("OriginalPosition"), "1");
  assert.ok(Number(abandon.get("HoldTime")) >= 0);
  const leave = firstNamed(events, "QueueCallerLeave");
  assert.equal(leave.get("Channel"), abandon.get("Channel"));
  assert.equal(leave.get("Count"), "1");
  const status = await sendList(client, { Action: "QueueStatus", Queue: "waitq" });
  const entry = firstNamed(status.items, "QueueEntry");
  assert.equal(entry.get("Position"), "1");
  assert.equal(entry.get("CallerIDName"), "Second");
  assert.equal(named(status.others, "QueueCallerLeave").length, 0);
  const summary = await sendList(client, { Action: "QueueStatus", Queue: "waitq" });
  assert.equal(firstNamed(summary.items, "QueueParams").get("Abandoned"), "1");
  await pbx.close();
  await client.close();
});

Deno.test("a member who does not answer is skipped for the next one, with AgentRingNoAnswer", async () => {
  await using pbx = new SimulatedPbx({
    ...AS_RECORDED,
    callDurationMs: 5,
    memberRingTimeoutMs: 5,
    outcomes: { "Local/agent1@ami-agents/n": "noanswer" },
  });
  const client = await pbxClient(pbx);
  await sendAction(client, { ...QUEUE_CALLER, Data: "support" });
  const events = await eventsUntil(client, "AgentComplete");
  const noAnswer = firstNamed(events, "AgentRingNoAnswer");
  assert.equal(noAnswer.get("MemberName"), "Agent One");
  assert.ok(noAnswer.has("RingTime"));
  assert.equal(firstNamed(events, "AgentConnect").get("MemberName"), "Agent Two");
  await pbx.waitForIdle();
  const status = await sendList(client, { Action: "QueueStatus", Queue: "support" });
  const members = named(status.items, "QueueMember");
  assert.deepEqual(members.map((m) => m.get("CallsTaken")), ["0", "1"]);
  assert.equal(firstNamed(status.items, "QueueParams").get("Completed"), "1");
  await client.close();
});

Deno.test("a paused member is not rung until it is unpaused", async () => {
  await using pbx = new SimulatedPbx({
    ...AS_RECORDED,
    callDurationMs: 5,
    queues: {
      sales: { members: [{ interface: "PJSIP/201", paused: true, pausedReason: "break" }] },
    },
  });
  const client = await pbxClient(pbx);
  await sendAction(client, { ...QUEUE_CALLER, Data: "sales" });
  await eventsUntil(client, "QueueCallerJoin");
  const early = await sendList(client, { Action: "QueueStatus", Queue: "sales" });
  assert.equal(named(early.others, "AgentCalled").length, 0);
  assert.equal(firstNamed(early.items, "QueueMember").get("PausedReason"), "break");
  await sendAction(client, { Action: "QueuePause", Interface: "PJSIP/201", Paused: "false" });
  const connect = (await eventsUntil(client, "AgentConnect")).at(-1)!;
  assert.equal(connect.get("Interface"), "PJSIP/201");
  await pbx.waitForIdle();
  await client.close();
});
