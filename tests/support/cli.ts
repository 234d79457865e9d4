/**
 * Helpers for the `ami` CLI tests: run it in process with runCli() against
 * the test server over TCP on 127.0.0.1, checking that no secret appears in
 * any output.
 *
 * @module
 */

import assert from "node:assert/strict";
import { runCli } from "../../cli.ts";
import { AmiTestServer, type AmiTestServerOptions } from "../../testing.ts";

export const SECRET = "s3cr3t-Pa55";
export const WRONG_SECRET = "wr0ng-Pa55";
export const SECRETS = [SECRET, WRONG_SECRET];

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Called with all of stderr so far, after each write. */
  onStderr?: (stderr: string) => void;
  /** Called with all of stdout so far, after each write. */
  onStdout?: (stdout: string) => void;
}

/** Runs the CLI, collects its outputs, and checks that no secret was printed. */
export async function cli(args: string[], options: RunOptions = {}): Promise<Run> {
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
export function listeningServer(options: AmiTestServerOptions = {}): AmiTestServer {
  const server = new AmiTestServer({ users: { admin: SECRET }, authFailureDelayMs: 1, ...options });
  server.listen({ hostname: "127.0.0.1", port: 0 });
  return server;
}

export function envFor(server: AmiTestServer): Record<string, string> {
  return { AMI_URL: server.url };
}

/** A promise that resolves once `text` has appeared in an output, and the hook to feed it. */
export function waitForText(text: string, occurrence = 1): {
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

export function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

/** Checks that `stderr` is one line, ending in a newline, that matches `pattern`. */
export function assertOneLine(stderr: string, pattern: RegExp): void {
  assert.equal(lines(stderr).length, 1, `one line on stderr, got:\n${stderr}`);
  assert.ok(stderr.endsWith("\n"), "the line ends in a newline");
  assert.match(stderr.slice(0, -1), pattern);
  assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
}
