/**
 * `ami command "core show channels"`: run an Asterisk CLI command and print
 * its output.
 *
 * @module
 */

import { AmiActionError } from "../errors.ts";
import { CliUsageError } from "./args.ts";
import { oneLine } from "./action.ts";
import type { CommandContext } from "./context.ts";
import { jsonLine } from "./format.ts";

/**
 * Runs `ami command`. The words after `command` make the CLI command. A
 * failed command (`Response: Error`, e.g. `No such command`) prints its
 * output on stderr (or as JSON on stdout) and exits with 1.
 *
 * @param context The command's context.
 * @returns The exit code.
 *
 * @example
 * ```ts ignore
 * const code = await command(context); // ami command core show uptime
 * ```
 */
export async function command(context: CommandContext): Promise<number> {
  const line = context.positionals.join(" ").trim();
  if (line === "") throw new CliUsageError("The CLI command is missing", "command");
  if (/[\r\n\0]/.test(line)) {
    throw new CliUsageError("The CLI command must not hold CR, LF or NUL", "command");
  }
  const client = await context.connect();
  try {
    let output: string[];
    let response: string;
    let failed = false;
    try {
      output = await client.command(line, context.sendOptions);
      response = "Success";
    } catch (error) {
      if (!(error instanceof AmiActionError)) throw error;
      failed = true;
      output = error.response.getAll("Output");
      response = error.response.get("Response") ?? "Error";
      if (output.length === 0) output = [error.response.get("Message") ?? oneLine(error.message)];
    }
    if (context.json) {
      await context.output.out(jsonLine({ command: line, response, output }));
    } else if (failed) {
      await context.output.err(`ami command: Command failed: ${oneLine(output.join(" "))}\n`);
    } else {
      await context.output.out(output.map((text) => text + "\n").join(""));
    }
    return failed ? 1 : 0;
  } finally {
    await context.leave(client);
  }
}
