/**
 * The test server of `@x/ami/testing`, driven with raw action text over both
 * connection kinds and checked frame by frame against what Asterisk writes.
 */

import assert from "node:assert/strict";
import {
  type AmiMessage,
  eventList,
  garbageBytes,
  invalidUtf8Event,
  oversizeFrame,
  rawReply,
} from "../../testing.ts";
import { AmiFrameParser } from "../../src/wire/parser.ts";
import { md5LoginKey } from "../../src/client/login.ts";
import { assertFields, expectReply } from "../support/expect_reply.ts";
import { RawAmiClient } from "../support/raw_ami_client.ts";
import { type Connect, defineTransportTests } from "./server_transport_cases.ts";
import { fastServer } from "../support/fast_server.ts";

const inMemory: Connect = (server) => Promise.resolve(new RawAmiClient(server.connect()));
defineTransportTests("in memory", inMemory);

Deno.test("an MD5 login uses the challenge and the secret", async () => {
  await using server = fastServer({ users: { admin: "amp111" } });
  const client = new RawAmiClient(server.connect());
  await client.action({ Action: "Challenge", ActionID: "challenge-1", AuthType: "MD5" });
  const challenge = await client.next();
  assert.equal(challenge.get("Response"), "Success");
  assert.equal(challenge.actionId, "challenge-1");
  const digits = challenge.get("Challenge")!;
  assert.match(digits, /^\d+$/);
  const key = md5LoginKey(digits, "amp111");
  await client.action({
    Action: "Login",
    ActionID: "login-2",
    AuthType: "MD5",
    Username: "admin",
    Key: key,
  });
  const response = await client.next();
  assert.equal(response.get("Message"), "Authentication accepted");
  assert.equal((await client.next()).name, "FullyBooted");
  await client.close();
});

Deno.test("an MD5 login with a wrong key fails", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.write("Action: Challenge\r\nAuthType: md5\r\n\r\n");
  const digits = (await client.next()).get("Challenge")!;
  const key = md5LoginKey(digits, "not-the-secret");
  await client.write(`Action: Login\r\nAuthType: MD5\r\nUsername: admin\r\nKey: ${key}\r\n\r\n`);
  assert.equal((await client.next()).get("Message"), "Authentication failed");
  await client.ended;
  await client.close();
});

Deno.test("an MD5 login without a challenge fails", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  const key = md5LoginKey("", "amp111");
  await client.write(`Action: Login\r\nAuthType: MD5\r\nUsername: admin\r\nKey: ${key}\r\n\r\n`);
  assert.equal((await client.next()).get("Message"), "Authentication failed");
  await client.close();
});

Deno.test("a challenge without AuthType MD5 is refused", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.write("Action: Challenge\r\nActionID: c\r\n\r\n");
  await expectReply(client, [
    ["Response", "Error"],
    ["ActionID", "c"],
    ["Message", "Must specify AuthType"],
  ]);
  await client.close();
});

Deno.test("an unknown user fails exactly like a wrong password", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.action({ Action: "Login", ActionID: "l", Username: "nobody", Secret: "amp111" });
  await client.ended;
  assertFields(client.messages[0], [
    ["Response", "Error"],
    ["ActionID", "l"],
    ["Message", "Authentication failed"],
  ]);
  await client.close();
});

Deno.test("users can be changed while the server runs", async () => {
  await using server = fastServer({ users: { alice: "one" } });
  server.users.bob = "two";
  const client = new RawAmiClient(server.connect());
  assert.equal((await client.login("off", "two", "bob")).get("Message"), "Authentication accepted");
  await client.close();
});

Deno.test("actions before login are denied and the connection stays open", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.write(
    "Action: Ping\r\nActionID: ping-1\r\n\r\nAction: Status\r\nActionID: status-2\r\n\r\n",
  );
  const [ping, status] = await client.take(2);
  assertFields(ping, [
    ["Response", "Error"],
    ["ActionID", "ping-1"],
    ["Message", "Permission denied"],
  ]);
  assert.equal(status!.get("Message"), "Permission denied");
  assert.equal((await client.login()).get("Message"), "Authentication accepted");
  await client.action({ Action: "Login", ActionID: "login-4", Username: "admin", Secret: "x" });
  await expectReply(client, [
    ["Response", "Success"],
    ["ActionID", "login-4"],
    ["Message", "Already authenticated"],
  ]);
  await client.close();
});

