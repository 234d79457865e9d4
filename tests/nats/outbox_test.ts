import assert from "node:assert/strict";
import { Outbox, type OutboxEntry, type OutboxLoss } from "../../src/nats/outbox.ts";

function entry(id: string, size = 10): OutboxEntry {
  return { subject: "ami.a.evt.X", payload: "x".repeat(size), headers: [], msgId: id, size };
}

function gapMaker(losses: OutboxLoss[]) {
  return (loss: OutboxLoss): OutboxEntry => {
    losses.push({ ...loss });
    return { ...entry(`gap${losses.length}`, 0), subject: "ami.a.gap" };
  };
}

function ids(outbox: Outbox): string[] {
  const found: string[] = [];
  for (let i = 0; outbox.at(i) !== undefined; i++) found.push(outbox.at(i)!.msgId);
  return found;
}

Deno.test("Outbox counts what does not fit and puts one gap in its place once there is room", () => {
  const losses: OutboxLoss[] = [];
  const outbox = new Outbox({ maxEvents: 3, maxBytes: 1_000 }, gapMaker(losses));
  for (let seq = 1; seq <= 7; seq++) outbox.push(entry(`e${seq}`), seq, "ep", 1_000 + seq);
  assert.deepEqual(ids(outbox), ["e1", "e2", "e3"]);
  assert.equal(outbox.lost, 4);
  assert.equal(losses.length, 0, "no gap while there is no room");
  outbox.remove(1);
  assert.deepEqual(ids(outbox), ["e2", "e3", "gap1"]);
  assert.deepEqual(losses, [{
    dropped: 4,
    fromSeq: 4,
    toSeq: 7,
    from: 1_004,
    to: 1_007,
    epoch: "ep",
  }]);
  outbox.remove(3);
  outbox.push(entry("e8"), 8, "ep", 1_008);
  assert.deepEqual(ids(outbox), ["e8"]);
});

Deno.test("Outbox bounds the bytes waiting too, but always takes one entry into an empty outbox", () => {
  const outbox = new Outbox({ maxEvents: 100, maxBytes: 25 }, gapMaker([]));
  assert.equal(outbox.push(entry("big", 40), 1, "ep", 1), true);
  assert.equal(outbox.push(entry("small", 10), 2, "ep", 2), false);
  outbox.remove(1);
  assert.equal(outbox.bytes, 0);
  assert.equal(outbox.push(entry("next", 10), 3, "ep", 3), true);
  assert.deepEqual(ids(outbox), ["gap1", "next"]);
});

Deno.test("Outbox takes a gap entry even when full, after the loss counted before it", () => {
  const losses: OutboxLoss[] = [];
  const outbox = new Outbox({ maxEvents: 1, maxBytes: 1_000 }, gapMaker(losses));
  outbox.push(entry("e1"), 1, "ep", 1);
  outbox.push(entry("e2"), 2, "ep", 2);
  outbox.pushAlways({ ...entry("reconnect", 0), subject: "ami.a.gap" });
  assert.deepEqual(ids(outbox), ["e1", "gap1", "reconnect"]);
  assert.equal(losses[0]?.dropped, 1);
});
