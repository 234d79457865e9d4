/**
 * The `Command` action of the test server: CLI commands registered by
 * tests, matched against the command line, answered in Asterisk's modern or
 * legacy format, and `No such command` for the rest.
 *
 * @module
 */

import type { AmiMessage } from "../wire/message.ts";
import { type AmiTestReply, rawReply } from "./replies.ts";
import type { AmiTestCommand, AmiTestCommandResult } from "./server_options.ts";
import type { AmiTestSession } from "./session.ts";

/** A command line with its case and runs of spaces evened out. */
function normalizeCommand(command: string): string {
  return command.trim().replace(/\s+/g, " ").toLowerCase();
}

/** The registered CLI commands; the latest registration wins. */
export class CommandTable {
  readonly #commands: { match: string | RegExp; run: AmiTestCommand }[] = [];

  /** Registers a command line (exact, case and spaces aside) or a pattern. */
  add(command: string | RegExp, run: AmiTestCommand): void {
    this.#commands.unshift({
      match: typeof command === "string" ? normalizeCommand(command) : command,
      run,
    });
  }

  /** Answers a `Command` action in the given format. */
  async answer(
    action: AmiMessage,
    session: AmiTestSession,
    format: "modern" | "legacy",
  ): Promise<AmiTestReply> {
    const line = (action.get("Command") ?? "").trim();
    if (line === "") throw new Error("No command provided");
    const result = await this.#run(line, session) ?? noSuchCommand(line);
    const rawId = action.get("ActionID")?.trimStart();
    const actionId = rawId === undefined || rawId === "" ? undefined : rawId;
    if (format === "legacy") {
      return rawReply(
        "Response: Follows\r\nPrivilege: Command\r\n" +
          (actionId === undefined ? "" : `ActionID: ${actionId}\r\n`) +
          result.output + "--END COMMAND--\r\n\r\n",
      );
    }
    const output = result.output.endsWith("\n") ? result.output.slice(0, -1) : result.output;
    return {
      Response: result.error ? "Error" : "Success",
      Message: "Command output follows",
      Output: output === "" && result.output === "" ? [] : output.split("\n"),
    };
  }

  async #run(line: string, session: AmiTestSession): Promise<AmiTestCommandResult | undefined> {
    const normalized = normalizeCommand(line);
    for (const { match, run } of this.#commands) {
      const matches = typeof match === "string" ? match === normalized : match.test(line);
      if (!matches) continue;
      const output = await run(line, session);
      return typeof output === "string" ? { output } : output;
    }
    return undefined;
  }
}

/** Asterisk's answer to a command it does not know. */
function noSuchCommand(line: string): AmiTestCommandResult {
  const words = line.split(/\s+/);
  const hint = words.slice(0, Math.max(1, words.length - 1)).join(" ");
  return {
    output: `No such command '${line}' (type 'core show help ${hint}' for other possible ` +
      "commands)\n",
    error: true,
  };
}
