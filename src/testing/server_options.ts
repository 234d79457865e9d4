/**
 * The public shapes of {@linkcode AmiTestServer}: its options, CLI commands,
 * where it listens and what an in-memory connection gives.
 *
 * @module
 */

import type { AmiTestFaults } from "./faults.ts";
import type { AmiStreamPair } from "./links.ts";
import type { AmiTestHandler, AmiTestSession } from "./session.ts";

/** The banner Asterisk 12 to 23 send: the AMI protocol version, not Asterisk's. */
export const DEFAULT_BANNER = "Asterisk Call Manager/13.0.0";

/**
 * What a CLI command registered with {@linkcode AmiTestServer.command}
 * answers: its output text, or the output and whether the command failed.
 *
 * @example
 * ```ts
 * import type { AmiTestCommandResult } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * const failed: AmiTestCommandResult = { output: "Usage: core show channel <channel>\n", error: true };
 * assert.ok(failed.error);
 * ```
 */
export interface AmiTestCommandResult {
  /** The CLI output, lines ending in `\n`. */
  output: string;
  /** Whether the command failed (`Response: Error`). */
  error?: boolean;
}

/**
 * Runs one CLI command for the `Command` action: gets the command line as
 * sent and the session, returns the output.
 *
 * @example
 * ```ts
 * import type { AmiTestCommand } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * const version: AmiTestCommand = () => "Asterisk 23.0.0 built by test\n";
 * assert.equal(typeof version, "function");
 * ```
 */
export type AmiTestCommand = (
  command: string,
  session: AmiTestSession,
) => string | AmiTestCommandResult | Promise<string | AmiTestCommandResult>;

/**
 * The options of {@linkcode AmiTestServer}.
 *
 * @example
 * ```ts
 * import type { AmiTestServerOptions } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * const options: AmiTestServerOptions = {
 *   users: { admin: "amp111" },
 *   authFailureDelayMs: 5,
 *   commandFormat: "legacy",
 * };
 * assert.equal(options.commandFormat, "legacy");
 * ```
 */
export interface AmiTestServerOptions {
  /** Users and their secrets; defaults to `{ admin: "amp111" }`. */
  users?: Record<string, string>;
  /** The first line sent on connect; defaults to {@linkcode DEFAULT_BANNER}. */
  banner?: string;
  /**
   * How long a failed Login waits before `Authentication failed`; defaults to
   * 1000 ms, as Asterisk. Tests set it small.
   */
  authFailureDelayMs?: number;
  /**
   * How `Command` answers: `modern` (one `Output:` field per line, Asterisk
   * 14 and later) or `legacy` (`Response: Follows` … `--END COMMAND--`,
   * Asterisk 13 and older). Defaults to `modern`.
   */
  commandFormat?: "modern" | "legacy";
  /** Action handlers by action name; see {@linkcode AmiTestServer.handle}. */
  handlers?: Record<string, AmiTestHandler>;
  /** CLI commands for `Command`; see {@linkcode AmiTestServer.command}. */
  commands?: Record<string, AmiTestCommand>;
  /** Faults for every session; see {@linkcode AmiTestFaults}. */
  faults?: AmiTestFaults;
}

/**
 * Where {@linkcode AmiTestServer.listen} listens. With `cert` and `key` it
 * serves TLS.
 *
 * @example
 * ```ts
 * import type { AmiTestListenOptions } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * const options: AmiTestListenOptions = { hostname: "127.0.0.1", port: 0 };
 * assert.equal(options.port, 0);
 * ```
 */
export interface AmiTestListenOptions {
  /** The address to bind; defaults to `127.0.0.1`. */
  hostname?: string;
  /** The port; defaults to 0, any free port. */
  port?: number;
  /** A PEM certificate chain: serve TLS. */
  cert?: string;
  /** The PEM private key for `cert`. */
  key?: string;
}

/**
 * A client's in-memory connection from {@linkcode AmiTestServer.connect}:
 * the stream pair to give the client, and the server's session for it.
 *
 * @example
 * ```ts
 * import { AmiTestServer, type AmiTestConnection } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * await using server = new AmiTestServer();
 * const connection: AmiTestConnection = server.connect();
 * assert.equal(connection.session.transport, "memory");
 * ```
 */
export interface AmiTestConnection extends AmiStreamPair {
  /** The server's end. */
  readonly session: AmiTestSession;
}
