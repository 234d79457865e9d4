/**
 * The `ami` CLI, run in process with runCli() against the test server over
 * TCP on 127.0.0.1. Every run checks that no secret appears in any output.
 */

import assert from "node:assert/strict";
import { CLI_EXIT_CODES, runCli } from "../cli.ts";
import { AmiTestServer, type AmiTestServerOptions, eventList } from "../testing.ts";

const SECRET = "s3cr3t-Pa55";
const WRONG_SECRET = "wr0ng-Pa55";
const SECRETS = [SECRET, WRONG_SECRET];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Called with all of stderr so far, after each write. */
  onStderr?: (stderr: string) => void;
  /** Called with all of stdout so far, after each write. */
  onStdout?: (stdout: string) => void;
}

/** Runs the CLI, collects its outputs, and checks that no secret was printed. */
async function cli(args: string[], options: RunOptions = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    env: options.env ?? {},
    stdout: (text) => {
      stdout += text;
      options.onStdout?.(stdout);
    },
    stderr: (text) => {
      stderr += text;
      options.onStderr?.(stderr);
    },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  for (const secret of SECRETS) {
    assert.ok(!stdout.includes(secret), `stdout must not hold a secret:\n${stdout}`);
    assert.ok(!stderr.includes(secret), `stderr must not hold a secret:\n${stderr}`);
  }
  return { code, stdout, stderr };
}

/** A test server on 127.0.0.1, any port, with `admin` and the secret. */
function listeningServer(options: AmiTestServerOptions = {}): AmiTestServer {
  const server = new AmiTestServer({ users: { admin: SECRET }, authFailureDelayMs: 1, ...options });
  server.listen({ hostname: "127.0.0.1", port: 0 });
  return server;
}

function envFor(server: AmiTestServer): Record<string, string> {
  return { AMI_URL: server.url };
}

/** A promise that resolves once `text` has appeared in an output, and the hook to feed it. */
function waitForText(text: string, occurrence = 1): {
  seen: Promise<void>;
  check: (output: string) => void;
} {
  let resolve!: () => void;
  const seen = new Promise<void>((done) => resolve = done);
  return {
    seen,
    check: (output) => {
      if (output.split(text).length - 1 >= occurrence) resolve();
    },
  };
}

/** A port nobody listens on: bound, noted, and closed again. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

/** Checks that `stderr` is one line, ending in a newline, that matches `pattern`. */
function assertOneLine(stderr: string, pattern: RegExp): void {
  assert.equal(lines(stderr).length, 1, `one line on stderr, got:\n${stderr}`);
  assert.ok(stderr.endsWith("\n"), "the line ends in a newline");
  assert.match(stderr.slice(0, -1), pattern);
  assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
}

// ---- ping, credentials and the login ---------------------------------------------------------

Deno.test("ping logs in by MD5 from AMI_URL, prints Pong and the round trip, and logs off", async () => {
  await using server = listeningServer();
  const run = await cli(["ping"], { env: envFor(server) });
  assert.equal(run.code, CLI_EXIT_CODES.ok);
  assert.match(
    run.stdout,
    /^Pong from 127\.0\.0\.1:\d+ \(Asterisk Call Manager\/13\.0\.0\) in \d+\.\d ms\n$/,
  );
  assert.equal(run.stderr, "");
  const names = server.received.map((action) => action.name);
  assert.deepEqual(names, ["Challenge", "Login", "Ping", "Logoff"]);
  const login = server.received[1]!;
  assert.equal(login.get("AuthType"), "MD5");
  assert.equal(login.has("Secret"), false);
  assert.equal(login.get("Events"), "off");
});

Deno.test("ping --json prints one JSON object with the response, the address and the banner", async () => {
  await using server = listeningServer();
  const run = await cli(["ping", "--json"], { env: envFor(server) });
  assert.equal(run.code, 0);
  assert.equal(lines(run.stdout).length, 1);
  const answer = JSON.parse(run.stdout);
  assert.equal(answer.Response, "Success");
  assert.equal(answer.Ping, "Pong");
  assert.equal(answer.address, `127.0.0.1:${server.port}`);
  assert.equal(answer.banner, "Asterisk Call Manager/13.0.0");
  assert.equal(typeof answer.roundTripMs, "number");
  assert.equal("ActionID" in answer, false);
});

