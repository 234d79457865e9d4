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
 * table waits for the whole list; `--fields` picks the keys of both. A
 * `--fields` key that no item has is named on stderr (exit code 2). An
 * action that answers without a list has its response printed, with a note
 * on stderr.
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
    /** Every key the items have, by lower-case name: kept, not the items, with --json. */
    const keys = new Map<string, string>();
    const stream = client.streamList(request, context.sendOptions);
    try {
      for await (const item of stream) {
        for (const [key] of item.fields()) {
          if (!keys.has(key.toLowerCase())) keys.set(key.toLowerCase(), key);
        }
        if (context.json) await context.output.out(jsonLine(jsonFields(item, omit, columns)));
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
      await context.output.err(
        `ami list: ${request.Action} does not answer with an event list; its response is above ` +
          `('ami action ${request.Action}' prints it)\n`,
      );
      return 0;
    }
    if (!context.json) await context.output.out(tables(items, columns));
    return await flagUnknownColumns(context, keys, columns);
  } finally {
    await context.leave(client);
  }
}

/** A message's fields as an object: the chosen columns (in their order), or all but `omit`. */
function jsonFields(
  message: AmiMessage,
  omit: readonly string[],
  columns: readonly string[] | undefined,
): Record<string, unknown> {
  if (columns !== undefined) {
    return Object.fromEntries(columns.map((key) => [key, message.get(key) ?? null]));
  }
  const fields = message.toJSON();
  for (const key of omit) delete fields[key];
  return fields;
}

/**
 * A `--fields` key that no item has is most likely misspelt: it is named on
 * stderr with the keys the items do have, and the exit code is 2.
 */
async function flagUnknownColumns(
  context: CommandContext,
  keys: ReadonlyMap<string, string>,
  columns: readonly string[] | undefined,
): Promise<number> {
  if (columns === undefined || keys.size === 0) return 0;
  const missing = columns.filter((key) => !keys.has(key.toLowerCase()));
  if (missing.length === 0) return 0;
  const present = [...keys.entries()]
    .filter(([lower]) => lower !== "actionid" && lower !== "eventlist")
    .map(([, key]) => key);
  await context.output.err(
    `ami list: --fields: No item has ${missing.map((key) => JSON.stringify(key)).join(", ")}` +
      `; the items have ${present.join(", ")}\n`,
  );
  return 2;
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
  if (columns.length === 0) {
    throw new CliUsageError("The --fields option needs at least one key", "list");
  }
  return columns;
}
