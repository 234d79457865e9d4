/**
 * The `ami` CLI: action and list. Run in process with runCli() against the
 * test server over TCP on 127.0.0.1 (see tests/support/cli.ts).
 */

import assert from "node:assert/strict";
import { CLI_EXIT_CODES } from "../../cli.ts";
import { type AmiTestServer, eventList } from "../../testing.ts";
import { assertOneLine, cli, envFor, lines, listeningServer } from "../support/cli.ts";

Deno.test("action sends Key=Value arguments split at the first =, repeated keys in order", async () => {
  await using server = listeningServer();
  server.handle("Originate", () => ({ Message: "Originate successfully queued" }));
  const run = await cli([
    "action",
    "Originate",
    "Channel=Local/100@default",
    "Variable=A=1",
    "Data=x=y",
    "Variable=B=2",
    "CallerID=",
  ], { env: envFor(server) });
  assert.equal(run.code, 0, run.stderr);
  const sent = server.received.find((action) => action.name === "Originate");
  assert.ok(sent);
  assert.equal(sent.get("Channel"), "Local/100@default");
  assert.deepEqual(sent.getAll("Variable"), ["A=1", "B=2"]);
  assert.equal(sent.get("Data"), "x=y");
  assert.equal(sent.get("CallerID"), "");
  assert.equal(run.stdout, "Response: Success\nMessage: Originate successfully queued\n");
  assert.equal(run.stderr, "");
});

Deno.test("action --json prints the response as one object, without the client's ActionID", async () => {
  await using server = listeningServer();
  server.handle("Getvar", (action) => ({ Variable: action.get("Variable")!, Value: "42" }));
  const run = await cli(["--json", "action", "Getvar", "Variable=ANSWER"], { env: envFor(server) });
  assert.equal(run.code, 0);
  assert.deepEqual(JSON.parse(run.stdout), {
    Response: "Success",
    Variable: "ANSWER",
    Value: "42",
  });
});

Deno.test("action keeps an ActionID the user chose", async () => {
  await using server = listeningServer();
  const run = await cli(["action", "Ping", "ActionID=mine-1"], { env: envFor(server) });
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^ActionID: mine-1$/m);
  assert.equal(server.received.find((action) => action.name === "Ping")?.actionId, "mine-1");
});

Deno.test("action answered with Response: Error prints the response and exits with 1", async () => {
  await using server = listeningServer();
  const run = await cli(["action", "Frobnicate"], { env: envFor(server) });
  assert.equal(run.code, CLI_EXIT_CODES.actionFailed);
  assert.match(run.stdout, /^Response: Error\nMessage: Invalid\/unknown command: Frobnicate\./);
  assertOneLine(run.stderr, /^ami action: Frobnicate failed: Invalid\/unknown command/);
});

Deno.test("action on an action the catalog knows as a list exits with 2 before connecting, pointing to 'ami list'", async () => {
  await using server = listeningServer();
  for (const name of ["CoreShowChannels", "coreshowchannels", "QueueStatus"]) {
    const run = await cli(["action", name], { env: envFor(server) });
    assert.equal(run.code, CLI_EXIT_CODES.usage, run.stderr);
    assert.equal(run.stdout, "");
    assertOneLine(run.stderr, new RegExp(`answers with a list of .* events: 'ami list ${name}'`));
  }
  assert.equal(server.sessions.length, 0);
});

Deno.test("action whose answer turns out to start an event list the catalog does not know points to 'ami list'", async () => {
  await using server = listeningServer();
  server.handle("Agents", () => eventList([], { message: "Agents will follow" }));
  const run = await cli(["action", "Agents"], { env: envFor(server) });
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^EventList: start$/m);
  assertOneLine(run.stderr, /'ami list Agents' prints it/);
});

// ---- list --------------------------------------------------------------------------------------

