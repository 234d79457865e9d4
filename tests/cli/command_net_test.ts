/**
 * The `ami` CLI: command. Run in process with runCli() against the
 * test server over TCP on 127.0.0.1 (see tests/support/cli.ts).
 */

import assert from "node:assert/strict";
import { CLI_EXIT_CODES } from "../../cli.ts";
import { assertOneLine, cli, envFor, listeningServer } from "../support/cli.ts";

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
  assertOneLine(run.stderr, /^ami command: Command failed: No such command 'core show nothing'/);
});
