import assert from "node:assert/strict";
import {
  AmiActionError,
  AmiAuthenticationError,
  AmiClient,
  AmiConnectionError,
  AmiConsumerOverflowError,
  AmiGap,
  type AmiMessage,
  AmiTimeoutError,
  type AmiWireFrame,
  formatWireFrame,
} from "../../mod.ts";
import { AmiTestServer, eventList, oversizeFrame } from "../../testing.ts";
import { loggedIn } from "../support/logged_in.ts";
import { collectProtocolErrors } from "../support/protocol_errors.ts";

Deno.test("the server closing the connection after a refused login closes the client with the reason", async () => {
  await using server = new AmiTestServer({ authFailureDelayMs: 1 });
  const client = new AmiClient(server.connect());
  await assert.rejects(
    client.login({ username: "admin", secret: "nope", auth: "plain" }),
    AmiAuthenticationError,
  );
  const reason = await client.closed;
  assert.ok(reason instanceof AmiConnectionError);
  assert.equal(client.state, "closed");
  assert.equal(client.loggedIn, false);
});

Deno.test("pipelined actions each get their own response, whatever the order they settle in", async () => {
  await using server = new AmiTestServer();
  server.handle("GetVar", async (action) => {
    // Later requests answer sooner on the server's side; responses still come in request order.
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { Variable: action.get("Variable")!, Value: `value of ${action.get("Variable")}` };
  });
  await using client = await loggedIn(server);
  const names = Array.from({ length: 100 }, (_, i) => `VAR${i}`);
  const responses = await Promise.all(
    names.map((name) => client.send({ Action: "GetVar", Variable: name })),
  );
  assert.deepEqual(responses.map((response) => response.Value), names.map((n) => `value of ${n}`));
  const ids = new Set(server.received.filter((a) => a.name === "GetVar").map((a) => a.actionId));
  assert.equal(ids.size, 100);
});

Deno.test("Response: Error rejects with AmiActionError carrying the response", async () => {
  await using server = new AmiTestServer();
  await using client = await loggedIn(server);
  try {
    await client.send({ Action: "NoSuchAction" });
    assert.fail("Response: Error must not resolve");
  } catch (error) {
    assert.ok(error instanceof AmiActionError);
    assert.equal(error.action, "NoSuchAction");
    assert.match(error.response.get("Message") ?? "", /Invalid\/unknown command: NoSuchAction/);
  }
  // The session is still fine.
  assert.equal((await client.send({ Action: "Ping" })).Response, "Success");
});

Deno.test("an action with CR or LF in a value is refused before anything is written", async () => {
  await using server = new AmiTestServer();
  await using client = await loggedIn(server);
  const before = server.received.length;
  await assert.rejects(
    client.send({ Action: "Setvar", Variable: "X", Value: "a\r\nAction: Logoff" }),
    (error: unknown) => error instanceof TypeError && /"Value"/.test(error.message),
  );
  await assert.rejects(client.send({ Action: "Ping", ActionID: " padded" }), TypeError);
  assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
  assert.deepEqual(server.received.slice(before).map((a) => a.name), ["Ping"]);
});

Deno.test("an ActionID already in flight is refused", async () => {
  await using server = new AmiTestServer({ faults: { responseDelayMs: 5 } });
  await using client = await loggedIn(server);
  const first = client.send({ Action: "Ping", ActionID: "same" });
  await assert.rejects(client.send({ Action: "Ping", ActionID: "same" }), TypeError);
  assert.equal((await first).actionId, "same");
});

Deno.test("sendList() collects an event list up to EventList: Complete", async () => {
  await using server = new AmiTestServer();
  server.handle("CoreShowChannels", () =>
    eventList([
      { Event: "CoreShowChannel", Channel: "Local/a-00000000;1" },
      { Event: "CoreShowChannel", Channel: "Local/a-00000000;2" },
    ], { message: "Channels will follow" }));
  await using client = await loggedIn(server);
  const hangups = client.events("CoreShowChannel");
  const { response, items, complete } = await client.sendList({ Action: "CoreShowChannels" });
  assert.equal(response.get("EventList"), "start");
  assert.deepEqual(items.map((item) => item.Channel), ["Local/a-00000000;1", "Local/a-00000000;2"]);
  assert.equal(complete?.get("ListItems"), "2");
  // List items belong to the request, not to the event stream.
  server.emit({ Event: "CoreShowChannel", Channel: "broadcast" });
  assert.equal((await hangups.next()).value?.Channel, "broadcast");
  await hangups.return();
});

Deno.test("sendList() of an action answered with a plain success resolves with no items", async () => {
  await using server = new AmiTestServer();
  await using client = await loggedIn(server);
  const { items, complete } = await client.sendList({ Action: "Ping" });
  assert.deepEqual(items, []);
  assert.equal(complete, undefined);
});