function withChannels(server: AmiTestServer): AmiTestServer {
  return server.handle("CoreShowChannels", () =>
    eventList([
      {
        Event: "CoreShowChannel",
        Channel: "PJSIP/100-00000001",
        State: "Up",
        Duration: "00:00:12",
      },
      {
        Event: "CoreShowChannel",
        Channel: "PJSIP/2-00000002",
        State: "Ring",
        Duration: "00:00:01",
      },
    ], { message: "Channels will follow" }));
}

Deno.test("list prints an event list as a table, one column per key", async () => {
  await using server = withChannels(listeningServer());
  const run = await cli(["list", "CoreShowChannels"], { env: envFor(server) });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    run.stdout,
    "Channel             State  Duration\n" +
      "PJSIP/100-00000001  Up     00:00:12\n" +
      "PJSIP/2-00000002    Ring   00:00:01\n",
  );
  assert.equal(run.stderr, "");
});

Deno.test("list --fields picks the columns and their order, keys in any case", async () => {
  await using server = withChannels(listeningServer());
  const run = await cli(["list", "CoreShowChannels", "--fields", "duration, Channel"], {
    env: envFor(server),
  });
  assert.equal(run.code, 0);
  assert.equal(
    run.stdout,
    "duration  Channel\n00:00:12  PJSIP/100-00000001\n00:00:01  PJSIP/2-00000002\n",
  );
});

Deno.test("list --json prints each item as a JSON line, without the client's ActionID", async () => {
  await using server = withChannels(listeningServer());
  const run = await cli(["list", "CoreShowChannels", "--json"], { env: envFor(server) });
  assert.equal(run.code, 0);
  assert.deepEqual(lines(run.stdout).map((line) => JSON.parse(line)), [
    { Event: "CoreShowChannel", Channel: "PJSIP/100-00000001", State: "Up", Duration: "00:00:12" },
    { Event: "CoreShowChannel", Channel: "PJSIP/2-00000002", State: "Ring", Duration: "00:00:01" },
  ]);
});

Deno.test("list prints one titled table per event name when the list mixes several", async () => {
  await using server = listeningServer();
  server.handle("QueueStatus", () =>
    eventList([
      { Event: "QueueParams", Queue: "support", Calls: "1" },
      { Event: "QueueMember", Queue: "support", Name: "PJSIP/100" },
      { Event: "QueueMember", Queue: "support", Name: "PJSIP/200" },
    ], { message: "Queue status will follow" }));
  const run = await cli(["list", "QueueStatus", "Queue=support"], { env: envFor(server) });
  assert.equal(run.code, 0);
  assert.equal(
    run.stdout,
    "QueueParams (1)\nQueue    Calls\nsupport  1\n\n" +
      "QueueMember (2)\nQueue    Name\nsupport  PJSIP/100\nsupport  PJSIP/200\n",
  );
  assert.equal(
    server.received.find((action) => action.name === "QueueStatus")?.get("Queue"),
    "support",
  );
});

Deno.test("list says so when the list is empty, or when the action answers without a list", async () => {
  await using server = listeningServer();
  server.handle("CoreShowChannels", () => eventList([], { message: "Channels will follow" }));
  const empty = await cli(["list", "CoreShowChannels"], { env: envFor(server) });
  assert.equal(empty.code, 0);
  assert.equal(empty.stdout, "(no items)\n");
  const notAList = await cli(["list", "Ping"], { env: envFor(server) });
  assert.equal(notAList.code, 0);
  assert.match(notAList.stdout, /^Response: Success\nPing: Pong\n/);
  assertOneLine(
    notAList.stderr,
    /^ami list: Ping does not answer with an event list; its response is above \('ami action Ping' prints it\)$/,
  );
});

Deno.test("list answered with Response: Error exits with 1 and one line", async () => {
  await using server = listeningServer();
  const run = await cli(["list", "NoSuchList"], { env: envFor(server) });
  assert.equal(run.code, CLI_EXIT_CODES.actionFailed);
  assert.equal(run.stdout, "");
  assertOneLine(run.stderr, /^ami list: NoSuchList failed: Invalid\/unknown command/);
});
