/**
 * What a CLI command gets to do its work: its arguments, the outputs, the
 * abort signal, and a way to connect.
 *
 * @module
 */

import type { AmiClient, AmiSendOptions } from "../client/client.ts";
import type { AmiConnectOptions } from "../client/options.ts";
import type { Output } from "./output.ts";

/**
 * The command was stopped by the caller's abort signal (Ctrl-C) before it
 * finished; the CLI exits with 130.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CliInterrupted } from "./context.ts";
 * assert.equal(new CliInterrupted().message, "Interrupted");
 * ```
 */
export class CliInterrupted extends Error {
  /** Creates the error. */
  constructor() {
    super("Interrupted");
    this.name = "CliInterrupted";
  }
}

/**
 * A command's inputs and tools.
 *
 * @example
 * ```ts ignore
 * async function ping(context: CommandContext): Promise<number> {
 *   const client = await context.connect();
 *   try {
 *     await client.send({ Action: "Ping" }, { signal: context.signal });
 *   } finally {
 *     await context.leave(client);
 *   }
 *   return 0;
 * }
 * ```
 */
export interface CommandContext {
  /** The command's options, by long name. */
  readonly options: ReadonlyMap<string, string | boolean | readonly string[]>;
  /** The arguments after the command. */
  readonly positionals: readonly string[];
  /** Where to write. */
  readonly output: Output;
  /** Whether `--json` was given. */
  readonly json: boolean;
  /** `host:port` of the server, for messages. */
  readonly address: string;
  /** The event classes the URL asked for (`?events=`), if any. */
  readonly urlEvents: string | undefined;
  /** Aborted on Ctrl-C, or by the caller. */
  readonly signal: AbortSignal | undefined;
  /** Options for each action: the signal, when there is one. */
  readonly sendOptions: AmiSendOptions;
  /**
   * Connects and logs in, with events off unless `extra` says otherwise.
   *
   * @throws {CliInterrupted} when the signal aborts first.
   */
  connect(extra?: Partial<AmiConnectOptions>): Promise<AmiClient>;
  /**
   * Logs off (briefly waiting for the answer) and closes; never throws.
   * After an interruption it only closes, unless `logoff` is `true`: an
   * action still running would hold the `Logoff` back.
   */
  leave(client: AmiClient, options?: { logoff?: boolean }): Promise<void>;
}

/**
 * The value of a `list` option: every string given, or none.
 *
 * @param context The command's context.
 * @param name The option's long name.
 * @returns The values, in order.
 *
 * @example
 * ```ts ignore
 * const names = listOption(context, "event");
 * ```
 */
export function listOption(context: CommandContext, name: string): readonly string[] {
  const value = context.options.get(name);
  return Array.isArray(value) ? value : [];
}

/**
 * The value of a `value` option, if given.
 *
 * @param context The command's context.
 * @param name The option's long name.
 * @returns The value, or `undefined`.
 *
 * @example
 * ```ts ignore
 * const count = valueOption(context, "count");
 * ```
 */
export function valueOption(context: CommandContext, name: string): string | undefined {
  const value = context.options.get(name);
  return typeof value === "string" ? value : undefined;
}
