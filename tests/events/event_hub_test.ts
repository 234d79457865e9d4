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

Deno.test("EventHub.connectionLost() gives gap consumers a reconnect gap, even when full, and ends the others", async () => {
  const hub = new EventHub(new Backlog());
  const gaps = hub.subscribe(undefined, { gaps: true, bufferSize: 1 });
  const plain = hub.subscribe(undefined);
  hub.publish(hangup!);
  hub.connectionLost();
  assert.equal((await gaps.next()).value, hangup);
  const marker = (await gaps.next()).value;
  assert.ok(marker instanceof AmiGap && marker.reason === "reconnect");
  assert.equal((await plain.next()).value, hangup);
  await assert.rejects(plain.next(), /re-established/);
  hub.close();
});
