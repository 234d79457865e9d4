import assert from "node:assert/strict";
import { AmiActionError, AmiClient, type AmiConnectionState, serverFilter } from "../../mod.ts";
import { AmiTestServer } from "../../testing.ts";
import { acceptLogin, BANNER, FrameReader, rawServer, writeText } from "../support/raw_server.ts";

async function until(client: AmiClient, wanted: AmiConnectionState): Promise<void> {
  for await (const { state } of client.stateChanges()) if (state === wanted) return;
}

Deno.test("addServerFilter narrows what the server sends, and is restored after a reconnect", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url, {
    heldEvents: 0,
    reconnect: { initialDelay: 2, maxDelay: 20, jitter: 0 },
  });
  await client.addServerFilter(
    serverFilter.include("Hangup").header("Channel").startsWith("PJSIP/"),
  );
  await using events = await client.subscribe((ev) => ev.name !== "FullyBooted");
  const first = await server.waitForSession(1);
  first.emit({ Event: "Hangup", Privilege: "call,all", Channel: "Local/a-1;1" });
  first.emit({ Event: "Newchannel", Privilege: "call,all", Channel: "PJSIP/100-1" });
  first.emit({ Event: "Hangup", Privilege: "call,all", Channel: "PJSIP/100-1" });
  const seen = (await events.next()).value!;
  assert.equal(`${seen.name} ${seen.Channel}`, "Hangup PJSIP/100-1");
  const back = until(client, "connected");
  await first.abort();
  await back;
  const second = await server.waitForSession(2);
  await second.waitForAction((action) => action.name === "Filter");
  assert.equal(
    second.received.find((action) => action.name === "Filter")?.get("MatchCriteria"),
    "action(include),name(Hangup),header(Channel),method(starts_with)",
  );
});

Deno.test("addServerFilter rejects with AmiActionError when the server refuses the filter", async () => {
  // A user without write=system: Asterisk answers Filter with Permission denied.
  await using server = rawServer(async (conn) => {
    await writeText(conn, BANNER);
    const reader = new FrameReader(conn);
    await acceptLogin(conn, reader);
    for (let action = await reader.next(); action !== undefined; action = await reader.next()) {
      const answer = action.Action === "Filter"
        ? "Response: Error\r\nMessage: Permission denied"
        : "Response: Goodbye";
      await writeText(conn, `${answer}\r\nActionID: ${action.ActionID}\r\n\r\n`);
    }
  });
  await using client = await AmiClient.connect(`${server.url}?auth=plain`);
  const error = await client.addServerFilter(serverFilter.include("Hangup")).then(
    () => undefined,
    (error) => error,
  );
  assert.ok(error instanceof AmiActionError, String(error));
  assert.equal(error.message, "Filter failed: Permission denied");
});

Deno.test("setEventClasses sets the mask; an unknown or wrongly cased class is a TypeError and nothing is sent", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url, { heldEvents: 0 });
  const session = await server.waitForSession(1);
  await assert.rejects(client.setEventClasses(["Call" as "call"]), TypeError);
  await assert.rejects(client.setEventClasses(["calls" as "call"]), /Unknown event class "calls"/);
  await client.send({ Action: "Ping" });
  assert.equal(session.received.filter((action) => action.name === "Events").length, 0);
  await client.setEventClasses(["call"]);
  assert.equal(
    session.received.find((action) => action.name === "Events")?.get("EventMask"),
    "call",
  );
  await using events = await client.subscribe();
  session.emit({ Event: "UserEvent", Privilege: "user,all", UserEvent: "hidden" });
  session.emit({ Event: "Hangup", Privilege: "call,all", Channel: "PJSIP/1" });
  assert.equal((await events.next()).value?.name, "Hangup");
});
