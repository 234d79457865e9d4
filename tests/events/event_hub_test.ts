import assert from "node:assert/strict";
import { Backlog } from "../../src/connection/read_pacer.ts";
import { EventHub } from "../../src/events/event_hub.ts";
import { AmiGap } from "../../mod.ts";
import { AmiFrameParser } from "../../src/wire/parser.ts";
import type { AmiMessage } from "../../src/wire/message.ts";

function events(text: string): AmiMessage[] {
  return AmiFrameParser.parseAll(text, { banner: false });
}

const [newchannel, hangup] = events(
  "Event: Newchannel\r\nChannel: PJSIP/1\r\n\r\nEvent: Hangup\r\nChannel: PJSIP/1\r\n\r\n",
);

Deno.test("EventHub keeps the backlog of all consumers up to date as events come and go", async () => {
  const backlog = new Backlog();
  const hub = new EventHub(backlog);
  const all = hub.subscribe(undefined);
  const hangups = hub.subscribe("Hangup");
  hub.publish(newchannel!);
  hub.publish(hangup!);
  assert.equal(backlog.count, 3);
  assert.equal(hub.buffered, 3);
  await all.next();
  assert.equal(backlog.count, 2);
  await hangups.return();
  assert.equal(backlog.count, 1);
  assert.equal(hub.size, 1);
  hub.close();
  await all.next();
  assert.equal(backlog.count, 0);
});

Deno.test("EventHub never attaches a consumer whose signal was already aborted", async () => {
  const hub = new EventHub(new Backlog());
  const stream = hub.subscribe(undefined, { signal: AbortSignal.abort() });
  assert.equal(hub.size, 0);
  hub.publish(hangup!);
  assert.deepEqual(await stream.next(), { value: undefined, done: true });
});

Deno.test("EventHub: after connectionLost(), linkBack() gives gap consumers a reconnect gap, even when full, and counts the loss on the others", async () => {
  const hub = new EventHub(new Backlog());
  const gaps = hub.subscribe(undefined, { gaps: true, bufferSize: 1 });
  const plain = hub.subscribe(undefined);
  hub.publish(hangup!);
  hub.connectionLost(1000);
  assert.equal(gaps.buffered, 1, "no marker while the link is down");
  const later = hub.subscribe(undefined, { gaps: true });
  hub.connectionLost(1100); // a failed attempt keeps the first drop's time
  assert.deepEqual(hub.linkBack(1250), { droppedAt: 1000, restoredAt: 1250 });
  assert.equal(hub.linkBack(1300), undefined, "once");
  assert.equal((await gaps.next()).value, hangup);
  const marker = (await gaps.next()).value;
  assert.ok(marker instanceof AmiGap && marker.reason === "reconnect");
  assert.deepEqual([marker.droppedAt, marker.restoredAt, marker.at], [1000, 1250, 1250]);
  assert.equal((await plain.next()).value, hangup);
  assert.equal(plain.buffered, 0);
  assert.equal(plain.reconnectGaps, 1);
  assert.equal(later.reconnectGaps, 1, "attached at the second drop");
  assert.deepEqual(hub.takeOutage(), { droppedAt: 1000, restoredAt: 1250 });
  assert.equal(hub.takeOutage(), undefined);
  hub.close();
});

Deno.test("EventHub: the first event after a drop brings the markers in before it", async () => {
  const hub = new EventHub(new Backlog());
  const gaps = hub.subscribe(undefined, { gaps: true });
  hub.connectionLost(1000);
  hub.publish(hangup!);
  assert.ok((await gaps.next()).value instanceof AmiGap);
  assert.equal((await gaps.next()).value, hangup);
  assert.equal(hub.takeOutage()?.droppedAt, 1000);
  hub.close();
});

Deno.test("EventHub: events held for the first consumer across a drop reach it with the reconnect gap in place", async () => {
  const hub = new EventHub(new Backlog(), 10);
  hub.publish(hangup!);
  hub.connectionLost(1000);
  hub.linkBack(1250);
  hub.publish(hangup!);
  const gaps = hub.subscribe(undefined, { gaps: true });
  assert.equal((await gaps.next()).value, hangup);
  const marker = (await gaps.next()).value;
  assert.ok(marker instanceof AmiGap && marker.reason === "reconnect" && marker.droppedAt === 1000);
  assert.equal((await gaps.next()).value, hangup);
  assert.equal(gaps.reconnectGaps, 1);
  hub.close();
});

Deno.test("EventHub: a first consumer that comes while the link is down takes the held events, and the outage goes on", () => {
  const hub = new EventHub(new Backlog(), 10);
  hub.publish(hangup!);
  hub.connectionLost(1000);
  const plain = hub.subscribe(undefined);
  assert.equal(plain.buffered, 1);
  assert.equal(hub.takeOutage(), undefined, "the link is not back");
  assert.deepEqual(hub.linkBack(1250), { droppedAt: 1000, restoredAt: 1250 });
  assert.equal(plain.reconnectGaps, 1, "its held events came from before the drop");
  hub.close();
});