Deno.test("Logoff says goodbye and closes, even before login", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.write("Action: Logoff\r\nActionID: logoff-2\r\n\r\nAction: Ping\r\n\r\n");
  await client.ended;
  assert.equal(client.messages.length, 1);
  assertFields(client.messages[0], [
    ["Response", "Goodbye"],
    ["ActionID", "logoff-2"],
    ["Message", "Thanks for all the fish."],
  ]);
  await client.close();
});

Deno.test("Ping echoes only a non-empty ActionID", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write(
    "Action: Ping\r\nActionID: ping-2\r\n\r\nAction: Ping\r\n\r\nAction: Ping\r\nActionID: \r\n\r\n",
  );
  const [withId, without, empty] = await client.take(3);
  assert.deepEqual(withId!.fields().map(([key]) => key), [
    "Response",
    "ActionID",
    "Ping",
    "Timestamp",
  ]);
  assert.equal(withId!.get("Ping"), "Pong");
  assert.match(withId!.get("Timestamp")!, /^\d+\.\d{6}$/);
  assert.deepEqual(without!.fields().map(([key]) => key), ["Response", "Ping", "Timestamp"]);
  assert.deepEqual(empty!.fields().map(([key]) => key), ["Response", "Ping", "Timestamp"]);
  await client.close();
});

Deno.test("unknown, missing and empty actions get Asterisk's errors", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write(
    "Action: NoSuchAction\r\nActionID: nosuchaction-2\r\n\r\n" +
      "ActionID: noaction-1\r\nFoo: bar\r\n\r\n" +
      "Action: \r\nActionID: emptyaction-1\r\n\r\n",
  );
  const [unknown, missing, empty] = await client.take(3);
  assert.equal(
    unknown!.get("Message"),
    "Invalid/unknown command: NoSuchAction. Use Action: ListCommands to show available commands.",
  );
  assert.equal(unknown!.actionId, "nosuchaction-2");
  assertFields(missing, [
    ["Response", "Error"],
    ["ActionID", "noaction-1"],
    ["Message", "Missing action in request"],
  ]);
  assert.equal(empty!.get("Message"), "Missing action in request");
  await client.close();
});

Deno.test("action names are matched whatever their case", async () => {
  await using server = fastServer();
  server.handle("GetVar", () => ({ Value: "x" }));
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write("Action: getvar\r\nActionID: 1\r\n\r\nAction: PING\r\nActionID: 2\r\n\r\n");
  const [getVar, ping] = await client.take(2);
  assert.equal(getVar!.get("Value"), "x");
  assert.equal(ping!.get("Ping"), "Pong");
  await client.close();
});

Deno.test("a handler's fields become a response with the ActionID second", async () => {
  await using server = fastServer();
  server.handle("GetVar", (action) => ({
    Variable: action.get("Variable")!,
    Value: "v",
    Multi: ["a", "b"],
    Skipped: undefined,
  }));
  server.handle("Fail", () => ({ Response: "Error", Message: "No such channel" }));
  server.handle("Nothing", () => {});
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write(
    "Action: GetVar\r\nActionID: g\r\nVariable: X\r\n\r\n" +
      "Action: Fail\r\nActionID: f\r\n\r\nAction: Nothing\r\nActionID: n\r\n\r\n",
  );
  const [getVar, fail, nothing] = await client.take(3);
  assertFields(getVar, [
    ["Response", "Success"],
    ["ActionID", "g"],
    ["Variable", "X"],
    ["Value", "v"],
    ["Multi", "a"],
    ["Multi", "b"],
  ]);
  assertFields(fail, [
    ["Response", "Error"],
    ["ActionID", "f"],
    ["Message", "No such channel"],
  ]);
  assertFields(nothing, [["Response", "Success"], ["ActionID", "n"]]);
  await client.close();
});

