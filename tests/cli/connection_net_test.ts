/**
 * The `ami` CLI: ping, credentials, the login, timeouts and interruption. Run in process with runCli() against the
 * test server over TCP on 127.0.0.1 (see tests/support/cli.ts).
 */

import assert from "node:assert/strict";
import { CLI_EXIT_CODES } from "../../cli.ts";
import {
  assertOneLine,
  cli,
  envFor,
  lines,
  listeningServer,
  SECRET,
  WRONG_SECRET,
} from "../support/cli.ts";
import { closedPort } from "../support/closed_port.ts";

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
  assertOneLine(run.stderr, /^ami ping: Login as "admin" failed: Authentication failed$/);
});

Deno.test("a refused connection exits with 3 and one line naming the address", async () => {
  const port = closedPort();
  const run = await cli(["ping"], { env: { AMI_URL: `ami://admin:${SECRET}@127.0.0.1:${port}` } });
  assert.equal(run.code, CLI_EXIT_CODES.connection);
  assert.equal(run.stdout, "");
  assertOneLine(
    run.stderr,
    new RegExp(`^ami ping: Could not connect to 127\\.0\\.0\\.1:${port}: `),
  );
});

Deno.test("a server that never answers the login times out with 3 and one line", async () => {
  await using server = listeningServer({ faults: { silent: true } });
  const run = await cli(["ping", "--timeout", "50"], { env: envFor(server) });
  assert.equal(run.code, CLI_EXIT_CODES.connection);
  assertOneLine(run.stderr, /^ami ping: Connecting and logging in took longer than 50 ms$/);
});

Deno.test("an action that gets no answer in --timeout exits with 3 and one line", async () => {
  await using server = listeningServer();
  server.handle("Slow", () =>
    new Promise<undefined>((resolve) => {
      server.signal.addEventListener("abort", () => resolve(undefined), { once: true });
    }));
  // --timeout also bounds connecting and logging in: 1 s, so that on a loaded machine the login
  // still fits in it and it is the unanswered action that times out (that wait is real time).
  const run = await cli(["action", "Slow", "--timeout", "1000"], { env: envFor(server) });
  assert.equal(run.code, CLI_EXIT_CODES.connection, run.stderr);
  assert.equal(run.stdout, "");
  assertOneLine(run.stderr, /^ami action: .*Slow.*1000 ms/);
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
  assertOneLine(run.stderr, /^ami action: Interrupted$/);
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
