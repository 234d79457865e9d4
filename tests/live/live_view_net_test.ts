import assert from "node:assert/strict";
import { AmiClient } from "../../src/client/client.ts";
import { AmiGap } from "../../src/events/events.ts";
import { createLiveView } from "../../src/live/live_view.ts";
import type { LiveChange, LiveSnapshot } from "../../src/live/types.ts";
import { SimulatedPbx } from "../../testing.ts";
import {
  callGroupsOf,
  changesUntil,
  fastReconnect,
  restStateOf,
  viewAtRest,
} from "../support/live.ts";

/** The PBX's own state, in the form the view is compared in. */
function pbxState(pbx: SimulatedPbx) {
  const channels = pbx.channels.map((channel) => ({
    uniqueid: channel.uniqueid,
    name: channel.name,
    linkedid: channel.linkedid,
    state: channel.stateDesc,
    bridgeId: channel.bridgeId,
  }));
  const bridges: Record<string, string[]> = {};
  for (const channel of pbx.channels) {
    if (channel.bridgeId !== undefined) (bridges[channel.bridgeId] ??= []).push(channel.uniqueid);
  }
  for (const members of Object.values(bridges)) members.sort();
  return { channels: channels.sort((a, b) => a.uniqueid < b.uniqueid ? -1 : 1), bridges };
}

function viewState(snap: LiveSnapshot) {
  const rest = restStateOf(snap);
  return {
    channels: Object.values(rest.channels).map(({ uniqueid, name, linkedid, state, bridgeId }) => ({
      uniqueid,
      name,
      linkedid,
      state,
      bridgeId,
    })),
    bridges: rest.bridges,
  };
}

Deno.test("createLiveView shows calls that were up before it started, Local halves paired", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity, dialplan: () => "PJSIP/200" });
  pbx.server.listen();
  await pbx.originate({
    Channel: "Local/100@default",
    Context: "default",
    Exten: "200",
    Priority: 1,
  });
  await pbx.originate({ Channel: "PJSIP/300", Application: "Echo" });
  await using client = await AmiClient.connect(pbx.server.url);
  await using live = await createLiveView(client);
  const snap = live.snapshot();
  assert.deepEqual(viewState(snap), pbxState(pbx));
  const local = [...snap.channels.values()].filter((c) => c.name.startsWith("Local/"));
  assert.equal(local.length, 2);
  assert.equal(local[0]!.localPeer, local[1]!.uniqueid);
  assert.equal(local[1]!.localPeer, local[0]!.uniqueid);
  const groups = callGroupsOf(snap);
  assert.equal(groups.length, 2);
  assert.deepEqual(groups.map((g) => g.length).sort(), [1, 3]);
  assert.ok([...snap.calls.values()].every((call) => call.state === "up"));
  assert.equal(live.status, "live");
});

Deno.test("the view at rest equals a fresh CoreShowChannels after calls started during its snapshot", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: 30, ringMs: 5 });
  pbx.server.listen();
  await using client = await AmiClient.connect(pbx.server.url);
  const calls = Array.from(
    { length: 20 },
    (_, i) =>
      pbx.originate({
        Channel: `PJSIP/${100 + i}`,
        Context: "default",
        Exten: `${200 + i}`,
        Priority: 1,
      }),
  );
  await using live = await createLiveView(client);
  await Promise.all(calls);
  await pbx.waitForIdle();
  const [view, lists] = await viewAtRest(live, client);
  assert.deepEqual(view, lists);
  assert.equal(live.snapshot().channels.size, 0);
  assert.ok([...live.snapshot().calls.values()].every((call) => call.state === "ended"));
});

Deno.test("a call's changes go started, answered, ended with the hangup cause", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity, ringMs: 5 });
  pbx.server.listen();
  await using client = await AmiClient.connect(pbx.server.url);
  await using live = await createLiveView(client);
  const since = live.snapshot().revision;
  const { channel } = await pbx.originate({
    Channel: "PJSIP/100",
    Context: "default",
    Exten: "200",
    Priority: 1,
  });
  pbx.hangup(channel!, 17);
  const seen = await changesUntil(live, since, (change) => change.kind === "call.ended");
  const callKinds = seen.filter((c) => c.kind.startsWith("call.") && c.kind !== "call.updated")
    .map((c) => c.kind);
  assert.deepEqual(callKinds, ["call.started", "call.answered", "call.ended"]);
  const last = seen.at(-1)!;
  assert.ok(last.kind === "call.ended");
  assert.equal(last.cause, 17);
  assert.equal(last.call.state, "ended");
  assert.ok(last.call.answeredAt! >= last.call.startedAt);
  assert.deepEqual(seen.map((c) => c.revision), seen.map((_, i) => since + i + 1));
});