Deno.test("a handler that throws answers Response: Error with its message", async () => {
  await using server = fastServer();
  server.handle("Explode", () => {
    throw new Error("No such channel");
  });
  server.handle("Reject", () => Promise.reject(new Error("later")));
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write("Action: Explode\r\nActionID: e\r\n\r\nAction: Reject\r\n\r\n");
  const [explode, reject] = await client.take(2);
  assertFields(explode, [
    ["Response", "Error"],
    ["ActionID", "e"],
    ["Message", "No such channel"],
  ]);
  assertFields(reject, [["Response", "Error"], ["Message", "later"]]);
  await client.close();
});

Deno.test("the session's own actions cannot be replaced", () => {
  const server = fastServer();
  for (const name of ["Login", "challenge", "LOGOFF", "Events", "Filter"]) {
    assert.throws(() => server.handle(name, () => {}), TypeError);
  }
  server.handle("Ping", () => ({ Ping: "Custom" }));
});

Deno.test("an event list has a start, items with the ActionID and a Complete", async () => {
  await using server = fastServer();
  server.handle("CoreShowChannels", () =>
    eventList([
      { Event: "CoreShowChannel", Channel: "Local/a-00000000;1", BridgeId: "" },
      { Event: "CoreShowChannel", Channel: "Local/a-00000000;2", BridgeId: "" },
    ], { message: "Channels will follow" }));
  server.handle(
    "Status",
    () =>
      eventList([{ Event: "Status", Channel: "Local/b", ActionID: "placeholder" }], {
        message: "Channel status will follow",
        completeFields: { Items: 1 },
      }),
  );
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write(
    "Action: CoreShowChannels\r\nActionID: cs\r\n\r\nAction: Status\r\nActionID: st\r\n\r\n",
  );
  const [start, first, second, complete] = await client.take(4);
  assertFields(start, [
    ["Response", "Success"],
    ["ActionID", "cs"],
    ["EventList", "start"],
    ["Message", "Channels will follow"],
  ]);
  assertFields(first, [
    ["Event", "CoreShowChannel"],
    ["ActionID", "cs"],
    ["Channel", "Local/a-00000000;1"],
    ["BridgeId", ""],
  ]);
  assert.equal(second!.get("Channel"), "Local/a-00000000;2");
  assertFields(complete, [
    ["Event", "CoreShowChannelsComplete"],
    ["ActionID", "cs"],
    ["EventList", "Complete"],
    ["ListItems", "2"],
  ]);
  const [statusStart, status, statusComplete] = await client.take(3);
  assert.equal(statusStart!.get("Message"), "Channel status will follow");
  // An item that names its ActionID gets it there: last, as Status events have it.
  assertFields(status, [
    ["Event", "Status"],
    ["Channel", "Local/b"],
    ["ActionID", "st"],
  ]);
  assertFields(statusComplete, [
    ["Event", "StatusComplete"],
    ["ActionID", "st"],
    ["EventList", "Complete"],
    ["ListItems", "1"],
    ["Items", "1"],
  ]);
  await client.close();
});

Deno.test("an event list without an ActionID has none on any frame", async () => {
  await using server = fastServer();
  server.handle(
    "Things",
    () => eventList([{ Event: "Thing", N: 1 }], { completeEvent: "ThingsDone" }),
  );
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write("Action: Things\r\n\r\n");
  const frames = await client.take(3);
  assert.ok(frames.every((frame) => frame.actionId === undefined));
  assert.equal(frames[1]!.get("Message"), undefined);
  assert.equal(frames[0]!.get("Message"), "Events will follow");
  assert.equal(frames[2]!.name, "ThingsDone");
  await client.close();
});

