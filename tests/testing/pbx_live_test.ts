/**
 * What the live state needs from the simulated PBX: Local pairs optimised
 * away in Asterisk 23's order, and the cache-ahead mode in which the lists
 * run ahead of the event stream.
 */

import assert from "node:assert/strict";
import { type AmiMessage, SimulatedPbx } from "../../testing.ts";
import {
  eventsUntil,
  firstNamed,
  pbxClient,
  sendAction,
  sendList,
} from "../support/pbx_session.ts";

/** An event as `Name Channel` with what matters for the optimisation. */
function step(message: AmiMessage): string {
  const channel = message.get("Channel") ?? message.get("LocalOneChannel") ?? "";
  const swap = message.has("SwapUniqueid") ? ` swap=${message.get("SwapUniqueid")}` : "";
  const success = message.has("Success") ? ` success=${message.get("Success")}` : "";
  return `${message.name} ${channel}${swap}${success}`;
}

const OPTIMISATION = new Set([
  "LocalOptimizationBegin",
  "LocalOptimizationEnd",
  "BridgeCreate",
  "BridgeEnter",
  "BridgeLeave",
  "BridgeDestroy",
  "Hangup",
]);

Deno.test("a Local pair that dials on is optimised away in the order Asterisk 23 shows", async () => {
  await using pbx = new SimulatedPbx({
    callDurationMs: Infinity,
    dialplan: () => "Local/200@agents",
    localDialplan: (_context, exten) => `PJSIP/${exten}`,
  });
  const client = await pbxClient(pbx);
  await sendAction(client, {
    Action: "Originate",
    Channel: "PJSIP/100",
    Context: "default",
    Exten: "200",
    Priority: "1",
    Async: "true",
  });
  const events = await eventsUntil(client, "BridgeDestroy");
  const one = "Local/200@agents-00000001;1";
  const two = "Local/200@agents-00000001;2";
  const far = "PJSIP/200-00000002";
  const oneId = events.find((m) => m.name === "Newchannel" && m.get("Channel") === one)!
    .get("Uniqueid");
  const begin = events.findIndex((m) => m.name === "LocalOptimizationBegin");
  assert.ok(begin > 0);
  assert.deepEqual(events.slice(begin).filter((m) => OPTIMISATION.has(m.name)).map(step), [
    `LocalOptimizationBegin ${one}`,
    `BridgeLeave ${far}`,
    `BridgeLeave ${one}`,
    `BridgeEnter ${far} swap=${oneId}`,
    `LocalOptimizationEnd ${one} success=No`,
    `Hangup ${one}`,
    `BridgeLeave ${two}`,
    `Hangup ${two}`,
    "BridgeDestroy ",
  ]);
  const optimisation = events[begin]!;
  assert.equal(optimisation.get("LocalTwoChannel"), two);
  assert.equal(optimisation.get("SourceChannel"), far);
  assert.equal(
    optimisation.get("DestUniqueId"),
    events.find((m) => m.get("Channel") === two)!.get("Uniqueid"),
  );
  assert.equal(optimisation.get("Id"), firstNamed(events, "LocalOptimizationEnd").get("Id"));

  // At rest the caller and the far channel share one bridge, and the Local pair is gone.
  assert.deepEqual(pbx.channels.map((c) => c.name), ["PJSIP/100-00000000", far]);
  const bridges = await sendList(client, { Action: "BridgeList" });
  assert.equal(bridges.items.length, 1);
  const info = await sendList(client, {
    Action: "BridgeInfo",
    BridgeUniqueid: bridges.items[0]!.get("BridgeUniqueid")!,
  });
  assert.deepEqual(info.items.map((m) => m.get("Channel")).sort(), ["PJSIP/100-00000000", far]);
  pbx.hangup("PJSIP/100-00000000");
  await pbx.waitForIdle();
  assert.equal((await sendList(client, { Action: "BridgeList" })).items.length, 0);
  await client.close();
});

Deno.test("a Local pair with /n is not optimised and does not dial on", async () => {
  await using pbx = new SimulatedPbx({
    callDurationMs: 5,
    dialplan: () => "Local/200@agents/n",
    localDialplan: (_context, exten) => `PJSIP/${exten}`,
  });
  const client = await pbxClient(pbx);
  await pbx.originate({ Channel: "PJSIP/100", Context: "default", Exten: "200", Priority: 1 });
  await pbx.waitForIdle();
  const events = await eventsUntil(client, "BridgeDestroy");
  assert.equal(events.filter((m) => m.name.startsWith("LocalOptimization")).length, 0);
  assert.equal(events.filter((m) => m.get("Channel")?.startsWith("PJSIP/200")).length, 0);
  await client.close();
});

Deno.test("in the cache-ahead mode the lists show a channel before its Newchannel and drop it before its Hangup", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity, cacheAheadMs: 200 });
  const client = await pbxClient(pbx);
  const { channel } = await pbx.originate({ Channel: "PJSIP/100", Application: "Wait" });
  const early = await sendList(client, { Action: "CoreShowChannels" });
  assert.deepEqual(early.items.map((m) => m.get("Channel")), [channel]);
  assert.equal(early.others.filter((m) => m.name === "Newchannel").length, 0);
  const newchannel = (await eventsUntil(client, "Newchannel")).at(-1)!;
  assert.equal(newchannel.get("Channel"), channel);

  assert.ok(pbx.hangup(channel!));
  while (pbx.channels.length > 0) await new Promise((resolve) => setTimeout(resolve, 1));
  const late = await sendList(client, { Action: "CoreShowChannels" });
  assert.equal(late.items.length, 0);
  assert.equal(late.others.filter((m) => m.name === "Hangup").length, 0);
  await pbx.waitForIdle();
  const hangup = (await eventsUntil(client, "Hangup")).at(-1)!;
  assert.equal(hangup.get("Channel"), channel);
  await client.close();
});

Deno.test("the cache-ahead mode keeps the order of events", async () => {
  const flows: string[][] = [];
  for (const cacheAheadMs of [0, 30]) {
    await using pbx = new SimulatedPbx({ callDurationMs: 5, cacheAheadMs });
    const client = await pbxClient(pbx);
    await pbx.originate({ Channel: "PJSIP/100", Context: "default", Exten: "200", Priority: 1 });
    await pbx.waitForIdle();
    const events = await sendList(client, { Action: "Ping" });
    flows.push(events.others.map((m) => `${m.name} ${m.get("Channel") ?? ""}`));
    await client.close();
  }
  assert.ok(flows[0]!.length > 20);
  assert.deepEqual(flows[1], flows[0]);
});
