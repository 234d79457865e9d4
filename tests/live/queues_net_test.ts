/**
 * Queues, devices and hints in the live view: seeded from the recorded
 * lists of a real Asterisk, moved by its recorded events, and equal at rest
 * to the simulated PBX's own `QueueStatus`, `DeviceStateList` and
 * `ExtensionStateList`.
 */

import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { AmiClient } from "../../src/client/client.ts";
import { createLiveView } from "../../src/live/live_view.ts";
import { AmiTestServer, eventList, SimulatedPbx } from "../../testing.ts";
import {
  changesUntil,
  event,
  fastReconnect,
  listItems,
  recordedMessages,
  reducer,
} from "../support/live.ts";
import {
  devicesOfList,
  hintsOfList,
  restQueuesOf,
  restQueuesOfList,
} from "../support/call_centre.ts";

Deno.test("A recorded QueueStatus seeds queues equal to the list, callers with their wait start", async () => {
  const items = listItems(await recordedMessages("14-queue"), "queuestatus-2");
  const model = reducer({ queues: true });
  const now = Date.now();
  model.seedCallCentre({ queues: items }, now);
  assert.deepEqual(restQueuesOf(model.queues), restQueuesOfList(items));
  assert.deepEqual([...model.queues.keys()], ["support", "waitq", "sales"]);
  const [caller] = model.queues.get("waitq")!.callers;
  assert.equal(caller?.joinedAt, now - 2_000);
  assert.equal(caller?.callerIdName, "Waiting Caller");
  assert.equal(model.queues.get("support")!.members.get("Local/agent2@ami-agents/n")?.inCall, true);
});

Deno.test("The queues option with names keeps only those queues", async () => {
  const items = listItems(await recordedMessages("14-queue"), "queuestatus-2");
  const model = reducer({ queues: ["sales"] });
  model.seedCallCentre({ queues: items }, 0);
  assert.deepEqual([...model.queues.keys()], ["sales"]);
  assert.throws(() => reducer({ queues: ["bad\r\nname"] }), TypeError);
});

Deno.test("Recorded DeviceStateList and ExtensionStateList seed devices and hints equal to them", async () => {
  const messages = await recordedMessages("13-devicestate");
  const devices = listItems(messages, "devicestatelist-2");
  const hints = listItems(messages, "extensionstatelist-3");
  const model = reducer({ devices: true, hints: true });
  model.seedCallCentre({ devices, hints }, 0);
  assert.equal(devices.length, 10);
  assert.deepEqual(new Map(model.devices.devices), devicesOfList(devices));
  assert.deepEqual(new Map(model.devices.hints), hintsOfList(hints));
  const off = reducer();
  off.seedCallCentre({ devices, hints }, 0);
  assert.equal(off.devices.devices.size + off.devices.hints.size, 0);
});

Deno.test("Replaying 14b-queue-call-events: the caller joins, is answered and leaves; devices follow", async () => {
  const model = reducer({ queues: true, devices: true });
  const kinds: string[] = [];
  const lastState = new Map<string, string>();
  for (const message of await recordedMessages("14b-queue-call-events")) {
    if (message.kind !== "event" || message.get("ActionID") !== undefined) continue;
    if (message.name === "DeviceStateChange") {
      lastState.set(message.get("Device")!, message.get("State")!);
    }
    for (const change of model.apply(message)) {
      if (change.kind.startsWith("queue.")) kinds.push(change.kind);
    }
  }
  assert.deepEqual(kinds.filter((k) => k.startsWith("queue.caller")), [
    "queue.caller.joined",
    "queue.caller.left",
  ]);
  const support = model.queues.get("support")!;
  assert.deepEqual(support.callers, []);
  assert.equal(support.completed, 1, "AgentComplete counts a completed call");
  assert.deepEqual(new Map(model.devices.devices), lastState);
  assert.ok(kinds.length >= 2);
});

Deno.test("Callers behind one who leaves are renumbered although Asterisk sends no event for them", () => {
  const model = reducer({ queues: true });
  const join = (id: string, position: number) =>
    event("QueueCallerJoin", {
      Channel: `PJSIP/${id}-0`,
      Uniqueid: id,
      Linkedid: id,
      Queue: "q",
      Position: String(position),
      Count: String(position),
    });
  model.apply(join("a", 1));
  model.apply(join("b", 2));
  model.apply(join("c", 3));
  // Applying an event twice changes nothing.
  assert.deepEqual(model.apply(join("b", 2)).filter((c) => c.kind.startsWith("queue.")), []);
  // Two callers may share a channel name over time: callers are keyed by Uniqueid.
  const changes = model.apply(
    event("QueueCallerAbandon", {
      Channel: "PJSIP/a-0",
      Uniqueid: "a",
      Linkedid: "a",
      Queue: "q",
      Position: "1",
      OriginalPosition: "1",
      HoldTime: "3",
    }),
  );
  assert.deepEqual(changes.filter((c) => c.kind.startsWith("queue.")).map((c) => c.kind), [
    "queue.caller.abandoned",
  ]);
  const left = model.apply(
    event("QueueCallerLeave", { Channel: "PJSIP/a-0", Uniqueid: "a", Queue: "q", Position: "1" }),
  );
  assert.equal(left.filter((c) => c.kind.startsWith("queue.")).length, 0);
  const queue = model.queues.get("q")!;
  assert.deepEqual(queue.callers.map((c) => [c.uniqueid, c.position]), [["b", 1], ["c", 2]]);
  assert.equal(queue.calls, 2);
  assert.equal(queue.abandoned, 1);
});