Deno.test("events raised while an action is answered come after its answer", async () => {
  await using server = fastServer();
  const gate = Promise.withResolvers<void>();
  server.handle("Slow", async () => {
    server.emit({ Event: "During", Privilege: "call,all" });
    await gate.promise;
    return eventList([{ Event: "Item" }, { Event: "Item" }]);
  });
  const client = new RawAmiClient(server.connect());
  await client.login("on");
  assert.equal((await client.next()).name, "FullyBooted");
  await client.write("Action: Slow\r\nActionID: s\r\n\r\n");
  await server.waitForAction("Slow");
  assert.equal(server.emit({ Event: "Waiting", Privilege: "call,all" }), 1);
  gate.resolve();
  const frames = await client.take(6);
  assert.deepEqual(frames.map((frame) => frame.name), [
    "Success",
    "Item",
    "Item",
    "SlowComplete",
    "During",
    "Waiting",
  ]);
  await client.close();
});

Deno.test("emitted events reach every logged-in session and nobody else", async () => {
  await using server = fastServer();
  const one = new RawAmiClient(server.connect());
  const two = new RawAmiClient(server.connect());
  const anonymous = new RawAmiClient(server.connect());
  await one.login("on");
  await two.login("on");
  await one.next();
  await two.next();
  await server.waitForSession(3);
  const sent = server.emit({ Event: "PeerStatus", Privilege: "system,all", Peer: "PJSIP/100" });
  assert.equal(sent, 2);
  server.emit("Event: Raw\r\nPrivilege: system,all\r\n\r\n");
  for (const client of [one, two]) {
    const [peer, raw] = await client.take(2);
    assertFields(peer, [
      ["Event", "PeerStatus"],
      ["Privilege", "system,all"],
      ["Peer", "PJSIP/100"],
    ]);
    assert.equal(raw!.name, "Raw");
  }
  await anonymous.write("Action: Logoff\r\n\r\n");
  await anonymous.ended;
  assert.deepEqual(anonymous.messages.map((m) => m.name), ["Goodbye"]);
  await Promise.all([one.close(), two.close(), anonymous.close()]);
});

Deno.test("Events: off at login suppresses FullyBooted and every event", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.login("off");
  const session = await server.waitForSession();
  assert.equal(session.eventMask, "off");
  assert.equal(server.emit({ Event: "Hangup", Privilege: "call,all" }), 0);
  await client.write("Action: Ping\r\nActionID: p\r\n\r\n");
  assert.equal((await client.next()).actionId, "p");
  await client.close();
});

Deno.test("the Events action switches events on, off and to classes", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.login("off");
  await client.write("Action: Events\r\nActionID: e1\r\nEventMask: on\r\n\r\n");
  await expectReply(client, [
    ["Response", "Success"],
    ["ActionID", "e1"],
    ["Events", "On"],
  ]);
  server.emit({ Event: "One", Privilege: "dialplan,all" });
  assert.equal((await client.next()).name, "One");
  await client.write("Action: Events\r\nActionID: e2\r\nEventMask: call,user\r\n\r\n");
  assert.equal((await client.next()).get("Events"), "On");
  assert.equal((await server.waitForSession()).eventMask, "call,user");
  assert.equal(server.emit({ Event: "VarSet", Privilege: "dialplan,all" }), 0);
  assert.equal(server.emit({ Event: "Hangup", Privilege: "call,all" }), 1);
  assert.equal(server.emit({ Event: "UserEvent", Privilege: "user,all" }), 1);
  assert.equal(server.emit({ Event: "NoPrivilege" }), 1);
  assert.deepEqual((await client.take(3)).map((m) => m.name), [
    "Hangup",
    "UserEvent",
    "NoPrivilege",
  ]);
  await client.write("Action: Events\r\nActionID: e3\r\nEventMask: off\r\n\r\n");
  assert.equal((await client.next()).get("Events"), "Off");
  assert.equal(server.emit({ Event: "Hangup", Privilege: "call,all" }), 0);
  await client.write("Action: Events\r\nActionID: e4\r\n\r\n");
  assert.equal((await client.next()).get("Message"), "Invalid event mask");
  await client.close();
});

