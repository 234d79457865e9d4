import assert from "node:assert/strict";
import { sleep } from "../../src/_util/sleep.ts";

Deno.test("sleep resolves after the time has passed", async () => {
  const start = performance.now();
  await sleep(20);
  assert.ok(performance.now() - start >= 15);
});

Deno.test("sleep resolves at once for zero, negative and NaN durations", async () => {
  const order: string[] = [];
  const timer = new Promise<void>((resolve) =>
    setTimeout(() => {
      order.push("timer");
      resolve();
    }, 0)
  );
  await Promise.all([0, -5, NaN].map((ms) => sleep(ms).then(() => order.push(String(ms)))));
  order.push("slept");
  await timer;
  assert.deepEqual(order, ["0", "-5", "NaN", "slept", "timer"]);
});

Deno.test("sleep rejects with the signal's reason when it aborts, and leaves no timer", async () => {
  const stop = new AbortController();
  const waiting = sleep(60_000, stop.signal);
  stop.abort(new Error("stopped"));
  await assert.rejects(waiting, /stopped/);
});

Deno.test("sleep rejects at once on a signal that has already aborted", async () => {
  await assert.rejects(sleep(10, AbortSignal.abort(new Error("already"))), /already/);
  await assert.rejects(sleep(0, AbortSignal.abort(new Error("already"))), /already/);
});

Deno.test("sleep of Infinity waits for the signal only", async () => {
  const stop = new AbortController();
  let settled = false;
  const waiting = sleep(Infinity, stop.signal).finally(() => settled = true);
  await sleep(20);
  assert.equal(settled, false);
  stop.abort(new Error("done"));
  await assert.rejects(waiting, /done/);
});

Deno.test("sleep removes its abort listener once the time has passed", async () => {
  const stop = new AbortController();
  await sleep(1, stop.signal);
  stop.abort(new Error("late"));
  // Nothing rejects: a late abort after the wait is a no-op.
  await sleep(1);
});
