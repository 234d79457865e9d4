/**
 * The CLI's argument parser: `ami [options] <command> [arguments]`, with
 * options allowed before and after the command. Written for the CLI's needs
 * (no dependency): `--name value`, `--name=value`, repeated options, `-h`,
 * and `--` to end options.
 *
 * @module
 */

/**
 * A mistake on the command line. The CLI prints its message on one line and
 * exits with code 2. Messages name options, never their values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CliUsageError } from "./args.ts";
 * const error = new CliUsageError("Unknown option --colour", "events");
 * assert.equal(error.command, "events");
 * ```
 */
export class CliUsageError extends Error {
  /** The command whose help explains the right usage, if known. */
  readonly command: string | undefined;

  /**
   * Creates a usage error.
   *
   * @param message What is wrong.
   * @param command The command concerned.
   */
  constructor(message: string, command?: string) {
    super(message);
    this.name = "CliUsageError";
    this.command = command;
  }
}

/**
 * One option: a `flag` (no value), a `value` (the last one given wins) or a
 * `list` (every value given, in order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { OptionSpec } from "./args.ts";
 * const event: OptionSpec = { name: "event", kind: "list" };
 * assert.equal(event.kind, "list");
 * ```
 */
export interface OptionSpec {
  /** The long name, without `--`. */
  readonly name: string;
  /** How it takes values. */
  readonly kind: "flag" | "value" | "list";
  /** A one-letter alias, without `-`. */
  readonly short?: string;
}

/**
 * What the command line says.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CommandLine } from "./args.ts";
 * const line: CommandLine = { command: "ping", options: new Map([["json", true]]), positionals: [] };
 * assert.equal(line.options.get("json"), true);
 * ```
 */
export interface CommandLine {
  /** The command (the first positional argument), if any. */
  readonly command: string | undefined;
  /** Options by long name: `true` for flags, a string, or the strings of a list. */
  readonly options: ReadonlyMap<string, string | boolean | readonly string[]>;
  /** The arguments after the command, in order. */
  readonly positionals: readonly string[];
}

/**
 * Parses a command line. Options before the command must be global ones;
 * after it, the command's own options are known too.
 *
 * @param args The arguments, without the program's name.
 * @param global Options every command takes.
 * @param commands Each command's own options; a name missing here is an unknown command.
 * @returns The command, options and positional arguments.
 * @throws {CliUsageError} for an unknown command or option, a missing value,
 *   or a value given to a flag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCommandLine } from "./args.ts";
 * const line = parseCommandLine(
 *   ["--json", "events", "--event", "Hangup", "--event=Newchannel"],
 *   [{ name: "json", kind: "flag" }],
 *   { events: [{ name: "event", kind: "list" }] },
 * );
 * assert.equal(line.command, "events");
 * assert.equal(String(line.options.get("event")), "Hangup,Newchannel");
 * ```
 */
export function parseCommandLine(
  args: readonly string[],
  global: readonly OptionSpec[],
  commands: Readonly<Record<string, readonly OptionSpec[]>>,
): CommandLine {
  const options = new Map<string, string | boolean | string[]>();
  const positionals: string[] = [];
  let command: string | undefined;
  let specs: readonly OptionSpec[] = global;
  let optionsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (optionsEnded || arg === "-" || !arg.startsWith("-")) {
      if (command === undefined) {
        if (!Object.hasOwn(commands, arg)) {
          throw new CliUsageError(`Unknown command "${arg}"`);
        }
        command = arg;
        specs = [...global, ...commands[arg]!];
      } else {
        positionals.push(arg);
      }
      continue;
    }
    if (arg === "--") {
      optionsEnded = true;
      continue;
    }
    i = readOption(args, i, specs, command, options);
  }
  return { command, options, positionals };
}

/**
 * Reads the option at `args[index]` (and its value, when it is the next
 * argument) into `options`; returns the index of the last argument read.
 */
function readOption(
  args: readonly string[],
  index: number,
  specs: readonly OptionSpec[],
  command: string | undefined,
  options: Map<string, string | boolean | string[]>,
): number {
  const arg = args[index]!;
  const long = arg.startsWith("--");
  const equals = long ? arg.indexOf("=") : -1;
  const name = long ? arg.slice(2, equals === -1 ? undefined : equals) : arg.slice(1);
  const spec = specs.find((candidate) => long ? candidate.name === name : candidate.short === name);
  const shown = long ? `--${name}` : `-${name}`;
  if (spec === undefined) {
    throw new CliUsageError(`Unknown option ${shown}`, command);
  }
  if (spec.kind === "flag") {
    if (equals !== -1) throw new CliUsageError(`The ${shown} option takes no value`, command);
    options.set(spec.name, true);
    return index;
  }
  let value: string;
  if (equals !== -1) {
    value = arg.slice(equals + 1);
  } else if (index + 1 < args.length) {
    value = args[++index]!;
  } else {
    throw new CliUsageError(`The ${shown} option needs a value`, command);
  }
  if (spec.kind === "value") {
    options.set(spec.name, value);
  } else {
    const list = options.get(spec.name);
    if (Array.isArray(list)) list.push(value);
    else options.set(spec.name, [value]);
  }
  return index;
}
