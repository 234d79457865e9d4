import assert from "node:assert/strict";
import { AmiClient, type AmiMessage } from "../../mod.ts";
import { AmiTestServer, type AmiTestSession } from "../../testing.ts";

/** The event mask each `Events` action and the login asked for, in order. */
function masksAsked(session: AmiTestSession): string[] {
  return session.received
    .filter((action) => action.name === "Login" || action.name === "Events")
    .map((action) => `${action.name} ${action.get("Events") ?? action.get("EventMask")}`);
}

/**
 * Emits numbered events on `session` as fast as it can, from now until
 * `stop` aborts; resolves with the numbers the server did send (the others
 * the session's mask held back, as Asterisk does).
 */
async function flood(session: AmiTestSession, stop: AbortSignal): Promise<number[]> {
  const sent: number[] = [];
  for (let n = 1; !stop.aborted; n++) {
    if (session.emit({ Event: "UserEvent", Privilege: "user,all", UserEvent: "flood", N: n })) {
      sent.push(n);
    }
    if (n % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return sent;
}

Deno.test("connect() logs in with events off and turns them on only after the first consumer is registered", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url);
  const session = await server.waitForSession(1);
  assert.equal(session.eventMask, "off");
  // Asterisk sends not even FullyBooted to a session logged in with events off.
  assert.equal(session.emit({ Event: "Reload", Privilege: "system,all" }), false);
  await using events = await client.subscribe("UserEvent");
  assert.deepEqual(masksAsked(session), ["Login off", "Events on"]);
  assert.equal(session.eventMask, "on");
  session.emit({ Event: "UserEvent", Privilege: "user,all", UserEvent: "x" });
  assert.equal((await events.next()).value?.UserEvent, "x");
  // A second consumer changes nothing on the server.
  await using more = await client.subscribe();
  assert.equal(masksAsked(session).length, 2);
  assert.equal(more.buffered, 0);
});

Deno.test("a server that floods from the first byte after login loses nothing for connect() then events()", async () => {
  await using server = new AmiTestServer();
  server.listen();
  const stop = new AbortController();
  const flooding = server.waitForSession(1).then(async (session) => {
    await session.waitForAction((action) => action.name === "Login");
    return flood(session, stop.signal);
  });
  await using client = await AmiClient.connect(server.url);
  const events = client.events("UserEvent");
  const seen: number[] = [];
  for await (const ev of events) {
    seen.push(Number(ev.N));
    if (seen.length === 2_000) break;
  }
  stop.abort();
  const sent = await flooding;
  // Everything the server sent up to the last one read came, in order, with nothing in between.
  assert.deepEqual(seen, sent.slice(0, seen.length));
  assert.ok(sent.length >= seen.length);
});

Deno.test("subscribe() resolves once the server has the events on: an event emitted right then is delivered", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url);
  const session = await server.waitForSession(1);
  const hangups = await client.subscribe({ Event: "Hangup", Cause: "16" }, { gaps: true });
  assert.equal(session.emit({ Event: "Hangup", Privilege: "call,all", Cause: "17" }), true);
  assert.equal(session.emit({ Event: "Hangup", Privilege: "call,all", Cause: "16" }), true);
  const { value } = await hangups.next();
  assert.equal((value as AmiMessage).get("Cause"), "16");
  await hangups.return();
});

Deno.test("originate() with no consumer turns on the call class only, and gets its OriginateResponse", async () => {
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
  await using client = await AmiClient.connect(server.url);
  const session = await server.waitForSession(1);
  const done = await client.originate({
    Action: "Originate",
    Channel: "PJSIP/100",
    Application: "Wait",
    Data: "1",
  });
  assert.equal(done.Uniqueid, "1.1");
  assert.deepEqual(masksAsked(session), ["Login off", "Events call"]);
  // A consumer that comes later gets the rest, from when it subscribed.
  session.emit({ Event: "UserEvent", Privilege: "user,all", UserEvent: "before" });
  await using events = await client.subscribe("UserEvent");
  assert.deepEqual(masksAsked(session), ["Login off", "Events call", "Events on"]);
  session.emit({ Event: "UserEvent", Privilege: "user,all", UserEvent: "after" });
  assert.equal((await events.next()).value?.UserEvent, "after");
});

Deno.test("an explicit events option at login keeps events that come before the first consumer for it", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url, { events: "user" });
  const session = await server.waitForSession(1);
  for (let n = 1; n <= 3; n++) {
    session.emit({ Event: "UserEvent", Privilege: "user,all", UserEvent: "early", N: n });
  }
  await client.send({ Action: "Ping" }); // the events are read by now
  await using events = await client.subscribe("UserEvent");
  const seen = [];
  for (let n = 1; n <= 3; n++) seen.push((await events.next()).value?.N);
  assert.deepEqual(seen, ["1", "2", "3"]);
  // The user chose the mask: the client never sets it.
  assert.deepEqual(masksAsked(session), ["Login user"]);
});

Deno.test("a mask the user sets is theirs: the first consumer does not turn every event on", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url);
  const session = await server.waitForSession(1);
  await client.setEventClasses(["call"]);
  await using events = await client.subscribe();
  await client.send({ Action: "Ping" });
  assert.deepEqual(masksAsked(session), ["Login off", "Events call"]);
  assert.equal(session.emit({ Event: "UserEvent", Privilege: "user,all" }), false);
  assert.equal(events.buffered, 0);
});

Deno.test("a consumer made before login() on a client over any stream has its events from the login on", async () => {
  await using server = new AmiTestServer();
  const client = new AmiClient(server.connect());
  const booted = client.events("FullyBooted");
  await client.login({ username: "admin", secret: "amp111" });
  assert.equal((await booted.next()).value?.Event, "FullyBooted");
  assert.equal(server.sessions[0]?.eventMask, "on");
  await booted.return();
  await client.close();
});
