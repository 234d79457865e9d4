/**
 * The live view's change readers are bounded as `events()` consumers are.
 *
 * @module
 */

import assert from "node:assert/strict";
import { AmiConsumerOverflowError } from "../../src/errors.ts";
import { AmiGap } from "../../src/events/gap.ts";
import { ChangeFeed } from "../../src/live/change_feed.ts";
import type { LiveChange } from "../../src/live/types.ts";

function resync(revision: number): LiveChange {
  return { kind: "resync", revision, reason: "resync", diff: [] };
}

Deno.test("A change reader that falls behind its bufferSize ends with AmiConsumerOverflowError after what it holds", async () => {
  const feed = new ChangeFeed(16);
  const reader = feed.subscribe({ bufferSize: 2 }, 0);
  for (let revision = 1; revision <= 3; revision++) feed.publish(resync(revision));
  assert.equal(feed.readers, 0, "the reader is detached");
  assert.equal(((await reader.next()).value as LiveChange).revision, 1);
  assert.equal(((await reader.next()).value as LiveChange).revision, 2);
  await assert.rejects(reader.next(), AmiConsumerOverflowError);
});

Deno.test("A change reader with gaps: true gets an AmiGap counting what it lost, then goes on", async () => {
  const feed = new ChangeFeed(16);
  const reader = feed.subscribe({ bufferSize: 2, gaps: true }, 0);
  for (let revision = 1; revision <= 5; revision++) feed.publish(resync(revision));
  const first = [await reader.next(), await reader.next(), await reader.next()].map((r) => r.value);
  assert.deepEqual(first.slice(0, 2).map((c) => (c as LiveChange).revision), [1, 2]);
  assert.ok(first[2] instanceof AmiGap);
  assert.equal(first[2].reason, "overflow");
  assert.equal(first[2].dropped, 3);
  feed.publish(resync(6));
  assert.equal(((await reader.next()).value as LiveChange).revision, 6);
  feed.close();
  assert.deepEqual(await reader.next(), { value: undefined, done: true });
});

Deno.test("A change reader whose signal aborts ends quietly, drops what it holds and is detached", async () => {
  const feed = new ChangeFeed(16);
  const controller = new AbortController();
  const reader = feed.subscribe({ signal: controller.signal }, 0);
  const waiting = reader.next();
  feed.publish(resync(1));
  assert.equal(((await waiting).value as LiveChange).revision, 1);
  feed.publish(resync(2));
  controller.abort();
  assert.equal(feed.readers, 0);
  assert.deepEqual(await reader.next(), { value: undefined, done: true });
  feed.publish(resync(3));
  assert.deepEqual(await reader.next(), { value: undefined, done: true });
});
