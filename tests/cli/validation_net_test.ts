/**
 * The `ami` CLI checks what it can before connecting (event classes, line
 * breaks in values, actions the catalog knows as lists), flags `--fields`
 * keys no item has, prints its version, and escapes terminal control
 * characters from the server in text output. Run in process with runCli()
 * against the test server over TCP on 127.0.0.1.
 */

import assert from "node:assert/strict";
import { CLI_EXIT_CODES } from "../../cli.ts";
import { eventList } from "../../testing.ts";
import config from "../../deno.json" with { type: "json" };
import {
  assertOneLine,
  cli,
  envFor,
  lines,
  listeningServer,
  SECRET,
  waitForText,
} from "../support/cli.ts";

Deno.test("--version prints the package's version and exits with 0 without connecting", async () => {
  for (const args of [["--version"], ["ping", "--version"]]) {
    const run = await cli(args);
    assert.equal(run.code, CLI_EXIT_CODES.ok);
    assert.equal(run.stdout, `ami ${config.version} (@x/ami)\n`);
    assert.equal(run.stderr, "");
  }
});

const REFUSED_BEFORE_CONNECTING: { args: string[]; url?: string; message: RegExp }[] = [
  {
    args: ["events", "--classes", "calls"],
    message: /^ami events: Unknown event class "calls" in --classes; Asterisk knows system, call, /,
  },
  {
    args: ["events", "--classes", "Call"],
    message: /Unknown event class "Call" in --classes; did you mean "call"\?/,
  },
  {
    args: ["events", "--classes", "call, system"],
    message: /Unknown event class " system" in --classes; did you mean "system"\?/,
  },
  { args: ["events", "--classes", "call,,system"], message: /Empty class name in --classes/ },
  {
    args: ["events"],
    url: "?events=cal",
    message: /^ami events: Unknown event class "cal" in the URL's \?events=/,
  },
  { args: ["events", "--classes", "call\r\nAction: Logoff"], message: /Unknown event class/ },
  {
    args: ["command", "core show uptime\r\nAction: Logoff"],
    message: /^ami command: The CLI command must not hold CR, LF or NUL/,
  },
  { args: ["command", "core show uptime\nx"], message: /must not hold CR, LF or NUL/ },
  {
    args: ["ping", "--user", "admin\r\nAction: Logoff"],
    message: /^ami ping: The user name \(--user\) must not hold CR, LF or NUL/,
  },
  {
    args: ["ping", "--secret", `${SECRET}\n`],
    message: /^ami ping: The secret \(--secret\) must not hold CR, LF or NUL/,
  },
  {
    args: ["ping", "--host", "127.0.0.1\n"],
    message: /The host \(--host\) must not hold CR, LF or NUL/,
  },
  {
    args: ["action", "Status"],
    message:
      /^ami action: Status answers with a list of Status events: 'ami list Status' prints it/,
  },
];

Deno.test("class names Asterisk does not know and CR/LF in values exit with 2 before connecting", async () => {
  await using server = listeningServer();
  for (const { args, url, message } of REFUSED_BEFORE_CONNECTING) {
    const run = await cli(args, { env: { AMI_URL: server.url + (url ?? "") } });
    assert.equal(run.code, CLI_EXIT_CODES.usage, `${JSON.stringify(args)}: ${run.stderr}`);
    assert.equal(run.stdout, "");
    assertOneLine(run.stderr, message);
  }
  assert.equal(server.sessions.length, 0);
});

Deno.test("CR, LF or NUL in AMI_URL's user or secret exits with 2 before connecting, naming neither", async () => {
  await using server = listeningServer();
  const base = new URL(server.url);
  const cases = [
    { user: "admin%0D%0AAction:%20Logoff", secret: SECRET, what: /The user name \(AMI_URL\)/ },
    { user: "admin", secret: `${SECRET}%0A`, what: /The secret \(AMI_URL\)/ },
    { user: "admin", secret: `${SECRET}%00`, what: /The secret \(AMI_URL\)/ },
  ];
  for (const { user, secret, what } of cases) {
    const url = `ami://${user}:${secret}@${base.host}`;
    const run = await cli(["ping"], { env: { AMI_URL: url } });
    assert.equal(run.code, CLI_EXIT_CODES.usage, run.stderr);
    assertOneLine(run.stderr, what);
    assert.doesNotMatch(run.stderr, /Logoff|admin%/);
  }
  assert.equal(server.sessions.length, 0);
});

