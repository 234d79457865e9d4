/**
 * A live view across a restart of Asterisk: everything goes with cause
 * `restart`, and the snapshot waits until the PBX is fully booted.
 *
 * @module
 */

import assert from "node:assert/strict";
import { AmiClient } from "../../src/client/client.ts";
import { createLiveView } from "../../src/live/live_view.ts";
import type { LiveResyncChange } from "../../src/live/types.ts";
import { SimulatedPbx } from "../../testing.ts";
import { changesUntil, fastReconnect } from "../support/live.ts";
import { until } from "../support/until.ts";

const queues = { support: { members: ["PJSIP/201"] } };

Deno.test("After Asterisk restarts, the view removes everything with cause restart and snapshots once FullyBooted came", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity, queues });
  pbx.server.listen();
  const before = await pbx.originate({
    Channel: "PJSIP/100",
    Context: "default",
    Exten: "200",
    Priority: 1,
  });
  await using client = await AmiClient.connect(pbx.server.url, { reconnect: fastReconnect });
  await using live = await createLiveView(client, { queues: true });
  const since = live.snapshot().revision;
  const old = [...live.snapshot().channels.keys()];
  assert.equal(old.length, 2);
  const resync = changesUntil(live, since, (change) => change.kind === "resync");

  await pbx.restart({ bootMs: 300 });
  // Back on the restarted PBX, the view saw the new startup time and waits for FullyBooted.
  await pbx.server.waitForAction("QueueStatus", 2);
  await until(() => client.state === "connected");
  assert.equal(pbx.fullyBooted, false);
  assert.equal(live.status, "resyncing");
  assert.equal(live.snapshot().revision, since);
  assert.equal(live.snapshot().status, "resyncing");
  assert.deepEqual([...live.snapshot().channels.keys()], old);
  // A call made while Asterisk boots is in the snapshot taken after it.
  const during = await pbx.originate({ Channel: "PJSIP/300", Application: "Wait" });

  const seen = await resync;
  assert.equal(pbx.fullyBooted, true);
  assert.equal(seen.length, 1, "nothing but the resync after the restart");
  const change = seen[0] as LiveResyncChange;
  assert.equal(change.reason, "restart");
  assert.equal(change.revision, since + 1);
  const removed = change.diff.filter((c) => c.kind === "channel.removed");
  assert.deepEqual(removed.map((c) => c.channel.uniqueid).sort(), [...old].sort());
  assert.ok(removed.every((c) => c.removal === "restart"));
  const ended = change.diff.filter((c) => c.kind === "call.ended");
  assert.equal(ended.length, 1);
  assert.ok(ended.every((c) => c.removal === "restart"));
  const added = change.diff.filter((c) => c.kind === "channel.added");
  assert.deepEqual(added.map((c) => c.channel.uniqueid), [during.uniqueid]);
  // QueueStatus was answered: the snapshot came after the boot.
  const support = live.snapshot().queues.get("support");
  assert.deepEqual([...support?.members.keys() ?? []], ["PJSIP/201"]);
  assert.equal(live.status, "live");
  assert.ok(before.uniqueid !== undefined);
});

Deno.test("When a restarted Asterisk never sends FullyBooted, the view snapshots after bootWaitMs and takes the refused QueueStatus as no queues", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity, queues });
  pbx.server.listen();
  await pbx.originate({ Channel: "PJSIP/100", Application: "Wait" });
  await using client = await AmiClient.connect(pbx.server.url, { reconnect: fastReconnect });
  await using live = await createLiveView(client, { queues: true, bootWaitMs: 200 });
  const since = live.snapshot().revision;
  assert.deepEqual([...live.snapshot().queues.keys()], ["support"]);
  const resync = changesUntil(live, since, (change) => change.kind === "resync");
  const restarted = performance.now();
  await pbx.restart({ bootMs: Infinity });
  const [change] = await resync as LiveResyncChange[];
  assert.ok(performance.now() - restarted >= 200, "the view waited for FullyBooted first");
  assert.equal(change?.reason, "restart");
  assert.deepEqual(change.diff.map((c) => c.kind).sort(), [
    "call.ended",
    "channel.removed",
    "queue.removed",
  ]);
  assert.equal(live.status, "live");
  assert.equal(live.snapshot().channels.size, 0);
  assert.equal(live.snapshot().queues.size, 0);
});

Deno.test("A FullyBooted read after the view's snapshot brings a fresh one, with the queues that loaded late", async () => {
  await using pbx = new SimulatedPbx({ queues });
  pbx.server.listen();
  await pbx.restart({ bootMs: Infinity });
  // Connected while Asterisk boots: no earlier startup time to compare, so no wait.
  await using client = await AmiClient.connect(pbx.server.url);
  await using live = await createLiveView(client, { queues: true });
  assert.equal(live.snapshot().queues.size, 0);
  const since = live.snapshot().revision;
  const resync = changesUntil(live, since, (change) => change.kind === "resync");
  pbx.boot();
  const [change] = await resync as LiveResyncChange[];
  assert.deepEqual([...live.snapshot().queues.keys()], ["support"]);
  assert.ok(change?.diff.some((c) => c.kind === "queue.added"));
});