Deno.test("flags alone give the server and credentials, and --plain sends the secret in plain text", async () => {
  await using server = listeningServer();
  const run = await cli([
    "--host",
    "127.0.0.1",
    "--port",
    String(server.port),
    "--user",
    "admin",
    `--secret=${SECRET}`,
    "--plain",
    "ping",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const login = server.received.find((action) => action.name === "Login");
  assert.equal(login?.get("Secret"), SECRET);
  assert.equal(login?.has("Key"), false);
});

Deno.test("flags override the parts of AMI_URL, and --url replaces it", async () => {
  await using server = listeningServer();
  const unused = closedPort();
  const withPort = await cli(["ping", "--port", String(server.port)], {
    env: { AMI_URL: `ami://admin:${SECRET}@127.0.0.1:${unused}` },
  });
  assert.equal(withPort.code, 0, withPort.stderr);
  const withSecret = await cli(["ping", "--secret", SECRET], {
    env: { AMI_URL: `ami://admin:${WRONG_SECRET}@127.0.0.1:${server.port}` },
  });
  assert.equal(withSecret.code, 0, withSecret.stderr);
  const withUrl = await cli(["ping", "--url", server.url], {
    env: { AMI_URL: `ami://admin:${WRONG_SECRET}@127.0.0.1:${unused}` },
  });
  assert.equal(withUrl.code, 0, withUrl.stderr);
});

Deno.test("a refused login exits with 3 and one line naming the user, not the secret", async () => {
  await using server = listeningServer();
  const run = await cli(["ping"], {
    env: { AMI_URL: `ami://admin:${WRONG_SECRET}@127.0.0.1:${server.port}` },
  });
  assert.equal(run.code, CLI_EXIT_CODES.connection);
  assert.equal(run.stdout, "");
  assertOneLine(run.stderr, /^ami ping: login as "admin" failed: Authentication failed$/);
});

Deno.test("a refused connection exits with 3 and one line naming the address", async () => {
  const port = closedPort();
  const run = await cli(["ping"], { env: { AMI_URL: `ami://admin:${SECRET}@127.0.0.1:${port}` } });
  assert.equal(run.code, CLI_EXIT_CODES.connection);
  assert.equal(run.stdout, "");
  assertOneLine(
    run.stderr,
    new RegExp(`^ami ping: could not connect to 127\\.0\\.0\\.1:${port}: `),
  );
});

Deno.test("a server that never answers the login times out with 3 and one line", async () => {
  await using server = listeningServer({ faults: { silent: true } });
  const run = await cli(["ping", "--timeout", "50"], { env: envFor(server) });
  assert.equal(run.code, CLI_EXIT_CODES.connection);
  assertOneLine(run.stderr, /^ami ping: connecting and logging in took longer than 50 ms$/);
});

Deno.test("an action that gets no answer in --timeout exits with 3 and one line", async () => {
  await using server = listeningServer();
  server.handle("Slow", () =>
    new Promise<undefined>((resolve) => {
      server.signal.addEventListener("abort", () => resolve(undefined), { once: true });
    }));
  const run = await cli(["action", "Slow", "--timeout", "50"], { env: envFor(server) });
  assert.equal(run.code, CLI_EXIT_CODES.connection);
  assert.equal(run.stdout, "");
  assertOneLine(run.stderr, /^ami action: .*Slow.*50 ms/);
});

Deno.test("aborting the signal while an action waits exits with 130", async () => {
  await using server = listeningServer();
  server.handle("Slow", () =>
    new Promise<undefined>((resolve) => {
      server.signal.addEventListener("abort", () => resolve(undefined), { once: true });
    }));
  const controller = new AbortController();
  server.waitForAction("Slow").then(() => controller.abort(), () => {});
  const run = await cli(["action", "Slow"], { env: envFor(server), signal: controller.signal });
  assert.equal(run.code, CLI_EXIT_CODES.interrupted);
  assertOneLine(run.stderr, /^ami action: interrupted$/);
});

Deno.test("an already aborted signal stops before any command runs, and leaks no connection", async () => {
  await using server = listeningServer();
  const run = await cli(["ping"], { env: envFor(server), signal: AbortSignal.abort() });
  assert.equal(run.code, CLI_EXIT_CODES.interrupted);
  assert.equal(server.received.some((action) => action.name === "Ping"), false);
});

Deno.test("--verbose traces every frame on stderr with the secret masked", async () => {
  await using server = listeningServer();
  const run = await cli(["ping", "--verbose", "--plain"], { env: envFor(server) });
  assert.equal(run.code, 0);
  assert.match(run.stderr, /^<< Asterisk Call Manager\/13\.0\.0$/m);
  assert.match(run.stderr, /^>> Action: Login$/m);
  assert.match(run.stderr, /^>> Secret: \*\*\*$/m);
  assert.match(run.stderr, /^<< Message: Authentication accepted$/m);
  assert.match(run.stderr, /^>> Action: Ping$/m);
  assert.match(run.stderr, /^<< Ping: Pong$/m);
  assert.match(run.stderr, /^>> Action: Logoff$/m);
});

// ---- action ------------------------------------------------------------------------------------

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

Deno.test("action that answers with an event list points to 'ami list'", async () => {
  await using server = listeningServer();
  server.handle("CoreShowChannels", () => eventList([], { message: "Channels will follow" }));
  const run = await cli(["action", "CoreShowChannels"], { env: envFor(server) });
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^EventList: start$/m);
  assertOneLine(run.stderr, /'ami list CoreShowChannels' prints it/);
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
  assertOneLine(notAList.stderr, /^ami list: Ping did not answer with an event list$/);
});

Deno.test("list answered with Response: Error exits with 1 and one line", async () => {
  await using server = listeningServer();
  const run = await cli(["list", "NoSuchList"], { env: envFor(server) });
  assert.equal(run.code, CLI_EXIT_CODES.actionFailed);
  assert.equal(run.stdout, "");
  assertOneLine(run.stderr, /^ami list: NoSuchList failed: Invalid\/unknown command/);
});

// ---- command -----------------------------------------------------------------------------------

for (const commandFormat of ["modern", "legacy"] as const) {
  Deno.test(`command prints a CLI command's output (${commandFormat} reply format)`, async () => {
    await using server = listeningServer({ commandFormat });
    server.command("core show channels", () => "Channel  Location\n0 active channels\n");
    const quoted = await cli(["command", "core show channels"], { env: envFor(server) });
    assert.equal(quoted.code, 0, quoted.stderr);
    assert.equal(quoted.stdout, "Channel  Location\n0 active channels\n");
    const words = await cli(["command", "core", "show", "channels"], { env: envFor(server) });
    assert.equal(words.stdout, quoted.stdout);
  });
}

Deno.test("command --json prints the command, the response and the output lines", async () => {
  await using server = listeningServer();
  server.command("core show uptime", () => "System uptime: 2 minutes\n");
  const run = await cli(["command", "--json", "core show uptime"], { env: envFor(server) });
  assert.equal(run.code, 0);
  assert.deepEqual(JSON.parse(run.stdout), {
    command: "core show uptime",
    response: "Success",
    output: ["System uptime: 2 minutes"],
  });
});

Deno.test("a failed CLI command exits with 1 and prints its output as one line on stderr", async () => {
  await using server = listeningServer();
  const run = await cli(["command", "core show nothing"], { env: envFor(server) });
  assert.equal(run.code, CLI_EXIT_CODES.actionFailed);
  assert.equal(run.stdout, "");
  assertOneLine(run.stderr, /^ami command: command failed: No such command 'core show nothing'/);
});

// ---- events ------------------------------------------------------------------------------------

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
    /^ami events: the connection dropped and came back; events in between are missing$/m,
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

// ---- help and usage errors ---------------------------------------------------------------------

Deno.test("--help, -h and help print the tool's help on stdout and exit with 0, without connecting", async () => {
  await using server = listeningServer();
  for (const args of [["--help"], ["-h"], ["help"]]) {
    const run = await cli(args, { env: envFor(server) });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^ami: a command-line client/);
    for (const command of ["events", "action", "list", "command", "ping"]) {
      assert.match(run.stdout, new RegExp(`^  ${command}\\b`, "m"));
    }
    assert.match(run.stdout, /^Exit codes:$/m);
    assert.equal(run.stderr, "");
  }
  assert.equal(server.sessions.length, 0);
});

