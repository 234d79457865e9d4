/**
 * `ami action Name Key=Value…`: send one action, print its response.
 *
 * @module
 */

import { AmiActionError } from "../errors.ts";
import type { AmiMessage } from "../wire/message.ts";
import { AMI_EVENT_LIST_ACTIONS } from "../generated/event_lists.ts";
import { CliUsageError } from "./args.ts";
import type { CommandContext } from "./context.ts";
import { actionFromArgs } from "./fields.ts";
import { formatFields, jsonLine } from "./format.ts";

/**
 * Runs `ami action`. A `Response: Error` is printed like a success, and
 * also reported on stderr; the exit code is then 1. An action the catalog
 * knows to answer with an event list is a usage error (see `ami list`),
 * before connecting.
 *
 * @param context The command's context.
 * @returns The exit code.
 *
 * @example
 * ```ts ignore
 * const code = await action(context); // ami action Getvar Variable=FOO
 * ```
 */
export async function action(context: CommandContext): Promise<number> {
  const request = actionFromArgs("action", context.positionals);
  const list = AMI_EVENT_LIST_ACTIONS.get(request.Action.toLowerCase());
  if (list !== undefined) {
    throw new CliUsageError(
      `${request.Action} answers with a list of ${list.items.join(", ")} events: ` +
        `'ami list ${request.Action}' prints it`,
      "action",
    );
  }
  // The ActionID is the client's own unless the user chose one.
  const omit = request.ActionID === undefined ? ["ActionID"] : [];
  const client = await context.connect();
  try {
    let response: AmiMessage;
    let failure: AmiActionError | undefined;
    try {
      response = await client.send(request, context.sendOptions);
    } catch (error) {
      if (!(error instanceof AmiActionError)) throw error;
      failure = error;
      response = error.response;
    }
    await printResponse(context, response, omit);
    if (failure !== undefined) {
      await context.output.err(`ami action: ${oneLine(failure.message)}\n`);
      return 1;
    }
    if (response.get("EventList")?.toLowerCase() === "start") {
      await context.output.err(
        `ami action: ${request.Action} answers with an event list; 'ami list ${request.Action}' prints it\n`,
      );
    }
    return 0;
  } finally {
    await context.leave(client);
  }
}

/**
 * Prints a response as `Key: Value` lines, or as one JSON object.
 *
 * @param context The command's context.
 * @param response The response.
 * @param omit Keys to leave out.
 * @returns When written.
 *
 * @example
 * ```ts ignore
 * await printResponse(context, response, ["ActionID"]);
 * ```
 */
export async function printResponse(
  context: CommandContext,
  response: AmiMessage,
  omit: readonly string[],
): Promise<void> {
  if (context.json) {
    const fields = response.toJSON();
    for (const key of omit) delete fields[key];
    await context.output.out(jsonLine(fields));
  } else {
    await context.output.out(formatFields(response, omit));
  }
}

/**
 * A message on one line: line breaks become spaces.
 *
 * @param text Any text.
 * @returns The text without line breaks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneLine } from "./action.ts";
 * assert.equal(oneLine("a\r\nb"), "a b");
 * ```
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}
