/**
 * The `ami` CLI: help, usage errors and exit codes. Run in process with runCli() against the
 * test server over TCP on 127.0.0.1 (see tests/support/cli.ts).
 */

import assert from "node:assert/strict";
import { CLI_EXIT_CODES } from "../../cli.ts";
import { assertOneLine, cli, envFor, listeningServer, SECRET } from "../support/cli.ts";

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
  { args: ["frobnicate"], message: /^ami: Unknown command "frobnicate" \(see 'ami --help'\)$/ },
  {
    args: ["ping", "--bogus"],
    message: /^ami ping: Unknown option --bogus \(see 'ami ping --help'\)$/,
  },
  { args: ["--event", "Hangup", "events"], message: /Unknown option --event/ },
  { args: ["ping", "--secret"], message: /The --secret option needs a value/ },
  { args: ["ping", "--tls=yes"], message: /The --tls option takes no value/ },
  { args: ["ping", "extra"], message: /The ping command takes no arguments/ },
  { args: ["help", "nope"], message: /No help for "nope"/ },
  { args: ["action"], message: /^ami action: The action's name is missing/ },
  { args: ["action", "Originate", "Channel"], message: /Expected Key=Value/ },
  { args: ["action", "Originate", "=x"], message: /empty key/ },
  { args: ["action", "Originate", "Action=Ping"], message: /not as Action=/ },
  { args: ["action", "Setvar", "Value=a\r\nAction: Logoff"], message: /CR, LF or NUL/ },
  { args: ["list"], message: /^ami list: The action's name is missing/ },
  {
    args: ["list", "Status", "--fields", " , "],
    message: /The --fields option needs at least one key/,
  },
  { args: ["command"], message: /^ami command: The CLI command is missing/ },
  { args: ["events", "--match", "Channel"], message: /The --match option takes Key=Pattern/ },
  { args: ["events", "--count", "0"], message: /The --count option must be a whole number/ },
  { args: ["events", "Hangup"], message: /The events command takes no arguments/ },
  {
    args: ["ping", "--port", "99999"],
    message: /The --port option must be a whole number from 1 to 65535/,
  },
  { args: ["ping", "--timeout", "-5"], message: /The --timeout option must be a positive number/ },
  { args: ["ping"], env: {}, message: /No server given: set AMI_URL/ },
  {
    args: ["ping"],
    env: { AMI_URL: `http://admin:${SECRET}@127.0.0.1:5038` },
    message: /^ami ping: AMI_URL: Unsupported scheme "http:"/,
  },
  {
    args: ["ping"],
    env: { AMI_URL: "ami://admin@127.0.0.1:5038" },
    message: /^ami ping: AMI_URL: The URL needs a user and a secret/,
  },
  { args: ["ping", "--url", `ami//admin:${SECRET}`], message: /^ami ping: --url: Not a valid URL/ },
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
