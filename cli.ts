/**
 * `ami`, a command-line client for the Asterisk Manager Interface: tail
 * events, send actions, print event lists, run CLI commands, ping.
 *
 * ```sh
 * export AMI_URL='ami://admin:amp111@127.0.0.1:5038'
 * deno run -A jsr:@x/ami/cli ping
 * deno run -A jsr:@x/ami/cli events --event Hangup --match 'Channel=PJSIP/*' --json
 * deno run -A jsr:@x/ami/cli action Originate Channel=PJSIP/100 Exten=200 Context=default \
 *   Priority=1 Variable=A=1 Variable=B=2
 * deno run -A jsr:@x/ami/cli list CoreShowChannels --fields Channel,State,Duration
 * deno run -A jsr:@x/ami/cli command "core show channels"
 * deno run -A jsr:@x/ami/cli --help
 * ```
 *
 * Credentials come from `AMI_URL` or from `--url`, `--host`, `--port`,
 * `--user`, `--secret`, `--tls` and `--plain`, and are never printed: not in
 * errors, not in help, not in the `--verbose` wire trace. Exit codes: 0 done,
 * 1 the action failed (`Response: Error`), 2 usage error, 3 connection, login
 * or timeout failure, 130 interrupted (see {@linkcode CLI_EXIT_CODES}).
 * `deno run --allow-net --allow-env=AMI_URL` is all it needs.
 *
 * The CLI is also a function, {@linkcode runCli}, that takes the arguments
 * and the outputs and resolves with the exit code.
 *
 * @example Run the CLI in process against the test server
 * ```ts
 * import { runCli } from "@x/ami/cli";
 * import { AmiTestServer } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = new AmiTestServer({ users: { admin: "amp111" } });
 * server.command("core show uptime", () => "System uptime: 5 minutes, 2 seconds\n");
 * server.listen();
 *
 * let stdout = "";
 * let stderr = "";
 * const code = await runCli(["command", "core show uptime"], {
 *   env: { AMI_URL: server.url },
 *   stdout: (text) => void (stdout += text),
 *   stderr: (text) => void (stderr += text),
 * });
 * assert.equal(code, 0);
 * assert.equal(stdout, "System uptime: 5 minutes, 2 seconds\n");
 * assert.equal(stderr, "");
 * ```
 *
 * @module
 */

import { CliInterrupted } from "./src/cli/context.ts";
import { runCli } from "./src/cli/run.ts";

export { type CliIo, runCli } from "./src/cli/run.ts";
export { CLI_EXIT_CODES } from "./src/cli/exit_codes.ts";
export type { CliWrite } from "./src/cli/output.ts";

if (import.meta.main) {
  Deno.exit(await main());
}

/** Runs the CLI on this process's arguments, outputs and signals. */
async function main(): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    // A second Ctrl-C does not wait for the connection to wind down.
    if (++interrupts > 1) Deno.exit(130);
    controller.abort(new CliInterrupted());
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows"
    ? ["SIGINT", "SIGBREAK"]
    : ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, onSignal);
  const encoder = new TextEncoder();
  const stdout = Deno.stdout.writable.getWriter();
  const stderr = Deno.stderr.writable.getWriter();
  try {
    return await runCli(Deno.args, {
      env: { AMI_URL: readEnv("AMI_URL") },
      readEnv,
      stdout: (text) => stdout.write(encoder.encode(text)),
      stderr: (text) => stderr.write(encoder.encode(text)),
      signal: controller.signal,
    });
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, onSignal);
  }
}

/** An environment variable, or `undefined` when it is unset or may not be read. */
function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}
