/**
 * The simulated PBX's restart: sessions cut, calls gone without an event,
 * a new startup time, and a boot during which app_queue is unknown.
 */

import assert from "node:assert/strict";
import { type AmiMessage, SimulatedPbx } from "../../testing.ts";
import { RawAmiClient } from "../support/raw_ami_client.ts";
import { eventsUntil, pbxClient, sendAction, sendList } from "../support/pbx_session.ts";

Deno.test("SimulatedPbx.restart cuts every session, forgets its calls and shows a new startup time", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
  await pbx.originate({ Channel: "PJSIP/100", Application: "Wait" });
  const before = await pbxClient(pbx);
  const status = await sendAction(before, { Action: "CoreStatus" });
  await pbx.restart();
  await before.ended;
  assert.equal(pbx.channels.length, 0);
  assert.equal(pbx.activeCalls, 0);
  const after = await pbxClient(pbx);
  const restarted = await sendAction(after, { Action: "CoreStatus" });
  const startup = (m: typeof status) => `${m.get("CoreStartupDate")} ${m.get("CoreStartupTime")}`;
  assert.notEqual(startup(restarted), startup(status));
  assert.equal(restarted.get("CoreCurrentCalls"), "0");
  assert.equal((await sendList(after, { Action: "CoreShowChannels" })).items.length, 0);
  await after.close();
});

Deno.test("While the restarted PBX boots, QueueStatus is unknown and a Login gets no FullyBooted; then every session gets it", async () => {
  await using pbx = new SimulatedPbx({ queues: { support: { members: ["PJSIP/201"] } } });
  await pbx.restart({ bootMs: Infinity });
  const client = new RawAmiClient(pbx.server.connect());
  await client.login("on");
  const before: AmiMessage[] = [];
  const refused = await sendAction(client, { Action: "QueueStatus" }, before);
  assert.deepEqual(before.map((m) => m.name), [], "no FullyBooted after the Login");
  assert.equal(refused.get("Response"), "Error");
  assert.match(refused.get("Message") ?? "", /^Invalid\/unknown command: QueueStatus\./);
  pbx.boot();
  const booted = (await eventsUntil(client, "FullyBooted")).at(-1)!;
  assert.equal(booted.get("Status"), "Fully Booted");
  const queues = await sendList(client, { Action: "QueueStatus" });
  assert.deepEqual(
    queues.items.filter((m) => m.name === "QueueParams").map((m) => m.get("Queue")),
    [
      "support",
    ],
  );
  await client.close();
});