Deno.test("a login event mask of classes is respected from the start", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.login("call");
  // FullyBooted is a system event, so it is not sent.
  server.emit({ Event: "Reload", Privilege: "system,all" });
  server.emit({ Event: "Newchannel", Privilege: "call,all" });
  assert.equal((await client.next()).name, "Newchannel");
  await client.close();
});

Deno.test("legacy Filter regexes include and exclude events", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.login("on");
  await client.next();
  await client.write(
    "Action: Filter\r\nActionID: f1\r\nOperation: Add\r\nFilter: Event: Hangup\r\n\r\n" +
      "Action: Filter\r\nActionID: f2\r\nOperation: Add\r\nFilter: !Channel: Local/skip\r\n\r\n",
  );
  await expectReply(client, [
    ["Response", "Success"],
    ["ActionID", "f1"],
    ["Message", "Success"],
  ]);
  assert.equal((await client.next()).get("Message"), "Success");
  const session = await server.waitForSession();
  assert.deepEqual(session.filters.map((f) => f.get("Filter")), [
    "Event: Hangup",
    "!Channel: Local/skip",
  ]);
  server.emit({ Event: "Newchannel", Privilege: "call,all", Channel: "Local/a" });
  server.emit({ Event: "HangupRequest", Privilege: "call,all", Channel: "Local/a" });
  server.emit({ Event: "Hangup", Privilege: "call,all", Channel: "Local/skip-0;1" });
  server.emit({ Event: "Hangup", Privilege: "call,all", Channel: "Local/a" });
  const [request, hangup] = await client.take(2);
  // A legacy filter is a regex, so "Event: Hangup" lets HangupRequest through too.
  assert.equal(request!.name, "HangupRequest");
  assert.equal(hangup!.name, "Hangup");
  assert.equal(hangup!.get("Channel"), "Local/a");
  await client.close();
});

Deno.test("MatchCriteria filters select by name, header and method", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.login("on");
  await client.next();
  await client.write(
    "Action: Filter\r\nActionID: f1\r\nOperation: Add\r\nMatchCriteria: name(Hangup)\r\n\r\n" +
      "Action: Filter\r\nActionID: f2\r\nOperation: Add\r\n" +
      "MatchCriteria: action(exclude),header(Channel),starts_with\r\nFilter: Local/x\r\n\r\n" +
      "Action: Filter\r\nActionID: f3\r\nOperation: Add\r\n" +
      "MatchCriteria: action(exclude),header(Channel),method(starts_with)\r\nFilter: Local/x\r\n\r\n" +
      "Action: Filter\r\nActionID: f4\r\nOperation: Bogus\r\nFilter: x\r\n\r\n",
  );
  const [f1, f2, f3, f4] = await client.take(4);
  assert.equal(f1!.get("Response"), "Success");
  assert.equal(
    f2!.get("Message"),
    "Filter was formatted incorrectly.  Check the syntax of the filter given.",
  );
  assert.equal(f3!.get("Response"), "Success");
  assertFields(f4, [
    ["Response", "Error"],
    ["ActionID", "f4"],
    ["Message", "Unknown operation"],
  ]);
  server.emit({ Event: "HangupRequest", Privilege: "call,all", Channel: "Local/a" });
  server.emit({ Event: "Hangup", Privilege: "call,all", Channel: "Local/x-1;1" });
  server.emit({ Event: "Hangup", Privilege: "call,all", Channel: "Local/y-1;1" });
  const hangup = await client.next();
  assert.equal(hangup.get("Channel"), "Local/y-1;1");
  assert.equal(client.pending.length, 0);
  await client.close();
});

