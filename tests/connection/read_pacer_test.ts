import assert from "node:assert/strict";
import {
  Backlog,
  ReadPacer,
  SLICE_BYTES,
  SLICE_FRAMES,
  STALLED_TURNS,
} from "../../src/connection/read_pacer.ts";

Deno.test("ReadPacer cuts slices to about SLICE_FRAMES frames, learning their size", () => {
  const pacer = new ReadPacer(new Backlog());
  // Before anything is known, slices are sized for the smallest events.
  assert.ok(pacer.sliceBytes <= SLICE_FRAMES * 12);
  pacer.afterSlice(pacer.sliceBytes, pacer.sliceBytes / 12);
  assert.equal(pacer.sliceBytes, SLICE_FRAMES * 12);
  // Larger frames: the slice grows (at most doubling per slice) up to SLICE_BYTES.
  for (let i = 0; i < 10; i++) pacer.afterSlice(4096, 4);
  assert.equal(pacer.sliceBytes, SLICE_BYTES);
  // Back to tiny frames: learnt after one slice.
  pacer.afterSlice(SLICE_BYTES, SLICE_BYTES / 12);
  assert.equal(pacer.sliceBytes, SLICE_FRAMES * 12);
  pacer.dispose();
});

Deno.test("ReadPacer does not wait when no consumer has a backlog", () => {
  const pacer = new ReadPacer(new Backlog());
  assert.equal(pacer.afterSlice(1000, 10), undefined);
  pacer.dispose();
});

Deno.test("ReadPacer waits while consumers drain their backlog, and no longer", async () => {
  const backlog = new Backlog();
  const pacer = new ReadPacer(backlog);
  backlog.change(100);
  let taken = 0;
  const consumer = (async () => {
    while (backlog.count > 0) {
      await Promise.resolve();
      backlog.change(-1);
      taken++;
    }
  })();
  await pacer.afterSlice(1000, 100);
  assert.equal(backlog.count, 0);
  assert.equal(taken, 100);
  await consumer;
  pacer.dispose();
});

Deno.test("ReadPacer goes on after STALLED_TURNS turns without progress: a stuck consumer cannot stall it", async () => {
  const backlog = new Backlog();
  const pacer = new ReadPacer(backlog);
  backlog.change(5);
  let turns = 0;
  let counting = true;
  (async () => {
    while (counting) {
      await Promise.resolve();
      turns++;
    }
  })();
  await pacer.afterSlice(100, 5);
  counting = false;
  assert.ok(turns >= STALLED_TURNS && turns <= STALLED_TURNS + 2, `${turns} turns`);
  assert.equal(backlog.count, 5);
  pacer.dispose();
});

Deno.test("ReadPacer lets timers run once reads have been served without a turn for a while", async () => {
  const pacer = new ReadPacer();
  assert.equal(pacer.afterRead(), undefined); // arms the canary
  const start = performance.now();
  while (performance.now() - start < 15) {
    // Busy: reads served at once, no turn of the event loop.
  }
  const wait = pacer.afterRead();
  assert.ok(wait instanceof Promise);
  let timerRan = false;
  setTimeout(() => timerRan = true, 0);
  await wait;
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.ok(timerRan);
  pacer.dispose();
});
