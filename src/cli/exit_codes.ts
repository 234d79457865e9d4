/**
 * The CLI's exit codes.
 *
 * @module
 */

/**
 * The exit codes of the `ami` CLI:
 * - `ok` (0): done;
 * - `actionFailed` (1): the server answered `Response: Error` (or a CLI
 *   command failed);
 * - `usage` (2): the command line is wrong (unknown command or option, a
 *   missing argument, no server given);
 * - `connection` (3): the server could not be reached, refused the login,
 *   dropped the connection, or did not answer in time;
 * - `internal` (70): a bug in the CLI; please report it;
 * - `interrupted` (130): stopped by Ctrl-C (or the caller's abort signal)
 *   while waiting; `events` ends with 0 instead, as stopping is how it ends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CLI_EXIT_CODES } from "@x/ami/cli";
 * assert.equal(CLI_EXIT_CODES.connection, 3);
 * ```
 */
export const CLI_EXIT_CODES: {
  readonly ok: 0;
  readonly actionFailed: 1;
  readonly usage: 2;
  readonly connection: 3;
  readonly internal: 70;
  readonly interrupted: 130;
} = Object.freeze({
  ok: 0,
  actionFailed: 1,
  usage: 2,
  connection: 3,
  internal: 70,
  interrupted: 130,
});