Deno.test("Command answers in the modern format, one Output per line", async () => {
  await using server = fastServer();
  server.command("core show version", () => "Asterisk 23.0.0 built by test\n");
  server.command("core show settings", () => " -- General --\n\nPadded row  \n");
  server.command(/^core show channel \S+$/, () => ({
    output: "Usage: core show channel <channel>\n",
    error: true,
  }));
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write(
    "Action: Command\r\nActionID: c1\r\nCommand: core  show   VERSION\r\n\r\n" +
      "Action: Command\r\nActionID: c2\r\nCommand: core show settings\r\n\r\n" +
      "Action: Command\r\nActionID: c3\r\nCommand: core show channel Local/x\r\n\r\n" +
      "Action: Command\r\nActionID: c4\r\nCommand: foo bar baz\r\n\r\n" +
      "Action: Command\r\nActionID: c5\r\n\r\n",
  );
  const [version, settings, usage, unknown, missing] = await client.take(5);
  assertFields(version, [
    ["Response", "Success"],
    ["ActionID", "c1"],
    ["Message", "Command output follows"],
    ["Output", "Asterisk 23.0.0 built by test"],
  ]);
  assert.deepEqual(settings!.getAll("Output"), [" -- General --", "", "Padded row  "]);
  assert.equal(usage!.get("Response"), "Error");
  assert.deepEqual(usage!.getAll("Output"), ["Usage: core show channel <channel>"]);
  assertFields(unknown, [
    ["Response", "Error"],
    ["ActionID", "c4"],
    ["Message", "Command output follows"],
    [
      "Output",
      "No such command 'foo bar baz' (type 'core show help foo bar' for other possible commands)",
    ],
  ]);
  assertFields(missing, [
    ["Response", "Error"],
    ["ActionID", "c5"],
    ["Message", "No command provided"],
  ]);
  await client.close();
});

Deno.test("Command answers in the legacy format when asked", async () => {
  await using server = fastServer({
    commandFormat: "legacy",
    commands: { "core show channels": () => "Channel  State\n0 active channels\n" },
  });
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write(
    "Action: Command\r\nActionID: c1\r\nCommand: core show channels\r\n\r\n" +
      "Action: Command\r\nCommand: core show channels\r\n\r\n",
  );
  const [withId, withoutId] = await client.take(2);
  assert.ok(
    client.text.includes(
      "Response: Follows\r\nPrivilege: Command\r\nActionID: c1\r\n" +
        "Channel  State\n0 active channels\n--END COMMAND--\r\n\r\n",
    ),
  );
  assert.ok(
    client.text.endsWith(
      "Response: Follows\r\nPrivilege: Command\r\nChannel  State\n0 active channels\n" +
        "--END COMMAND--\r\n\r\n",
    ),
  );
  assert.equal(withId!.actionId, "c1");
  assert.deepEqual(withId!.getAll("Output"), ["Channel  State", "0 active channels"]);
  assert.equal(withoutId!.actionId, undefined);
  server.commandFormat = "modern";
  await client.write("Action: Command\r\nActionID: c3\r\nCommand: core show channels\r\n\r\n");
  assert.equal((await client.next()).get("Message"), "Command output follows");
  await client.close();
});

Deno.test("a handler may override Ping and Command", async () => {
  await using server = fastServer();
  server.handle("ping", () => ({ Ping: "Custom" }));
  server.handle(
    "Command",
    (action) => rawReply(`Response: Weird\r\nGot: ${action.get("Command")}\r\n\r\n`),
  );
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write("Action: Ping\r\n\r\nAction: Command\r\nCommand: x\r\n\r\n");
  const [ping, command] = await client.take(2);
  assert.equal(ping!.get("Ping"), "Custom");
  assertFields(command, [["Response", "Weird"], ["Got", "x"]]);
  await client.close();
});

Deno.test("the server records what clients sent and waits for actions", async () => {
  await using server = fastServer();
  const secondPing = server.waitForAction("ping", 2);
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write("Action: Ping\r\nActionID: 1\r\n\r\nAction: Ping\r\nActionID: 2\r\n\r\n");
  assert.equal((await secondPing).actionId, "2");
  const session = await server.waitForSession();
  assert.deepEqual(server.received.map((m) => m.get("Action")), ["Login", "Ping", "Ping"]);
  assert.deepEqual(session.received.map((m) => m.actionId), ["login", "1", "2"]);
  assert.equal((await session.waitForAction((m) => m.actionId === "1")).get("Action"), "Ping");
  assert.equal((await server.waitForAction("Login")).get("Secret"), "amp111");
  await client.close();
});

