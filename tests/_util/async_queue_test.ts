import assert from "node:assert/strict";
import { AsyncQueue } from "../../src/_util/async_queue.ts";

async function drain<T>(queue: AsyncQueue<T>): Promise<T[]> {
  const read: T[] = [];
  for (let next = await queue.next(); !next.done; next = await queue.next()) read.push(next.value);
  return read;
}

Deno.test("AsyncQueue hands items over in order, to a reader that waits or one that comes later", async () => {
  const queue = new AsyncQueue<number>();
  const waiting = queue.next();
  queue.push(1);
  assert.deepEqual(await waiting, { value: 1, done: false });
  queue.push(2);
  queue.push(3);
  queue.finish();
  assert.deepEqual(await drain(queue), [2, 3]);
});

Deno.test("AsyncQueue without a gap policy refuses pushes past its capacity", () => {
  const queue = new AsyncQueue<number>({ capacity: 2 });
  assert.deepEqual([1, 2, 3].map((n) => queue.push(n)), [true, true, false]);
  assert.equal(queue.size, 2);
});

Deno.test("AsyncQueue with a gap policy counts what did not fit and yields one gap in its place", async () => {
  const queue = new AsyncQueue<string>({ capacity: 2, gap: (n) => `gap ${n}` });
  for (const item of ["a", "b", "c", "d"]) queue.push(item);
  assert.equal((await queue.next()).value, "a");
  queue.push("e"); // room again: the gap goes first, then the item
  queue.finish();
  assert.deepEqual(await drain(queue), ["b", "gap 2", "e"]);
});

Deno.test("AsyncQueue gives the reader its items, then the error once, then the end", async () => {
  const queue = new AsyncQueue<number>();
  queue.push(1);
  queue.finish(new Error("lost"));
  assert.deepEqual(await queue.next(), { value: 1, done: false });
  await assert.rejects(queue.next(), /lost/);
  assert.deepEqual(await queue.next(), { value: undefined, done: true });
});

Deno.test("AsyncQueue.clear() drops what is held and ends a reader that waits", async () => {
  const sizes: number[] = [];
  const queue = new AsyncQueue<number>({ onSizeChange: (delta) => sizes.push(delta) });
  queue.push(1);
  queue.push(2);
  queue.clear();
  assert.deepEqual(sizes, [1, 1, -2]);
  assert.deepEqual(await queue.next(), { value: undefined, done: true });
  const other = new AsyncQueue<number>();
  const waiting = other.next();
  other.clear();
  assert.deepEqual(await waiting, { value: undefined, done: true });
});

Deno.test("AsyncQueue refuses a second next() while the first waits", async () => {
  const queue = new AsyncQueue<number>();
  const first = queue.next();
  await assert.rejects(queue.next(), TypeError);
  queue.push(1);
  assert.equal((await first).value, 1);
});

Deno.test("AsyncQueue.pushPastCapacity() keeps a marker even when full", async () => {
  const queue = new AsyncQueue<string>({ capacity: 1 });
  queue.push("a");
  queue.pushPastCapacity("marker");
  queue.finish();
  assert.deepEqual(await drain(queue), ["a", "marker"]);
});