Deno.test("A view on the simulated PBX equals QueueStatus, DeviceStateList and ExtensionStateList at rest", async () => {
  await using pbx = new SimulatedPbx({
    endpoints: ["100", "101", "102", "201", "202"],
    hints: { "201@default": "PJSIP/201", "202@default": "PJSIP/202" },
    queues: {
      support: { members: ["PJSIP/201", "PJSIP/202"] },
      sales: { strategy: "rrmemory", members: ["PJSIP/202"] },
    },
  });
  pbx.server.listen();
  pbx.pauseMember("PJSIP/201", true, { reason: "lunch" });
  pbx.pauseMember("PJSIP/202", true, { reason: "training" });
  await using client = await AmiClient.connect(pbx.server.url);
  await using live = await createLiveView(client, { queues: true, devices: true, hints: true });
  const since = live.snapshot().revision;
  const callers = [];
  for (const id of ["100", "101", "102"]) {
    callers.push(
      await pbx.originate({ Channel: `PJSIP/${id}`, Application: "Queue", Data: "support" }),
    );
  }
  let changes = await changesUntil(
    live,
    since,
    () => live.snapshot().queues.get("support")?.calls === 3,
  );
  assert.deepEqual(live.snapshot().queues.get("support")!.callers.map((c) => c.position), [
    1,
    2,
    3,
  ]);
  pbx.hangup(callers[0]!.channel!);
  changes = await changesUntil(
    live,
    live.snapshot().revision,
    (c) => c.kind === "queue.caller.abandoned",
  );
  assert.equal(changes.at(-1)?.kind, "queue.caller.abandoned");
  pbx.pauseMember("PJSIP/202", false);
  await changesUntil(live, live.snapshot().revision, (c) => c.kind === "queue.caller.left");
  await pbx.waitForIdle();
  // At rest: the view equals the PBX's own lists (once it read the last events).
  const lists = async () => {
    const [status, devices, hints] = await Promise.all([
      client.sendList({ Action: "QueueStatus" }),
      client.sendList({ Action: "DeviceStateList" }),
      client.sendList({ Action: "ExtensionStateList" }),
    ]);
    return {
      queues: restQueuesOfList(status.items as never),
      devices: devicesOfList(devices.items as never),
      hints: hintsOfList(hints.items as never),
    };
  };
  const view = () => {
    const snap = live.snapshot();
    return { queues: restQueuesOf(snap.queues), devices: snap.devices, hints: snap.hints };
  };
  const expected = await lists();
  for (let i = 0; i < 100 && !isDeepStrictEqual(view(), expected); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.deepEqual(view(), expected);
  assert.ok(Object.keys(expected.queues.support!.members).length === 2);
  assert.ok(expected.devices.size > 0 && expected.hints.size === 2);
});

Deno.test("A QueueStatus refused before FullyBooted (app_queue not loaded) is taken again after it", async () => {
  await using server = new AmiTestServer();
  let booted = false;
  server.handle("CoreShowChannels", () => eventList([]));
  server.handle("BridgeList", () => eventList([]));
  server.handle(
    "QueueStatus",
    () =>
      booted
        ? eventList([{ Event: "QueueParams", Queue: "support", Strategy: "ringall", Calls: "0" }])
        : {
          Response: "Error",
          Message:
            "Invalid/unknown command: QueueStatus. Use Action: ListCommands to show available commands.",
        },
  );
  server.listen();
  await using client = await AmiClient.connect(server.url);
  await using live = await createLiveView(client, { queues: true });
  assert.equal(live.status, "live");
  assert.equal(live.snapshot().queues.size, 0);
  const since = live.snapshot().revision;
  booted = true;
  server.emit({ Event: "FullyBooted", Privilege: "system,all", Status: "Fully Booted" });
  const [resync] = await changesUntil(live, since, (change) => change.kind === "resync");
  assert.ok(resync?.kind === "resync");
  assert.deepEqual(resync.diff.map((c) => c.kind), ["queue.added"]);
  assert.deepEqual([...live.snapshot().queues.keys()], ["support"]);
});

Deno.test("After a reconnect, one resync change reports the queue callers who left while the link was down", async () => {
  await using pbx = new SimulatedPbx({
    endpoints: ["100", "101", "201"],
    queues: { support: { members: ["PJSIP/201"] } },
  });
  pbx.server.listen();
  pbx.pauseMember("PJSIP/201", true, { reason: "break" });
  const first = await pbx.originate({
    Channel: "PJSIP/100",
    Application: "Queue",
    Data: "support",
  });
  const second = await pbx.originate({
    Channel: "PJSIP/101",
    Application: "Queue",
    Data: "support",
  });
  await using client = await AmiClient.connect(pbx.server.url, { reconnect: fastReconnect });
  await using live = await createLiveView(client, { queues: true });
  assert.deepEqual(live.snapshot().queues.get("support")!.callers.map((c) => c.uniqueid), [
    first.uniqueid,
    second.uniqueid,
  ]);
  const since = live.snapshot().revision;
  await (await pbx.server.waitForSession(1)).abort();
  pbx.hangup(first.channel!);
  const [resync] = await changesUntil(live, since, (change) => change.kind === "resync");
  assert.ok(resync?.kind === "resync");
  const left = resync.diff.filter((c) => c.kind === "queue.caller.left");
  assert.deepEqual(left.map((c) => "caller" in c ? c.caller.uniqueid : ""), [first.uniqueid]);
  const [caller] = live.snapshot().queues.get("support")!.callers;
  assert.deepEqual([caller?.uniqueid, caller?.position], [second.uniqueid, 1]);
});