Deno.test("sendList() rejects on Response: Error", async () => {
  await using server = new AmiTestServer();
  server.handle("Status", () => ({ Response: "Error", Message: "No such channel" }));
  await using client = await loggedIn(server);
  await assert.rejects(client.sendList({ Action: "Status", Channel: "nope" }), AmiActionError);
});

Deno.test("streamList() yields items as they arrive and exposes the response", async () => {
  await using server = new AmiTestServer();
  server.handle("QueueStatus", () =>
    eventList([
      { Event: "QueueParams", Queue: "support" },
      { Event: "QueueMember", Queue: "support", Name: "Local/100" },
      { Event: "QueueEntry", Queue: "support", Position: 1 },
    ], { message: "Queue status will follow" }));
  await using client = await loggedIn(server);
  const list = client.streamList({ Action: "QueueStatus" });
  const seen: string[] = [];
  for await (const item of list) seen.push(item.Event!);
  assert.deepEqual(seen, ["QueueParams", "QueueMember", "QueueEntry"]);
  assert.equal((await list.response).get("Message"), "Queue status will follow");
  assert.equal((await list.result).complete?.get("ListItems"), "3");
});

Deno.test("streamList() iteration throws the action's error", async () => {
  await using server = new AmiTestServer();
  await using client = await loggedIn(server);
  const list = client.streamList({ Action: "NoSuchList" });
  await assert.rejects(async () => {
    for await (const _ of list) assert.fail("no item expected");
  }, AmiActionError);
  await assert.rejects(list.response, AmiActionError);
});

for (const commandFormat of ["modern", "legacy"] as const) {
  Deno.test(`command() returns the CLI output lines (${commandFormat} reply format)`, async () => {
    await using server = new AmiTestServer({ commandFormat });
    server.command(
      "core show channels",
      () => "Channel  Location  State\n\nKey: looks like a header\n3 active channels\n",
    );
    await using client = await loggedIn(server);
    assert.deepEqual(await client.command("core show channels"), [
      "Channel  Location  State",
      "",
      "Key: looks like a header",
      "3 active channels",
    ]);
  });

  Deno.test(`a failing CLI command rejects with its output (${commandFormat} reply format)`, async () => {
    await using server = new AmiTestServer({ commandFormat });
    server.command(
      "core show channel",
      () => ({ output: "Usage: core show channel <channel>\n", error: true }),
    );
    await using client = await loggedIn(server);
    if (commandFormat === "legacy") {
      // The legacy format has no error status: the output is all there is.
      assert.deepEqual(await client.command("core show channel"), [
        "Usage: core show channel <channel>",
      ]);
      return;
    }
    try {
      await client.command("core show channel");
      assert.fail("the command failed");
    } catch (error) {
      assert.ok(error instanceof AmiActionError);
      assert.deepEqual(error.response.getAll("Output"), ["Usage: core show channel <channel>"]);
    }
  });
}

Deno.test("originate() waits for the OriginateResponse with its ActionID; other consumers see it too", async () => {
  await using server = new AmiTestServer();
  server.handle("Originate", (action, session) => {
    assert.equal(action.get("Async"), "true");
    session.emit({ Event: "OriginateResponse", ActionID: "someone-else", Response: "Failure" });
    session.emit({
      Event: "OriginateResponse",
      ActionID: action.actionId!,
      Response: "Success",
      Channel: "Local/100@from-internal-00000000;1",
      Uniqueid: "1795490000.1",
    });
    return { Message: "Originate successfully queued" };
  });
  await using client = await loggedIn(server);
  const watcher = client.events("OriginateResponse");
  const answered = await client.originate({
    Action: "Originate",
    Channel: "Local/100@from-internal",
    Application: "Echo",
  });
  assert.equal(answered.Response, "Success");
  assert.equal(answered.Uniqueid, "1795490000.1");
  assert.equal((await watcher.next()).value?.ActionID, "someone-else");
  assert.equal((await watcher.next()).value?.Uniqueid, "1795490000.1");
  await watcher.return();
});

Deno.test("originate() rejects when the OriginateResponse says Failure", async () => {
  await using server = new AmiTestServer();
  server.handle("Originate", (action, session) => {
    session.emit({
      Event: "OriginateResponse",
      ActionID: action.actionId!,
      Response: "Failure",
      Channel: "Local/busy@ami-test",
      Reason: 5,
      Uniqueid: "<unknown>",
    });
    return { Message: "Originate successfully queued" };
  });
  await using client = await loggedIn(server);
  try {
    await client.originate({
      Action: "Originate",
      Channel: "Local/busy@ami-test",
      Application: "Echo",
    });
    assert.fail("a failed call must reject");
  } catch (error) {
    assert.ok(error instanceof AmiActionError);
    assert.equal(error.response.kind, "event");
    assert.equal(error.response.get("Reason"), "5");
  }
});

