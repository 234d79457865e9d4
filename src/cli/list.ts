/**
 * `ami list Name Key=Value…`: send an action that answers with an event
 * list, and print the list as a table or as JSON lines.
 *
 * @module
 */

import { AmiActionError } from "../errors.ts";
import type { AmiMessage } from "../wire/message.ts";
import { CliUsageError } from "./args.ts";
import { oneLine, printResponse } from "./action.ts";
import { type CommandContext, valueOption } from "./context.ts";
import { actionFromArgs } from "./fields.ts";
import { formatTable, jsonLine } from "./format.ts";

/**
 * Runs `ami list`. With `--json`, items are printed as they arrive; the
 * table waits for the whole list. An action that answers without a list has
 * its response printed, with a note on stderr.
 *
 * @param context The command's context.
 * @returns The exit code.
 *
 * @example
 * ```ts ignore
 * const code = await list(context); // ami list CoreShowChannels
 * ```
 */
export async function list(context: CommandContext): Promise<number> {
  const request = actionFromArgs("list", context.positionals);
  const columns = columnsOption(context);
  // The ActionID is the client's own unless the user chose one.
  const omit = request.ActionID === undefined ? ["ActionID"] : [];
  const client = await context.connect();
  try {
    const items: AmiMessage[] = [];
    const stream = client.streamList(request, context.sendOptions);
    try {
      for await (const item of stream) {
        if (context.json) await context.output.out(jsonLine(withoutKeys(item, omit)));
        else items.push(item);
        if (context.output.broken) return 0;
      }
    } catch (error) {
      if (!(error instanceof AmiActionError)) throw error;
      await context.output.err(`ami list: ${oneLine(error.message)}\n`);
      return 1;
    }
    const { response, complete } = await stream.result;
    if (complete === undefined) {
      await printResponse(context, response, omit);
      await context.output.err(`ami list: ${request.Action} did not answer with an event list\n`);
      return 0;
    }
    if (!context.json) await context.output.out(tables(items, columns));
    return 0;
  } finally {
    await context.leave(client);
  }
}

/** A message's fields as an object, some keys left out. */
function withoutKeys(message: AmiMessage, omit: readonly string[]): Record<string, unknown> {
  const fields = message.toJSON();
  for (const key of omit) delete fields[key];
  return fields;
}

/** One table per event name, in the order the names first appear, titled when there are several. */
function tables(items: readonly AmiMessage[], columns: readonly string[] | undefined): string {
  if (items.length === 0) return "(no items)\n";
  const groups = new Map<string, AmiMessage[]>();
  for (const item of items) {
    const name = item.get("Event") ?? "";
    const group = groups.get(name.toLowerCase());
    if (group === undefined) groups.set(name.toLowerCase(), [item]);
    else group.push(item);
  }
  if (groups.size === 1) return formatTable(items, columns);
  return [...groups.values()].map((group) =>
    `${group[0]!.get("Event")} (${group.length})\n${formatTable(group, columns)}`
  ).join("\n");
}

function columnsOption(context: CommandContext): string[] | undefined {
  const text = valueOption(context, "fields");
  if (text === undefined) return undefined;
  const columns = text.split(",").map((key) => key.trim()).filter((key) => key !== "");
  if (columns.length === 0) throw new CliUsageError("--fields needs at least one key", "list");
  return columns;
}