Deno.test("after a reconnect one resync change reports what ended while the link was down", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
  pbx.server.listen();
  const kept = await pbx.originate({ Channel: "PJSIP/100", Application: "Wait" });
  const dropped = await pbx.originate({ Channel: "PJSIP/101", Application: "Wait" });
  await using client = await AmiClient.connect(pbx.server.url, { reconnect: fastReconnect });
  await using live = await createLiveView(client);
  const since = live.snapshot().revision;
  assert.equal(live.snapshot().channels.size, 2);
  await (await pbx.server.waitForSession(1)).abort();
  pbx.hangup(dropped.channel!);
  while (pbx.channels.length > 1) await new Promise((resolve) => setTimeout(resolve, 5));
  const [resync] = await changesUntil(live, since, (change) => change.kind === "resync");
  assert.ok(resync?.kind === "resync");
  assert.equal(resync.reason, "resync");
  assert.deepEqual(resync.diff.map((c) => [c.kind, "removal" in c ? c.removal : ""]), [
    ["channel.removed", "resync"],
    ["call.ended", "resync"],
  ]);
  const snap = live.snapshot();
  assert.deepEqual([...snap.channels.keys()], [kept.uniqueid]);
  assert.equal(live.status, "live");
  assert.deepEqual(viewState(snap), pbxState(pbx));
});

Deno.test("a view whose own consumer overflows resyncs and still ends equal to the PBX", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: 20 });
  pbx.server.listen();
  await using client = await AmiClient.connect(pbx.server.url);
  await using live = await createLiveView(client, { eventBufferSize: 4 });
  const resyncs = (async () => {
    let count = 0;
    for await (const change of live.changes({ signal: AbortSignal.timeout(3_000) })) {
      if (change.kind === "resync") count++;
    }
    return count;
  })().catch(() => -1);
  await Promise.all(
    Array.from(
      { length: 10 },
      (_, i) => pbx.originate({ Channel: `PJSIP/${i}`, Application: "Wait" }),
    ),
  );
  await pbx.waitForIdle();
  // The last resync may still be under way: viewAtRest waits until the view is live.
  const [view, lists] = await viewAtRest(live, client);
  assert.equal(live.status, "live");
  assert.deepEqual(view, lists);
  await live.close();
  assert.ok((await resyncs) > 0, "the overflow led to a resync");
});

Deno.test("changes since an old revision replay what is kept, or start with a gap", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
  pbx.server.listen();
  await using client = await AmiClient.connect(pbx.server.url);
  await using live = await createLiveView(client, { retain: { changes: 3 } });
  const start = live.snapshot().revision;
  await pbx.originate({ Channel: "PJSIP/100", Application: "Wait" });
  await changesUntil(live, start, (c) => c.kind === "call.answered");
  const now = live.snapshot().revision;
  assert.ok(now - start > 3);
  const recent: (LiveChange | AmiGap)[] = [];
  for await (const change of live.changes({ since: now - 2, signal: AbortSignal.timeout(200) })) {
    recent.push(change);
    if (recent.length === 2) break;
  }
  assert.deepEqual(recent.map((c) => (c as LiveChange).revision), [now - 1, now]);
  const old = live.changes({ since: start, gaps: true });
  const first = await old.next();
  assert.ok(first.value instanceof AmiGap);
  await old.return!();
  await assert.rejects(live.changes({ since: start }).next());
});

Deno.test("closing the view detaches it from the client and ends its readers", async () => {
  await using pbx = new SimulatedPbx();
  pbx.server.listen();
  await using client = await AmiClient.connect(pbx.server.url);
  const live = await createLiveView(client);
  const reader = live.changes();
  assert.equal(client.stats.eventConsumers, 1);
  await live.close();
  assert.equal(client.stats.eventConsumers, 0);
  assert.deepEqual(await reader.next(), { value: undefined, done: true });
  assert.equal(live.status, "stale");
});

Deno.test("createLiveView fails with the PBX's answer when CoreShowChannels is refused", async () => {
  await using pbx = new SimulatedPbx();
  pbx.server.handle("CoreShowChannels", () => {
    throw new Error("Permission denied");
  });
  pbx.server.listen();
  await using client = await AmiClient.connect(pbx.server.url);
  await assert.rejects(createLiveView(client), /Permission denied/);
  assert.equal(client.stats.eventConsumers, 0);
});