Deno.test("each command has its own help, by --help or by help <command>", async () => {
  await using server = listeningServer();
  for (const command of ["events", "action", "list", "command", "ping"]) {
    const flag = await cli([command, "--help"], { env: envFor(server) });
    assert.equal(flag.code, 0);
    assert.ok(flag.stdout.startsWith(`ami ${command}: `), flag.stdout);
    assert.match(flag.stdout, /^Usage:$/m);
    assert.match(flag.stdout, /^Exit codes:$/m);
    const topic = await cli(["help", command]);
    assert.equal(topic.stdout, flag.stdout);
  }
  assert.equal(server.sessions.length, 0);
});

Deno.test("no command prints the help on stderr and exits with 2", async () => {
  const run = await cli([]);
  assert.equal(run.code, CLI_EXIT_CODES.usage);
  assert.equal(run.stdout, "");
  assert.match(run.stderr, /^ami: a command-line client/);
});

const USAGE_ERRORS: { args: string[]; env?: Record<string, string>; message: RegExp }[] = [
  { args: ["frobnicate"], message: /^ami: unknown command "frobnicate" \(see 'ami --help'\)$/ },
  {
    args: ["ping", "--bogus"],
    message: /^ami ping: unknown option --bogus \(see 'ami ping --help'\)$/,
  },
  { args: ["--event", "Hangup", "events"], message: /unknown option --event/ },
  { args: ["ping", "--secret"], message: /--secret needs a value/ },
  { args: ["ping", "--tls=yes"], message: /--tls takes no value/ },
  { args: ["ping", "extra"], message: /ping takes no arguments/ },
  { args: ["help", "nope"], message: /no help for "nope"/ },
  { args: ["action"], message: /^ami action: the action's name is missing/ },
  { args: ["action", "Originate", "Channel"], message: /expected Key=Value/ },
  { args: ["action", "Originate", "=x"], message: /empty key/ },
  { args: ["action", "Originate", "Action=Ping"], message: /not as Action=/ },
  { args: ["action", "Setvar", "Value=a\r\nAction: Logoff"], message: /CR, LF or NUL/ },
  { args: ["list"], message: /^ami list: the action's name is missing/ },
  { args: ["list", "Status", "--fields", " , "], message: /--fields needs at least one key/ },
  { args: ["command"], message: /^ami command: the CLI command is missing/ },
  { args: ["events", "--match", "Channel"], message: /--match takes Key=Pattern/ },
  { args: ["events", "--count", "0"], message: /--count must be a whole number/ },
  { args: ["events", "Hangup"], message: /events takes no arguments/ },
  { args: ["ping", "--port", "99999"], message: /--port must be a whole number from 1 to 65535/ },
  { args: ["ping", "--timeout", "-5"], message: /--timeout must be a positive number/ },
  { args: ["ping"], env: {}, message: /no server given: set AMI_URL/ },
  {
    args: ["ping"],
    env: { AMI_URL: `http://admin:${SECRET}@127.0.0.1:5038` },
    message: /^ami ping: AMI_URL: unsupported scheme "http:"/,
  },
  {
    args: ["ping"],
    env: { AMI_URL: "ami://admin@127.0.0.1:5038" },
    message: /^ami ping: AMI_URL: the URL needs a user and a secret/,
  },
  { args: ["ping", "--url", `ami//admin:${SECRET}`], message: /^ami ping: --url: not a valid URL/ },
];

Deno.test("usage errors exit with 2 and one line, and never connect", async () => {
  await using server = listeningServer();
  for (const { args, env, message } of USAGE_ERRORS) {
    const run = await cli(args, { env: env ?? envFor(server) });
    assert.equal(run.code, CLI_EXIT_CODES.usage, `${args.join(" ")}: ${run.stderr}`);
    assert.equal(run.stdout, "", args.join(" "));
    assertOneLine(run.stderr, message);
  }
  assert.equal(server.sessions.length, 0);
  assert.equal(server.received.length, 0);
});

Deno.test("the exit codes are the documented ones", () => {
  assert.deepEqual({ ...CLI_EXIT_CODES }, {
    ok: 0,
    actionFailed: 1,
    usage: 2,
    connection: 3,
    internal: 70,
    interrupted: 130,
  });
});
