import assert from "node:assert/strict";
import { AmiClient, type AmiConnectionState, AmiGap, type AmiMessage } from "../../mod.ts";
import { AmiTestServer, eventList } from "../../testing.ts";
import { AmiFrameParser } from "../../src/wire/parser.ts";

Deno.test("the parser numbers the frames it hands on with the sequence it is given", () => {
  let next = 40;
  const seen: AmiMessage[] = [];
  const parser = new AmiFrameParser((message) => seen.push(message), {
    banner: false,
    sequence: () => ++next,
  });
  parser.push(
    new TextEncoder().encode("Event: A\r\n\r\nResponse: Success\r\n\r\nEvent: B\r\n\r\n"),
  );
  assert.deepEqual(seen.map((message) => message.seq), [41, 42, 43]);
  assert.ok(Object.isFrozen(seen[0]));
});

Deno.test("every event and a list's opening response carry a seq in the order the client read them", async () => {
  await using server = new AmiTestServer();
  server.listen();
  server.handle("CoreShowChannels", () => eventList([{ Event: "CoreShowChannel", Channel: "A" }]));
  await using client = await AmiClient.connect(server.url);
  await using events = await client.subscribe("UserEvent");
  const session = await server.waitForSession(1);
  session.emit({ Event: "UserEvent", UserEvent: "before" });
  const before = (await events.next()).value!;
  const { response, items } = await client.sendList({ Action: "CoreShowChannels" });
  session.emit({ Event: "UserEvent", UserEvent: "after" });
  const after = (await events.next()).value!;
  assert.equal(typeof before.seq, "number");
  assert.ok(before.seq! < response.seq!, "the event before the list comes first");
  assert.ok(response.seq! < items[0]!.seq!, "the response opens the list");
  assert.ok(items[0]!.seq! < after.seq!, "the event after the list comes last");
});

Deno.test("seq keeps increasing across a reconnect", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url, {
    reconnect: { initialDelay: 2, maxDelay: 20, jitter: 0 },
  });
  await using events = await client.subscribe("UserEvent", { gaps: true });
  const first = await server.waitForSession(1);
  first.emit({ Event: "UserEvent", UserEvent: "one" });
  const one = (await events.next()).value as AmiMessage;
  const states = client.stateChanges();
  await first.abort();
  let state: AmiConnectionState | undefined;
  while (state !== "connected") state = (await states.next()).value?.state;
  await states.return(undefined);
  (await server.waitForSession(2)).emit({ Event: "UserEvent", UserEvent: "two" });
  let two = (await events.next()).value;
  while (two instanceof AmiGap) two = (await events.next()).value;
  assert.equal((two as AmiMessage).get("UserEvent"), "two");
  assert.ok((two as AmiMessage).seq! > one.seq!);
});
