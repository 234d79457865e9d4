/**
 * What a live view's snapshot holds, by the names programs rely on, and the
 * view at rest against fresh `CoreShowChannels` and `BridgeList` lists.
 *
 * @module
 */

import assert from "node:assert/strict";
import { AmiClient } from "../../src/client/client.ts";
import { createLiveView } from "../../src/live/live_view.ts";
import type { LiveSnapshot } from "../../src/live/types.ts";
import { SimulatedPbx } from "../../testing.ts";
import { changesUntil, viewAtRest } from "../support/live.ts";

/** Resolves with the first snapshot that passes `condition` (rejects after 5 s). */
async function snapshotWhen(
  read: () => LiveSnapshot,
  condition: (snap: LiveSnapshot) => boolean,
): Promise<LiveSnapshot> {
  const deadline = Date.now() + 5_000;
  while (!condition(read())) {
    if (Date.now() > deadline) throw new Error("the view never got there");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return read();
}

Deno.test("A snapshot's channels, bridges and calls carry the fields programs rely on", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity, ringMs: 5 });
  pbx.server.listen();
  await using client = await AmiClient.connect(pbx.server.url);
  await using live = await client.live({ variables: ["CUSTOMER"] });
  const start = Date.now();
  const { channel: name } = await pbx.originate({
    Channel: "PJSIP/100",
    Context: "default",
    Exten: "200",
    Priority: 1,
    CallerID: "Alice <100>",
    Variable: "CUSTOMER=42",
  });
  const snap = await snapshotWhen(
    () => live.snapshot(),
    (s) => [...s.bridges.values()].some((bridge) => bridge.channels.size === 2),
  );
  assert.ok(Object.isFrozen(snap));
  const alice = [...snap.channels.values()].find((channel) => channel.name === name)!;
  const bridge = [...snap.bridges.values()][0]!;
  const bob = snap.channels.get([...bridge.channels].find((id) => id !== alice.uniqueid)!)!;
  assert.equal(alice.state, "Up");
  assert.equal(alice.linkedid, alice.uniqueid);
  assert.equal(bob.linkedid, alice.uniqueid);
  assert.equal(alice.bridgeId, bridge.id);
  assert.deepEqual(alice.callerId, { num: "100", name: "Alice" });
  assert.equal(bob.connected.num, "100");
  assert.ok(alice.createdAt >= start - 1_000 && alice.createdAt <= Date.now());
  assert.equal(alice.variables.get("CUSTOMER"), "42");
  assert.deepEqual([...bridge.channels].sort(), [alice.uniqueid, bob.uniqueid].sort());
  const [call] = [...snap.calls.values()];
  assert.equal(snap.calls.size, 1);
  assert.deepEqual([...call!.channels].sort(), [alice.uniqueid, bob.uniqueid].sort());
  assert.deepEqual([...call!.bridges], [bridge.id]);
  assert.equal(call!.state, "up");
  assert.ok(call!.answeredAt! >= call!.startedAt && call!.endedAt === undefined);

  pbx.hangup(name!, 17);
  const seen = await changesUntil(live, snap.revision, (c) => c.kind === "call.ended");
  const ended = seen.at(-1)!;
  assert.ok(ended.kind === "call.ended");
  assert.deepEqual([ended.cause, ended.causeText], [17, "User busy"]);
  const over = live.snapshot().calls.get(call!.id)!;
  assert.equal(over.state, "ended");
  assert.ok(over.endedAt! >= over.answeredAt!);
});

Deno.test("After a burst with Local optimisation in the cache-ahead mode, the view at rest equals fresh CoreShowChannels and BridgeList", async () => {
  await using pbx = new SimulatedPbx({
    ringMs: 2,
    cacheAheadMs: 15,
    dialplan: () => "Local/200@agents",
    localDialplan: (_context, exten) => `PJSIP/${exten}`,
    // Odd callers stay up, bridged with the far end once the Local pair is gone.
    callDurationMs: (originate) => Number(originate.get("Channel")!.slice(-1)) % 2 ? Infinity : 20,
  });
  pbx.server.listen();
  await using client = await AmiClient.connect(pbx.server.url);
  const calls = Array.from({ length: 16 }, (_, i) =>
    pbx.originate({
      Channel: `PJSIP/${100 + i}`,
      Context: "default",
      Exten: "200",
      Priority: 1,
    }));
  await using live = await createLiveView(client);
  await Promise.all(calls);
  while (pbx.activeCalls > 8) await new Promise((resolve) => setTimeout(resolve, 5));
  const [view, lists] = await viewAtRest(live, client, { bridges: true });
  assert.deepEqual(view, lists);
  assert.equal(Object.keys(view.bridges).length, 8);
  assert.ok(Object.values(view.channels).every((channel) => !channel.name.startsWith("Local/")));
});
