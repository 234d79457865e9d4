import assert from "node:assert/strict";
import { Deadlines } from "../../src/_util/deadlines.ts";

/** A deadline's owner that calls `expire`. */
function on(expire: () => unknown): { expire(): void } {
  return { expire: () => void expire() };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

Deno.test("Deadlines fire in the order they come due, across durations", async () => {
  const deadlines = new Deadlines();
  const fired: string[] = [];
  const due = new Map<string, number>();
  for (const [name, ms] of [["30", 30], ["5a", 5], ["15", 15], ["5b", 5]] as const) {
    due.set(name, deadlines.add(ms, on(() => fired.push(name))).at);
  }
  assert.equal(deadlines.pending, 4);
  // However late the timer runs on a busy machine, the order holds: by when each came due
  // (on a loaded machine the adds themselves may be milliseconds apart).
  while (deadlines.pending > 0) await sleep(10);
  const byDue = [...due.keys()].sort((a, b) => due.get(a)! - due.get(b)!);
  assert.deepEqual(fired, byDue);
  assert.equal(fired.length, 4);
  assert.equal(deadlines.pending, 0);
});

Deno.test("a cancelled deadline never fires, and cancelling them all leaves no timer referenced", async () => {
  const deadlines = new Deadlines();
  const fired: string[] = [];
  const a = deadlines.add(5, on(() => fired.push("a")));
  const b = deadlines.add(5, on(() => fired.push("b")));
  deadlines.cancel(a);
  deadlines.cancel(a);
  assert.equal(deadlines.pending, 1);
  // However late the timer runs, "b" fires once it is due; "a" never does.
  while (deadlines.pending > 0) await sleep(5);
  assert.deepEqual(fired, ["b"]);
  deadlines.cancel(b);
  const c = deadlines.add(1_000_000, on(() => fired.push("c")));
  deadlines.cancel(c);
  // The timer is left to run out unreferenced (deadlines_exit_net_test.ts shows it keeps no
  // process alive).
  assert.equal(deadlines.pending, 0);
});

Deno.test("a deadline set after all were cancelled still fires, on the timer left running", async () => {
  const deadlines = new Deadlines();
  const fired: string[] = [];
  deadlines.cancel(deadlines.add(5, on(() => fired.push("cancelled"))));
  deadlines.add(10, on(() => fired.push("kept")));
  while (deadlines.pending > 0) await sleep(5);
  assert.deepEqual(fired, ["kept"]);
});

Deno.test("many cancelled deadlines behind one that stays pending do not stop it firing", async () => {
  const deadlines = new Deadlines();
  let stuck = 0;
  deadlines.add(20, on(() => stuck++));
  for (let i = 0; i < 5000; i++) {
    deadlines.cancel(deadlines.add(20, on(() => assert.fail("cancelled"))));
  }
  assert.equal(deadlines.pending, 1);
  while (deadlines.pending > 0) await sleep(5);
  assert.equal(stuck, 1);
  assert.equal(deadlines.pending, 0);
});

Deno.test("a deadline set from inside an expiring one is honoured", async () => {
  const deadlines = new Deadlines();
  const fired: string[] = [];
  deadlines.add(
    2,
    on(() => {
      fired.push("first");
      deadlines.add(2, on(() => fired.push("second")));
    }),
  );
  while (fired.length < 2 || deadlines.pending > 0) await sleep(5);
  assert.deepEqual(fired, ["first", "second"]);
});

Deno.test("deadlines of several durations that all passed while the timer was late fire in the order they came due", async () => {
  const deadlines = new Deadlines();
  const fired: string[] = [];
  deadlines.add(30, on(() => fired.push("30")));
  deadlines.add(20, on(() => fired.push("20")));
  deadlines.add(10, on(() => fired.push("10")));
  // Keep the event loop busy past all three: the timer fires late, with every deadline due.
  const start = performance.now();
  while (performance.now() - start < 40) {
    // busy
  }
  while (deadlines.pending > 0) await sleep(5);
  assert.deepEqual(fired, ["10", "20", "30"]);
});
