/**
 * The CLI's version: the package's, kept equal to `deno.json` by a test.
 *
 * @module
 */

/**
 * The version `ami --version` prints.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CLI_VERSION } from "./version.ts";
 * assert.match(CLI_VERSION, /^\d+\.\d+\.\d+/);
 * ```
 */
export const CLI_VERSION = "0.1.0";