Deno.test("known event classes, numbers and on/off words pass the check", async () => {
  await using server = listeningServer();
  for (const mask of ["call,system,agent", "on", "OFF", "0", "all"]) {
    const ready = waitForText("Tailing events");
    const stop = new AbortController();
    const running = cli(["events", "--classes", mask], {
      env: envFor(server),
      signal: stop.signal,
      onStderr: ready.check,
    });
    await ready.seen;
    stop.abort();
    const run = await running;
    assert.equal(run.code, 0, run.stderr);
  }
  const masks = server.received.filter((a) => a.name === "Events").map((a) => a.get("EventMask"));
  assert.deepEqual(masks, ["call,system,agent", "on", "OFF", "0", "all"]);
});

const CHANNELS = eventList([
  { Event: "CoreShowChannel", Channel: "PJSIP/100-01", State: "Up" },
  { Event: "CoreShowChannel", Channel: "PJSIP/200-02", State: "Ring" },
], { message: "Channels will follow" });

Deno.test("list --fields naming a key no item has exits with 2, naming it and the keys there are", async () => {
  await using server = listeningServer();
  server.handle("CoreShowChannels", () => CHANNELS);
  for (const json of [false, true]) {
    const run = await cli(
      ["list", "CoreShowChannels", "--fields", "Channel,Stat,Duraton", ...(json ? ["--json"] : [])],
      { env: envFor(server) },
    );
    assert.equal(run.code, CLI_EXIT_CODES.usage, run.stderr);
    assertOneLine(
      run.stderr,
      /^ami list: --fields: No item has "Stat", "Duraton"; the items have Event, Channel, State$/,
    );
  }
});

Deno.test("list --json --fields prints only those keys, in that order", async () => {
  await using server = listeningServer();
  server.handle("CoreShowChannels", () => CHANNELS);
  const run = await cli(["list", "CoreShowChannels", "--json", "--fields", "state,Channel"], {
    env: envFor(server),
  });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(lines(run.stdout).map((line) => JSON.parse(line)), [
    { state: "Up", Channel: "PJSIP/100-01" },
    { state: "Ring", Channel: "PJSIP/200-02" },
  ]);
});

const ESCAPE = "\x1b]0;pwned\x07\x1b[2J\x9b31m";
const ESCAPED = "\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m";

Deno.test("terminal control characters from the server are escaped in text output, kept in --json", async () => {
  await using server = listeningServer();
  server.command("core show uptime", () => `up ${ESCAPE}\n`);
  server.handle("Getvar", () => ({ Response: "Success", Variable: "X", Value: ESCAPE }));
  server.handle("Setvar", () => ({ Response: "Error", Message: `bad ${ESCAPE}` }));
  const env = envFor(server);

  const command = await cli(["command", "core show uptime"], { env });
  assert.equal(command.stdout, `up ${ESCAPED}\n`);
  const response = await cli(["action", "Getvar", "Variable=X"], { env });
  assert.match(response.stdout, new RegExp(`^Value: ${RegExp.escape(ESCAPED)}$`, "m"));
  const failure = await cli(["action", "Setvar", "Variable=X", "Value=1"], { env });
  assert.equal(failure.code, CLI_EXIT_CODES.actionFailed);
  assert.ok(failure.stderr.includes(`bad ${ESCAPED}`), failure.stderr);

  const ready = waitForText("Tailing events");
  const tail = cli(["events", "--count", "1"], { env, onStderr: ready.check });
  await ready.seen;
  server.emit({ Event: "UserEvent", Data: ESCAPE });
  const events = await tail;
  assert.ok(events.stdout.includes(ESCAPED), events.stdout);

  const json = await cli(["action", "Getvar", "Variable=X", "--json"], { env });
  assert.equal(JSON.parse(json.stdout).Value, ESCAPE);
  for (const run of [command, response, failure, events, json]) {
    // deno-lint-ignore no-control-regex -- finding control characters is the point
    assert.doesNotMatch(run.stdout + run.stderr, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  }
});