Deno.test("events() filters by name, names, header matches and predicates; each consumer is independent", async () => {
  await using server = new AmiTestServer();
  await using client = await loggedIn(server);
  const all = client.events();
  const byName = client.events("hangup");
  const byNames = client.events(["Newchannel", "Hangup"]);
  const byHeaders = client.events({ Event: "Hangup", Channel: /^PJSIP\// });
  const byList = client.events({ Cause: ["16", "17"] });
  const byPredicate = client.events((ev) => ev.get("uniqueid") === "2");
  server.emit({ Event: "Newchannel", Channel: "PJSIP/100-1", Uniqueid: 1 });
  server.emit({ Event: "Hangup", Channel: "Local/x-1", UniqueID: 2, Cause: 16 });
  server.emit({ Event: "Hangup", Channel: "PJSIP/100-1", Uniqueid: 1, Cause: 17 });
  const take = async (stream: AsyncIterator<AmiMessage>, n: number) => {
    const channels: (string | undefined)[] = [];
    for (let i = 0; i < n; i++) channels.push((await stream.next()).value?.get("Channel"));
    return channels;
  };
  assert.deepEqual(await take(all, 3), ["PJSIP/100-1", "Local/x-1", "PJSIP/100-1"]);
  assert.deepEqual(await take(byName, 2), ["Local/x-1", "PJSIP/100-1"]);
  assert.deepEqual(await take(byNames, 3), ["PJSIP/100-1", "Local/x-1", "PJSIP/100-1"]);
  assert.deepEqual(await take(byHeaders, 1), ["PJSIP/100-1"]);
  assert.deepEqual(await take(byList, 2), ["Local/x-1", "PJSIP/100-1"]);
  assert.deepEqual(await take(byPredicate, 1), ["Local/x-1"]);
  assert.equal(byHeaders.buffered + byPredicate.buffered, 0);
  for (const stream of [all, byName, byNames, byHeaders, byList, byPredicate]) {
    await stream.return();
  }
});

Deno.test("a slow consumer overflows alone: it gets what it buffered, then AmiConsumerOverflowError", async () => {
  await using server = new AmiTestServer();
  await using client = await loggedIn(server);
  const slow = client.events("UserEvent", { bufferSize: 5 });
  const gaps = client.events("UserEvent", { bufferSize: 5, gaps: true });
  const fast = client.events("UserEvent");
  for (let i = 0; i < 20; i++) server.emit({ Event: "UserEvent", UserEvent: "tick", N: i });
  // The reader kept draining the socket: an action still goes through.
  assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");

  const slowSeen: string[] = [];
  await assert.rejects(async () => {
    for await (const ev of slow) slowSeen.push(ev.N!);
  }, AmiConsumerOverflowError);
  assert.deepEqual(slowSeen, ["0", "1", "2", "3", "4"]);

  const gapSeen: (string | number)[] = [];
  for (let i = 0; i < 6; i++) {
    const item = (await gaps.next()).value!;
    gapSeen.push(item instanceof AmiGap ? `gap of ${item.dropped}` : item.N!);
  }
  assert.deepEqual(gapSeen, ["0", "1", "2", "3", "4", "gap of 15"]);
  server.emit({ Event: "UserEvent", UserEvent: "tick", N: 20 });
  const next = (await gaps.next()).value!;
  assert.ok(!(next instanceof AmiGap));
  assert.equal(next.N, "20");

  const fastSeen: string[] = [];
  for (let i = 0; i < 21; i++) fastSeen.push((await fast.next()).value!.N!);
  assert.deepEqual(fastSeen, Array.from({ length: 21 }, (_, i) => String(i)));
  await gaps.return();
  await fast.return();
});

Deno.test("an aborted signal ends an events() iteration quietly", async () => {
  await using server = new AmiTestServer();
  await using client = await loggedIn(server);
  const controller = new AbortController();
  const stream = client.events(undefined, { signal: controller.signal });
  const pending = stream.next();
  controller.abort();
  assert.deepEqual(await pending, { value: undefined, done: true });
});

Deno.test("every action pending when the server closes rejects with AmiConnectionError", async () => {
  await using server = new AmiTestServer();
  const client = await loggedIn(server);
  const session = server.sessions[0]!;
  session.faults = { silent: true };
  const pending = Array.from({ length: 10 }, () => client.send({ Action: "Ping" }));
  await session.waitForAction((a) => a.name === "Ping", 10);
  await session.close();
  const results = await Promise.allSettled(pending);
  assert.ok(
    results.every((r) => r.status === "rejected" && r.reason instanceof AmiConnectionError),
  );
  await client.closed;
});

Deno.test("an action times out with AmiTimeoutError; its late response is reported, not misrouted", async () => {
  const { errors, options } = collectProtocolErrors();
  await using server = new AmiTestServer();
  const client = await loggedIn(server, options);
  const session = server.sessions[0]!;
  session.faults = { silent: true };
  await assert.rejects(client.send({ Action: "Ping" }, { timeout: 20 }), AmiTimeoutError);
  const controller = new AbortController();
  const aborted = client.send({ Action: "Ping" }, { signal: controller.signal });
  controller.abort(new Error("user gave up"));
  await assert.rejects(aborted, /user gave up/);
  const [timedOut] = session.received.filter((a) => a.name === "Ping");
  session.faults = {};
  await session.send(`Response: Success\r\nActionID: ${timedOut!.actionId}\r\nPing: Pong\r\n\r\n`);
  await session.send("Response: Success\r\nPing: Pong\r\n\r\n");
  assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
  assert.deepEqual(errors.map((e) => e.kind), ["unroutable-response", "unroutable-response"]);
  await client.close();
});

Deno.test("frames that are too large or neither response nor event are reported and skipped", async () => {
  const { errors, options } = collectProtocolErrors();
  await using server = new AmiTestServer();
  await using client = await loggedIn(server, { ...options, maxFrameBytes: 4096 });
  const session = server.sessions[0]!;
  await session.send(oversizeFrame(10_000));
  await session.send("Foo: bar\r\n\r\n");
  assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
  assert.deepEqual(errors.map((e) => e.kind), ["frame-too-large", "unknown-frame"]);
});

Deno.test("wire taps see every frame; formatWireFrame hides the Key and the Secret", async () => {
  await using server = new AmiTestServer();
  const frames: AmiWireFrame[] = [];
  const client = new AmiClient(server.connect(), { onWire: (frame) => frames.push(frame) });
  await client.login({ username: "admin", secret: "amp111" });
  await client.send({ Action: "Ping" });
  await client.close();
  const sent = frames.filter((f) => f.direction === "sent").map((f) => f.text);
  assert.match(sent[0]!, /^Action: Challenge\r\n/);
  assert.match(sent[1]!, /\r\nKey: [0-9a-f]{32}\r\n/);
  assert.ok(frames.some((f) => f.direction === "received" && /Ping: Pong/.test(f.text)));
  assert.ok(frames.some((f) => f.text === "Asterisk Call Manager/13.0.0\r\n"));
  const printed = frames.map(formatWireFrame).join("\n");
  assert.doesNotMatch(printed, /Key: [0-9a-f]{32}/);
  assert.match(printed, />> Key: \*\*\*/);
});

Deno.test("await using logs off, then closes; disposing twice is harmless", async () => {
  await using server = new AmiTestServer();
  const client = await loggedIn(server);
  const stream = client.events();
  await client[Symbol.asyncDispose]();
  await client[Symbol.asyncDispose]();
  assert.equal(server.received.filter((a) => a.name === "Logoff").length, 1);
  assert.equal(client.state, "closed");
  assert.equal(await client.closed, undefined);
  assert.deepEqual(await stream.next(), { value: undefined, done: true });
});

Deno.test("close() does not log off and ends event iterators without an error", async () => {
  await using server = new AmiTestServer();
  const client = await loggedIn(server);
  const stream = client.events();
  await client.close();
  assert.equal(server.received.some((a) => a.name === "Logoff"), false);
  assert.deepEqual(await stream.next(), { value: undefined, done: true });
  assert.deepEqual(await client.events().next(), { value: undefined, done: true });
});

Deno.test("stateChanges() follows the connection to closed", async () => {
  await using server = new AmiTestServer();
  const client = await loggedIn(server);
  const states: string[] = [];
  const following = (async () => {
    for await (const change of client.stateChanges()) states.push(change.state);
  })();
  await client.close();
  await following;
  assert.deepEqual(states, ["closed"]);
});

Deno.test("a filter that throws ends only its own consumer, with that error", async () => {
  await using server = new AmiTestServer();
  await using client = await loggedIn(server);
  const broken = client.events(() => {
    throw new RangeError("bad filter");
  });
  const healthy = client.events("UserEvent");
  server.emit({ Event: "UserEvent", UserEvent: "one" });
  await assert.rejects(broken.next(), RangeError);
  assert.equal((await healthy.next()).value?.UserEvent, "one");
  await healthy.return();
});
