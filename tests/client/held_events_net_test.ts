import assert from "node:assert/strict";
import { AmiClient, AmiConsumerOverflowError, AmiGap } from "../../mod.ts";
import { BANNER, FrameReader, rawServer, writeText } from "../support/raw_server.ts";

/** A raw server that answers the login and, in the same write, floods `count` events. */
function floodingServer(count: number) {
  return rawServer(async (conn) => {
    await writeText(conn, BANNER);
    const reader = new FrameReader(conn);
    const login = await reader.next();
    let text = `Response: Success\r\nActionID: ${login?.ActionID}\r\n` +
      `Message: Authentication accepted\r\n\r\n`;
    for (let i = 1; i <= count; i++) text += `Event: UserEvent\r\nUserEvent: e${i}\r\n\r\n`;
    await writeText(conn, text);
    // Answers the logoff, then hangs up.
    const logoff = await reader.next();
    await writeText(conn, `Response: Goodbye\r\nActionID: ${logoff?.ActionID}\r\n\r\n`);
  });
}

async function take(stream: AsyncIterator<unknown>, count: number): Promise<unknown[]> {
  const items: unknown[] = [];
  for (let i = 0; i < count; i++) items.push((await stream.next()).value);
  return items;
}

Deno.test("the quick start loses nothing: events flooded right after the login wait for the first consumer", async () => {
  await using server = floodingServer(500);
  await using client = await AmiClient.connect(`${server.url}?auth=plain`);
  // Let the whole flood be read before anyone consumes.
  await new Promise((resolve) => setTimeout(resolve, 50));
  await using events = client.events();
  const seen = await take(events, 500) as AmiMessageLike[];
  assert.deepEqual(
    seen.map((ev) => ev.UserEvent),
    Array.from({ length: 500 }, (_, i) => `e${i + 1}`),
  );
  assert.ok(seen.every((ev, i) => i === 0 || ev.seq! > seen[i - 1]!.seq!));
  // Only the first consumer gets them.
  await using second = client.events();
  assert.equal(second.buffered, 0);
});

interface AmiMessageLike {
  UserEvent?: string;
  seq?: number;
}

Deno.test("events past the held bound are a gap for the first consumer, after those held", async () => {
  await using server = floodingServer(25);
  await using client = await AmiClient.connect(`${server.url}?auth=plain`, { heldEvents: 10 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await using events = client.events("UserEvent", { gaps: true });
  const items = await take(events, 11);
  assert.deepEqual(
    items.slice(0, 10).map((ev) => (ev as AmiMessageLike).UserEvent),
    Array.from({ length: 10 }, (_, i) => `e${i + 1}`),
  );
  const gap = items[10];
  assert.ok(gap instanceof AmiGap && gap.reason === "overflow" && gap.dropped === 15);
});

Deno.test("events past the held bound end a plain first consumer with an overflow, after those held", async () => {
  await using server = floodingServer(25);
  await using client = await AmiClient.connect(`${server.url}?auth=plain`, { heldEvents: 10 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const events = client.events("UserEvent");
  assert.equal((await take(events, 10)).length, 10);
  await assert.rejects(events.next(), AmiConsumerOverflowError);
});

Deno.test("heldEvents: 0 drops events that come before any consumer, as before", async () => {
  await using server = floodingServer(5);
  await using client = await AmiClient.connect(`${server.url}?auth=plain`, { heldEvents: 0 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await using events = client.events();
  assert.equal(events.buffered, 0);
});
