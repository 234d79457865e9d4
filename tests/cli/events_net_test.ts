/**
 * The `ami` CLI: events. Run in process with runCli() against the
 * test server over TCP on 127.0.0.1 (see tests/support/cli.ts).
 */

import assert from "node:assert/strict";
import { CLI_EXIT_CODES, runCli } from "../../cli.ts";
import { cli, envFor, lines, listeningServer, waitForText } from "../support/cli.ts";

const CALL_EVENTS = [
  { Event: "Newchannel", Privilege: "call,all", Channel: "PJSIP/100-00000001", Exten: "200" },
  { Event: "Newchannel", Privilege: "call,all", Channel: "IAX2/trunk-00000002", Exten: "300" },
  { Event: "DialBegin", Privilege: "call,all", Channel: "PJSIP/100-00000001" },
  {
    Event: "Hangup",
    Privilege: "call,all",
    Channel: "PJSIP/100-00000001",
    "Cause-txt": "Normal Clearing",
  },
];

Deno.test("events prints the events that pass --event and --match, one line each, until --count", async () => {
  await using server = listeningServer();
  const ready = waitForText("Tailing events");
  const running = cli([
    "events",
    "--event",
    "Hangup",
    "--event",
    "newchannel",
    "--match",
    "Channel=PJSIP/*",
    "--count",
    "2",
  ], { env: envFor(server), onStderr: ready.check });
  await ready.seen;
  for (const event of CALL_EVENTS) server.emit(event);
  const run = await running;
  assert.equal(run.code, 0, run.stderr);
  const printed = lines(run.stdout);
  assert.equal(printed.length, 2);
  assert.match(
    printed[0]!,
    /^\d\d:\d\d:\d\d\.\d{3} Newchannel Channel=PJSIP\/100-00000001 Exten=200$/,
  );
  assert.match(
    printed[1]!,
    /^\d\d:\d\d:\d\d\.\d{3} Hangup Channel=PJSIP\/100-00000001 Cause-txt="Normal Clearing"$/,
  );
  assert.equal(run.stderr, `Tailing events from 127.0.0.1:${server.port} (Ctrl-C to stop)\n`);
  const names = server.received.map((action) => action.name);
  assert.deepEqual(names.slice(-2), ["Events", "Logoff"]);
  assert.equal(server.received.find((action) => action.name === "Events")?.get("EventMask"), "on");
});

Deno.test("events --json prints each event as a JSON line, and --classes sets the event mask", async () => {
  await using server = listeningServer();
  const ready = waitForText("Tailing events");
  const running = cli(["events", "--json", "--classes", "call", "--count", "3"], {
    env: envFor(server),
    onStderr: ready.check,
  });
  await ready.seen;
  server.emit({ Event: "PeerStatus", Privilege: "system,all", Peer: "PJSIP/100" });
  for (const event of CALL_EVENTS) server.emit(event);
  const run = await running;
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(lines(run.stdout).map((line) => JSON.parse(line)), CALL_EVENTS.slice(0, 3));
  assert.equal(
    server.received.find((action) => action.name === "Events")?.get("EventMask"),
    "call",
  );
});

Deno.test("events ends with 0 and logs off when the signal aborts", async () => {
  await using server = listeningServer();
  const controller = new AbortController();
  const printed = waitForText("Hangup");
  const ready = waitForText("Tailing events");
  const running = cli(["events"], {
    env: envFor(server),
    signal: controller.signal,
    onStderr: ready.check,
    onStdout: printed.check,
  });
  await ready.seen;
  server.emit(CALL_EVENTS[3]!);
  await printed.seen;
  controller.abort();
  const run = await running;
  assert.equal(run.code, 0, run.stderr);
  assert.equal(lines(run.stdout).length, 1);
  assert.equal(server.received.at(-1)?.name, "Logoff");
});

Deno.test("events exits with 3 and one line when the server closes the connection", async () => {
  await using server = listeningServer();
  const ready = waitForText("Tailing events");
  const running = cli(["events"], { env: envFor(server), onStderr: ready.check });
  await ready.seen;
  await server.sessions[0]!.close();
  const run = await running;
  assert.equal(run.code, CLI_EXIT_CODES.connection);
  const [tailing, error, ...rest] = lines(run.stderr);
  assert.match(tailing!, /^Tailing events/);
  assert.match(error!, /^ami events: .*closed the connection/);
  assert.deepEqual(rest, []);
});

Deno.test("events --reconnect reports the gap and goes on tailing after the connection drops", async () => {
  await using server = listeningServer();
  // With --verbose, the second "Events: On" answer shows the mask is back on after the reconnect.
  const maskBack = waitForText("<< Events: On", 2);
  const ready = waitForText("Tailing events");
  const running = cli(["events", "--reconnect", "--verbose", "--count", "1"], {
    env: envFor(server),
    onStderr: (stderr) => {
      ready.check(stderr);
      maskBack.check(stderr);
    },
  });
  await ready.seen;
  await server.sessions[0]!.abort();
  await maskBack.seen;
  server.emit(CALL_EVENTS[3]!);
  const run = await running;
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, / Hangup Channel=PJSIP\/100-00000001 /);
  assert.match(
    run.stderr,
    /^ami events: The connection dropped and came back; events in between are missing$/m,
  );
});

Deno.test("events stops with 0 when stdout can no longer be written", async () => {
  await using server = listeningServer();
  let ready!: () => void;
  const tailing = new Promise<void>((resolve) => ready = resolve);
  const code = await Promise.all([
    runCli(["events"], {
      env: envFor(server),
      stdout: () => Promise.reject(new Error("broken pipe")),
      stderr: (text) => {
        if (text.startsWith("Tailing events")) ready();
      },
    }),
    tailing.then(() => server.emit(CALL_EVENTS[0]!)),
  ]).then(([code]) => code);
  assert.equal(code, 0);
  assert.equal(server.received.at(-1)?.name, "Logoff");
});
