import assert from "node:assert/strict";
import { AmiClient, type AmiConnectionState, type AmiProtocolError } from "../../mod.ts";
import { AmiTestServer, type AmiTestSession } from "../../testing.ts";

/** What the session was asked for after the login: `Filter <criteria>` and `Events <mask>`. */
function selectionAsked(session: AmiTestSession): string[] {
  return session.received
    .filter((action) => ["Login", "Filter", "Events"].includes(action.name))
    .map((action) =>
      action.name === "Login"
        ? `Login ${action.get("Events")}`
        : action.name === "Filter"
        ? `Filter ${action.get("MatchCriteria") ?? action.get("Filter")}`
        : `Events ${action.get("EventMask")}`
    );
}

async function until(client: AmiClient, wanted: AmiConnectionState): Promise<void> {
  for await (const { state } of client.stateChanges()) if (state === wanted) return;
}

Deno.test('serverFilters: "auto" adds include filters and the smallest mask for the consumers, and grows with them', async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url, { serverFilters: "auto" });
  const session = await server.waitForSession(1);
  await using hangups = await client.subscribe("Hangup");
  assert.deepEqual(selectionAsked(session), [
    "Login off",
    "Filter action(include),name(Hangup),method(none)",
    "Events call",
  ]);
  // The server itself drops what no consumer wants.
  assert.equal(session.emit({ Event: "VarSet", Privilege: "dialplan,all" }), false);
  assert.equal(session.emit({ Event: "Newchannel", Privilege: "call,all" }), false);
  assert.equal(session.emit({ Event: "Hangup", Privilege: "call,all", Channel: "A" }), true);
  assert.equal((await hangups.next()).value?.Channel, "A");
  // A new consumer adds its filter and class; nothing is removed.
  await using users = await client.subscribe({ Event: "UserEvent", UserEvent: "tick" });
  // Only the events whose UserEvent line says tick (a regex over the whole event text).
  assert.deepEqual(selectionAsked(session).slice(3), [
    "Filter action(include),name(UserEvent),method(regex)",
    "Events call,user",
  ]);
  assert.equal(
    session.emit({ Event: "UserEvent", Privilege: "user,all", UserEvent: "tock" }),
    false,
  );
  assert.equal(
    session.emit({ Event: "UserEvent", Privilege: "user,all", UserEvent: "tick" }),
    true,
  );
  assert.equal((await users.next()).value?.UserEvent, "tick");
  // A predicate cannot be told to the server: a catch-all include opens the session up.
  await using all = await client.subscribe((ev) => ev.name.startsWith("Var"));
  assert.deepEqual(selectionAsked(session).slice(5), ["Filter .", "Events on"]);
  assert.equal(session.emit({ Event: "VarSet", Privilege: "dialplan,all", Variable: "X" }), true);
  assert.equal((await all.next()).value?.Variable, "X");
  assert.equal(client.stats.serverFilters, "auto");
});

Deno.test("a Filter refused (no write=system) falls back to the mask and client-side filtering, and says so", async () => {
  await using server = new AmiTestServer({ faults: { refuseFilter: true } });
  server.listen();
  const errors: AmiProtocolError[] = [];
  await using client = await AmiClient.connect(server.url, {
    serverFilters: "auto",
    onProtocolError: (error) => errors.push(error),
  });
  const session = await server.waitForSession(1);
  await using hangups = await client.subscribe({ Event: "Hangup", Channel: "PJSIP/1" });
  assert.equal(client.stats.serverFilters, "fallback");
  assert.deepEqual(errors.map((error) => error.kind), ["filter-refused"]);
  assert.match(errors[0]!.message, /Permission denied/);
  assert.equal(session.filters.length, 0);
  assert.equal(session.eventMask, "call");
  session.emit({ Event: "Hangup", Privilege: "call,all", Channel: "PJSIP/2" });
  session.emit({ Event: "Hangup", Privilege: "call,all", Channel: "PJSIP/1" });
  assert.equal((await hangups.next()).value?.Channel, "PJSIP/1");
});

Deno.test("after a reconnect: login with events off, the filters, then the mask; a refused Filter falls back, never fatal", async () => {
  await using server = new AmiTestServer();
  server.listen();
  const errors: AmiProtocolError[] = [];
  await using client = await AmiClient.connect(server.url, {
    serverFilters: "auto",
    reconnect: { initialDelay: 2, maxDelay: 20, jitter: 0 },
    onProtocolError: (error) => errors.push(error),
  });
  await using hangups = await client.subscribe("Hangup", { gaps: true });
  const first = await server.waitForSession(1);
  const back = until(client, "connected");
  // The manager.conf changed: the new session's user may no longer add filters.
  server.faults.refuseFilter = true;
  await first.abort();
  await back;
  const second = await server.waitForSession(2);
  assert.deepEqual(selectionAsked(second), [
    "Login off",
    "Filter action(include),name(Hangup),method(none)",
    "Events call",
  ]);
  assert.equal(client.state, "connected");
  assert.equal(client.stats.serverFilters, "fallback");
  assert.deepEqual(errors.map((error) => error.kind), ["filter-refused"]);
  second.emit({ Event: "Newchannel", Privilege: "call,all" });
  second.emit({ Event: "Hangup", Privilege: "call,all", Channel: "B" });
  let next = (await hangups.next()).value;
  if (next !== undefined && !("Channel" in next)) next = (await hangups.next()).value;
  assert.equal((next as { Channel?: string }).Channel, "B");
});

Deno.test('originate() under serverFilters: "auto" asks for its OriginateResponse first', async () => {
  await using server = new AmiTestServer();
  server.listen();
  server.handle("Originate", (action, session) => {
    session.emit({
      Event: "OriginateResponse",
      Privilege: "call,all",
      ActionID: action.actionId!,
      Response: "Success",
      Uniqueid: "1.1",
    });
    return { Message: "Originate successfully queued" };
  });
  await using client = await AmiClient.connect(server.url, { serverFilters: "auto" });
  const done = await client.originate({
    Action: "Originate",
    Channel: "PJSIP/100",
    Application: "Wait",
    Data: "1",
  });
  assert.equal(done.Uniqueid, "1.1");
  assert.deepEqual(selectionAsked(await server.waitForSession(1)), [
    "Login off",
    "Filter action(include),name(OriginateResponse),method(none)",
    "Events call",
  ]);
});

Deno.test("a Filter refused after another was accepted opens the session up again with a catch-all include", async () => {
  await using server = new AmiTestServer();
  server.listen();
  const errors: AmiProtocolError[] = [];
  await using client = await AmiClient.connect(server.url, {
    serverFilters: "auto",
    onProtocolError: (error) => errors.push(error),
  });
  const session = await server.waitForSession(1);
  await using hangups = await client.subscribe("Hangup");
  session.faults = { refuseFilter: true };
  await using users = await client.subscribe("UserEvent");
  assert.equal(client.stats.serverFilters, "fallback");
  assert.deepEqual(errors.map((error) => error.kind), ["filter-refused"]);
  // A catch-all include follows, so that the accepted Hangup include no longer hides the
  // UserEvents (this fault refuses it too; a real server that accepted one Filter accepts it).
  await client.send({ Action: "Ping" });
  assert.deepEqual(
    session.received.filter((action) => action.name === "Filter").map((a) => a.get("Filter") ?? ""),
    ["", "", "."],
  );
  assert.equal(session.eventMask, "call,user");
  await hangups.return();
  await users.return();
});