Deno.test("closing the server rejects pending waits and ends its sessions", async () => {
  const server = fastServer();
  const client = new RawAmiClient(server.connect());
  const session = await server.waitForSession();
  const never = server.waitForAction("Never");
  const noSession = server.waitForSession(5);
  const onSession = session.waitForAction("Never");
  await server.close();
  await assert.rejects(never, /closed/);
  await assert.rejects(noSession, /closed/);
  await assert.rejects(onSession, /ended/);
  await client.ended;
  assert.equal(server.signal.aborted, true);
  assert.throws(() => server.connect(), /closed/);
  assert.throws(() => server.listen(), /closed/);
  assert.equal(await server.close(), undefined);
  await client.close();
});

Deno.test("a session can be closed from the server side", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.login();
  const session = await server.waitForSession();
  await session.close();
  await client.ended;
  assert.equal(client.readError, undefined);
  assert.equal(session.isClosed, true);
  assert.equal(await session.send("Event: Late\r\n\r\n"), false);
  await client.close();
});

// Fault injection.

Deno.test("chunkSize splits every write into pieces of at most N bytes", async () => {
  await using server = fastServer({ faults: { chunkSize: 7 } });
  const client = new RawAmiClient(server.connect());
  await client.login();
  assert.ok(client.chunks.length > 10);
  assert.ok(client.chunks.every((chunk) => chunk.length <= 7));
  assert.equal(client.banner, "Asterisk Call Manager/13.0.0");
  await client.close();
});

Deno.test("splitAt cuts the output at the given offsets", async () => {
  await using server = fastServer({ faults: { splitAt: [3, 40, 41] } });
  const client = new RawAmiClient(server.connect());
  const response = await client.login();
  assert.equal(response.get("Message"), "Authentication accepted");
  assert.deepEqual(client.chunks.map((chunk) => chunk.length).slice(0, 2), [3, 27]);
  const after = client.chunks.slice(2).map((chunk) => chunk.length);
  assert.deepEqual(after.slice(0, 2), [10, 1]);
  await client.close();
});

Deno.test("a silent session reads but answers nothing until it speaks again", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.login("on");
  await client.next();
  const session = await server.waitForSession();
  session.faults.silent = true;
  await client.write("Action: Ping\r\nActionID: lost\r\n\r\n");
  await session.waitForAction((m) => m.actionId === "lost");
  assert.equal(server.emit({ Event: "Lost", Privilege: "call,all" }), 0);
  session.faults.silent = false;
  await client.write("Action: Ping\r\nActionID: heard\r\n\r\n");
  const next = await client.next();
  assert.equal(next.actionId, "heard");
  assert.equal(session.isClosed, false);
  await client.close();
});

Deno.test("server-wide faults apply to every session, a session's own win", async () => {
  await using server = fastServer();
  server.faults.silent = true;
  const quiet = new RawAmiClient(server.connect());
  const loud = new RawAmiClient(server.connect());
  (await server.waitForSession(2)).faults.silent = false;
  await quiet.write("Action: Ping\r\nActionID: q\r\n\r\n");
  await loud.write("Action: Ping\r\nActionID: l\r\n\r\n");
  assert.equal((await loud.next()).actionId, "l");
  await server.waitForAction((m) => m.actionId === "q");
  assert.equal(quiet.messages.length, 0);
  await Promise.all([quiet.close(), loud.close()]);
});

Deno.test("refuseLogin fails every login and closes", async () => {
  await using server = fastServer({ faults: { refuseLogin: true } });
  const client = new RawAmiClient(server.connect());
  assert.equal((await client.login()).get("Message"), "Authentication failed");
  await client.ended;
  await client.close();
});

Deno.test("responseDelayMs delays answers without reordering them", async () => {
  await using server = fastServer({ faults: { responseDelayMs: 2 } });
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write("Action: Ping\r\nActionID: 1\r\n\r\nAction: Ping\r\nActionID: 2\r\n\r\n");
  assert.deepEqual((await client.take(2)).map((m) => m.actionId), ["1", "2"]);
  await client.close();
});

