/**
 * `ami events`: tail events, filtered by name and by header patterns.
 *
 * @module
 */

import { AmiGap } from "../events/events.ts";
import type { AmiMessage } from "../wire/message.ts";
import { CliUsageError } from "./args.ts";
import { type CommandContext, listOption, valueOption } from "./context.ts";
import { checkEventMask } from "./event_classes.ts";
import { formatEventLine, jsonLine } from "./format.ts";

/**
 * Runs `ami events`: logs in with events off, subscribes, turns events on
 * (`Action: Events`), says so on stderr, then prints matching events until
 * the signal aborts (exit 0), `--count` events were printed (exit 0), or the
 * connection is lost (exit 3; with `--reconnect` it is restored instead, and
 * the gap is reported on stderr).
 *
 * @param context The command's context.
 * @returns The exit code.
 *
 * @example
 * ```ts ignore
 * const code = await events(context); // ami events --event Hangup --match 'Channel=PJSIP/*'
 * ```
 */
export async function events(context: CommandContext): Promise<number> {
  if (context.positionals.length > 0) {
    throw new CliUsageError(
      "The events command takes no arguments; filter with --event and --match",
      "events",
    );
  }
  const accepts = eventPredicate(listOption(context, "event"), listOption(context, "match"));
  const count = countOption(valueOption(context, "count"));
  const classes = classesOption(context);
  const client = await context.connect(
    context.options.get("reconnect") === true ? { reconnect: true } : {},
  );
  try {
    const signal = context.signal;
    const stream = client.events(
      accepts,
      signal === undefined ? { gaps: true } : { gaps: true, signal },
    );
    try {
      await client.send({ Action: "Events", EventMask: classes }, context.sendOptions);
      await context.output.err(`Tailing events from ${context.address} (Ctrl-C to stop)\n`);
      let printed = 0;
      for await (const item of stream) {
        if (item instanceof AmiGap) {
          await context.output.err(
            item.reason === "overflow"
              ? `ami events: ${
                item.dropped ?? "some"
              } events were dropped: the output fell behind\n`
              : "ami events: The connection dropped and came back; events in between are missing\n",
          );
          continue;
        }
        await context.output.out(context.json ? jsonLine(item) : formatEventLine(item));
        if (context.output.broken || ++printed === count) break;
      }
    } finally {
      await stream.return();
    }
    return 0;
  } finally {
    // Stopping is how a tail ends: no action is left waiting, so log off politely.
    await context.leave(client, { logoff: true });
  }
}

/**
 * The test for `--event` names and `--match Key=Pattern` options. Patterns
 * are globs: `*` any text, `?` one character, matched against the whole
 * first value of the key (keys ignore case).
 *
 * @param names Event names; empty for any.
 * @param matches `Key=Pattern` strings.
 * @returns A predicate for `client.events()`.
 * @throws {CliUsageError} for a match without `=` or with an empty key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AmiMessage } from "../wire/message.ts";
 * import { eventPredicate } from "./events.ts";
 * const accepts = eventPredicate(["hangup"], ["Channel=PJSIP/*"]);
 * assert.ok(accepts(AmiMessage.fromString("Event: Hangup\r\nChannel: PJSIP/100-01\r\n\r\n")));
 * assert.ok(!accepts(AmiMessage.fromString("Event: Hangup\r\nChannel: IAX2/1-01\r\n\r\n")));
 * ```
 */
export function eventPredicate(
  names: readonly string[],
  matches: readonly string[],
): (event: AmiMessage) => boolean {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  const patterns = new Map<string, RegExp[]>();
  for (const match of matches) {
    const equals = match.indexOf("=");
    if (equals <= 0) {
      throw new CliUsageError(
        "The --match option takes Key=Pattern, e.g. --match 'Channel=PJSIP/*'",
        "events",
      );
    }
    const key = match.slice(0, equals).toLowerCase();
    const list = patterns.get(key) ?? [];
    list.push(globToRegExp(match.slice(equals + 1)));
    patterns.set(key, list);
  }
  return (event) => {
    if (wanted.size > 0 && !wanted.has((event.get("Event") ?? "").toLowerCase())) return false;
    for (const [key, list] of patterns) {
      const value = event.get(key);
      if (value === undefined || !list.some((pattern) => pattern.test(value))) return false;
    }
    return true;
  };
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (const char of glob) {
    if (char === "*") source += "[\\s\\S]*";
    else if (char === "?") source += "[\\s\\S]";
    else source += char.replace(/[\\^$.|+()[\]{}\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "u");
}

/** The event mask: `--classes`, else the URL's `?events=`, else all the user may read. */
function classesOption(context: CommandContext): string {
  const given = valueOption(context, "classes");
  if (given !== undefined) {
    if (given.trim() === "") {
      throw new CliUsageError("The --classes option must not be empty", "events");
    }
    return checkEventMask(given, "--classes");
  }
  if (context.urlEvents !== undefined) {
    return checkEventMask(context.urlEvents, "the URL's ?events=");
  }
  return "on";
}

function countOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new CliUsageError("The --count option must be a whole number of 1 or more", "events");
  }
  return Number(text);
}
