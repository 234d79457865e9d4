import assert from "node:assert/strict";
import type { AmiProtocolError } from "../../mod.ts";
import { AmiTestServer, eventList } from "../../testing.ts";
import { loggedIn } from "../support/logged_in.ts";

Deno.test("send() on a list action keeps the list's items from event consumers, without a report", async () => {
  await using server = new AmiTestServer();
  server.handle("CoreShowChannels", () =>
    eventList([
      { Event: "CoreShowChannel", Channel: "PJSIP/100-1" },
      { Event: "CoreShowChannel", Channel: "PJSIP/100-2" },
    ]));
  const errors: AmiProtocolError[] = [];
  await using client = await loggedIn(server, {
    heldEvents: 0,
    onProtocolError: (error) => void errors.push(error),
  });
  await using events = await client.subscribe((ev) => ev.name !== "FullyBooted");
  const response = await client.send({ Action: "CoreShowChannels" });
  assert.equal(response.EventList, "start");
  (await server.waitForSession(1)).emit({ Event: "UserEvent", UserEvent: "after" });
  const first = (await events.next()).value!;
  assert.equal(first.name, "UserEvent", `got ${first.name} first`);
  assert.deepEqual(errors, []);
  // The ActionID is free again once the list completed.
  const again = await client.send({ Action: "CoreShowChannels", ActionID: "mine" });
  assert.equal(again.ActionID, "mine");
  await client.send({ Action: "Ping" });
  assert.equal((await client.send({ Action: "Ping", ActionID: "mine" })).Ping, "Pong");
});