Deno.test("send writes garbage, invalid UTF-8 and oversize frames as they are", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.login();
  const session = await server.waitForSession();
  await session.send(invalidUtf8Event("Broken"));
  await session.send(oversizeFrame(1024 * 1024 + 10));
  await session.send("\r\n\r\n");
  await session.send({ Event: "After", Value: "ok" });
  const broken = await client.next();
  assert.equal(broken.name, "Broken");
  assert.ok(broken.get("Body")!.includes("\uFFFD"));
  const after = await client.next();
  assert.equal(after.name, "After");
  assert.equal(client.errors.length, 1);
  assert.equal(client.errors[0]!.kind, "frame-too-large");
  assert.deepEqual(garbageBytes(32, 9), garbageBytes(32, 9));
  assert.notDeepEqual(garbageBytes(32, 9), garbageBytes(32, 10));
  await session.send(garbageBytes(64, 3));
  await session.send("\r\n\r\nEvent: Survived\r\n\r\n");
  assert.equal((await client.until((m) => m.name === "Survived")).name, "Survived");
  await client.close();
});

Deno.test("closing mid-frame leaves the client a truncated frame", async () => {
  await using server = fastServer();
  server.handle(
    "Ping",
    () => rawReply("Response: Success\r\nActionID: p\r\nPi", { then: "close" }),
  );
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write("Action: Ping\r\nActionID: p\r\n\r\n");
  await client.ended;
  assert.equal(client.messages.length, 1);
  assert.equal(client.errors[0]?.kind, "truncated-frame");
  assert.equal(client.readError, undefined);
  await client.close();
});

Deno.test("abort resets an in-memory connection: the client's read fails", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.login();
  const session = await server.waitForSession();
  await session.abort();
  await client.ended;
  assert.ok(client.readError instanceof Error);
  assert.match((client.readError as Error).message, /reset/);
  await client.close();
});

Deno.test("a raw reply can abort the connection after its bytes", async () => {
  await using server = fastServer();
  server.handle("Reset", () => rawReply(new Uint8Array([0x52]), { then: "abort" }));
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write("Action: Reset\r\n\r\n");
  await client.ended;
  assert.ok(client.readError instanceof Error);
  await client.close();
});

Deno.test("a client that closes mid-action ends its session cleanly", async () => {
  await using server = fastServer();
  const client = new RawAmiClient(server.connect());
  await client.login();
  await client.write("Action: Ping\r\nActionID: cut");
  await client.close();
  const session = await server.waitForSession();
  await session.closed;
  assert.equal(session.received.length, 1);
  assert.equal(server.sessions.length, 0);
});

Deno.test("the in-memory pair parses like a socket, one byte at a time", async () => {
  await using server = fastServer({ faults: { chunkSize: 1 } });
  const { readable, writable } = server.connect();
  const writer = writable.getWriter();
  const messages: AmiMessage[] = [];
  const parser = new AmiFrameParser((m) => messages.push(m));
  const bytes = new TextEncoder().encode(
    "Action: Login\r\nUsername: admin\r\nSecret: amp111\r\nEvents: off\r\n\r\n",
  );
  for (const byte of bytes) await writer.write(Uint8Array.of(byte));
  const reader = readable.getReader();
  const chunks: Uint8Array[] = [];
  while (messages.length === 0) {
    const { value } = await reader.read();
    chunks.push(value!);
    parser.push(value!);
  }
  assert.ok(chunks.every((chunk) => chunk.length === 1));
  assert.equal(parser.banner, "Asterisk Call Manager/13.0.0");
  assert.equal(messages[0]!.get("Message"), "Authentication accepted");
  await writer.close();
  reader.releaseLock();
});

Deno.test("a session cannot be constructed outside the server", async () => {
  await using server = fastServer();
  const { session } = server.connect();
  const Session = session.constructor as new (...args: unknown[]) => unknown;
  assert.throws(() => new Session(Symbol("openSession"), {}, {}, 1), TypeError);
});
