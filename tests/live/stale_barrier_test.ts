/**
 * Stale until fresh: while the link is down or a resync is due, the view
 * says so, shows the last model applied whole, and publishes nothing until
 * the one `resync` change.
 *
 * @module
 */

import assert from "node:assert/strict";
import { createLiveView, type LiveView } from "../../src/live/live_view.ts";
import type { LiveChange } from "../../src/live/types.ts";
import { gap, HandLiveSource, listedChannel, newChannel } from "../support/live_source.ts";
import { until } from "../support/until.ts";

/** Every change the view publishes from now on. */
function record(live: LiveView): LiveChange[] {
  const seen: LiveChange[] = [];
  void (async () => {
    for await (const change of live.changes()) seen.push(change);
  })();
  return seen;
}

Deno.test("While a resync is under way the view says resyncing and shows the last model applied whole", async () => {
  const source = new HandLiveSource();
  source.channels = [listedChannel("1.1", "PJSIP/100-00000001")];
  await using live = await createLiveView(source);
  const before = live.snapshot();
  const seen = record(live);
  source.hold();
  source.stream.push(gap("overflow"));
  await until(() => live.status === "resyncing");
  source.push({ Event: "Hangup", Uniqueid: "1.1", Channel: "PJSIP/100-00000001", Cause: "16" });
  source.push(newChannel("1.2", "PJSIP/101-00000002"));
  await until(() => source.stream.buffered === 0);
  assert.equal(live.snapshot().status, "resyncing");
  assert.equal(live.snapshot().revision, before.revision);
  assert.deepEqual([...live.snapshot().channels.keys()], ["1.1"]);
  assert.equal(seen.length, 0, "no change while resyncing");

  source.channels = [listedChannel("1.2", "PJSIP/101-00000002")];
  source.release();
  await until(() => live.status === "live");
  assert.deepEqual(seen.map((change) => change.kind), ["resync"]);
  assert.equal(seen[0]!.revision, before.revision + 1);
  assert.deepEqual([...live.snapshot().channels.keys()], ["1.2"]);
});

Deno.test("Events read while a failed resync waits for its retry change nothing; the retry brings one resync", async () => {
  const source = new HandLiveSource();
  source.channels = [listedChannel("1.1", "PJSIP/100-00000001")];
  await using live = await createLiveView(source);
  const revision = live.snapshot().revision;
  const seen = record(live);
  source.channels = new Error("the snapshot timed out");
  source.stream.push(gap("overflow"));
  await until(() => source.stream.buffered === 0);
  // The snapshot failed; the view tries again in a second. Meanwhile an event arrives.
  await new Promise((resolve) => setTimeout(resolve, 50));
  source.push(newChannel("1.2", "PJSIP/101-00000002"));
  await until(() => source.stream.buffered === 0);
  assert.equal(live.status, "resyncing");
  assert.equal(live.snapshot().revision, revision);
  assert.deepEqual([...live.snapshot().channels.keys()], ["1.1"]);
  assert.equal(seen.length, 0, "no change while resyncing");

  source.channels = [
    listedChannel("1.1", "PJSIP/100-00000001"),
    listedChannel("1.2", "PJSIP/101-00000002"),
  ];
  await until(() => live.status === "live");
  assert.deepEqual(seen.map((change) => change.kind), ["resync"]);
  assert.deepEqual([...live.snapshot().channels.keys()].sort(), ["1.1", "1.2"]);
});

Deno.test("Between the link's return and the view taking in the reconnect, the view says resyncing, never live", async () => {
  const source = new HandLiveSource();
  source.channels = [listedChannel("1.1", "PJSIP/100-00000001")];
  await using live = await createLiveView(source);
  const revision = live.snapshot().revision;
  source.state = "reconnecting";
  assert.equal(live.status, "stale");
  assert.equal(live.snapshot().status, "stale");
  assert.equal(live.snapshot().revision, revision);
  // The link is back and the consumer counted the reconnect; its gap is not read yet.
  source.state = "connected";
  source.stream.reconnectGaps++;
  assert.equal(live.status, "resyncing");
  assert.equal(live.snapshot().status, "resyncing");
  source.stream.push(gap("reconnect"));
  await until(() => live.status === "live");
  assert.equal(live.snapshot().revision, revision + 1);
});

Deno.test("The view asks for VarSet only with variables to keep and for Newexten only with dialplan: true", async () => {
  const plain = new HandLiveSource();
  await (await createLiveView(plain)).close();
  assert.ok(!plain.asked.includes("VarSet") && !plain.asked.includes("Newexten"));
  assert.ok(plain.asked.includes("Newchannel") && plain.asked.includes("FullyBooted"));
  const full = new HandLiveSource();
  await (await createLiveView(full, { variables: ["CUSTOMER"], dialplan: true })).close();
  assert.ok(full.asked.includes("VarSet") && full.asked.includes("Newexten"));
});
