/**
 * {@linkcode runCli}: the whole CLI as a function of its arguments and
 * environment, returning the exit code, so it runs (and is tested) in
 * process.
 *
 * @module
 */

import { AmiClient } from "../client/client.ts";
import { AmiActionError, AmiError } from "../errors.ts";
import type { AmiConnectOptions } from "../client/options.ts";
import { formatWireFrame } from "../wire/wire_tap.ts";
import { oneLine } from "./action.ts";
import { action } from "./action.ts";
import { bridge } from "./bridge.ts";
import { CliUsageError, type CommandLine, type OptionSpec, parseCommandLine } from "./args.ts";
import { command } from "./command.ts";
import { CliInterrupted, type CommandContext } from "./context.ts";
import { events } from "./events.ts";
import { CLI_EXIT_CODES } from "./exit_codes.ts";
import { helpText } from "./help.ts";
import { list } from "./list.ts";
import { type CliWrite, Output } from "./output.ts";
import { ping } from "./ping.ts";
import { addressOf, connectOptionsFrom } from "./settings.ts";
import { CLI_VERSION } from "./version.ts";

/**
 * What {@linkcode runCli} reads and writes: the environment (only `AMI_URL`
 * is read), the two outputs, and a signal that stops a command (Ctrl-C).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CliIo } from "@x/ami/cli";
 * let printed = "";
 * const io: CliIo = {
 *   env: { AMI_URL: "ami://admin:amp111@127.0.0.1:5038" },
 *   stdout: (text) => void (printed += text),
 *   stderr: () => {},
 * };
 * assert.ok(io.env?.AMI_URL !== undefined);
 * ```
 */
export interface CliIo {
  /** Environment variables; only `AMI_URL` is read. None by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Reads any variable, for `bridge` (`AMI_USER`, `NATS_USER`, …); defaults to `env`. */
  readEnv?: (name: string) => string | undefined;
  /** Where results go. */
  stdout: CliWrite;
  /** Where messages, errors and the `--verbose` wire trace go. */
  stderr: CliWrite;
  /** Stops the command: `events` ends with 0, a command still waiting exits with 130. */
  signal?: AbortSignal;
}

type Command = (context: CommandContext) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = { events, action, list, command, ping };

const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: "url", kind: "value" },
  { name: "host", kind: "value" },
  { name: "port", kind: "value" },
  { name: "user", kind: "value" },
  { name: "secret", kind: "value" },
  { name: "tls", kind: "flag" },
  { name: "plain", kind: "flag" },
  { name: "timeout", kind: "value" },
  { name: "json", kind: "flag" },
  { name: "verbose", kind: "flag" },
  { name: "help", kind: "flag", short: "h" },
  { name: "version", kind: "flag" },
];

const COMMAND_OPTIONS: Readonly<Record<string, readonly OptionSpec[]>> = {
  events: [
    { name: "event", kind: "list" },
    { name: "match", kind: "list" },
    { name: "classes", kind: "value" },
    { name: "count", kind: "value" },
    { name: "reconnect", kind: "flag" },
  ],
  action: [],
  list: [{ name: "fields", kind: "value" }],
  command: [],
  ping: [],
  help: [],
  bridge: ["nats", "pbx-file", "stream", "outbox", "health-interval", "flush-timeout"]
    .map((name): OptionSpec => ({ name, kind: "value" }))
    .concat([{ name: "pbx", kind: "list" }]),
};

/**
 * Runs the `ami` CLI: `events`, `action`, `list`, `command`, `ping` and
 * `help`, with credentials from `AMI_URL` or flags. Expected failures (a
 * refused login or connection, a timeout, a usage mistake) print one line
 * on stderr and no stack trace; the secret never appears in any output.
 * It resolves once everything it opened is closed.
 *
 * @param args The arguments, without the program's name (`Deno.args`).
 * @param io Environment, outputs and abort signal.
 * @returns The exit code: see {@linkcode CLI_EXIT_CODES}.
 *
 * @example Ping the in-process test server
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCli } from "@x/ami/cli";
 * import { AmiTestServer } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer({ users: { admin: "amp111" } });
 * server.listen();
 * let printed = "";
 * const code = await runCli(["ping", "--json"], {
 *   env: { AMI_URL: server.url },
 *   stdout: (text) => void (printed += text),
 *   stderr: () => {},
 * });
 * assert.equal(code, 0);
 * assert.equal(JSON.parse(printed).Ping, "Pong");
 * ```
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const output = new Output(io.stdout, io.stderr);
  const pending: Promise<unknown>[] = [];
  let commandName: string | undefined;
  try {
    const line = parseCommandLine(args, GLOBAL_OPTIONS, COMMAND_OPTIONS);
    commandName = line.command;
    const answered = await answerWithoutConnecting(line, output);
    if (answered !== undefined) return answered;
    if (line.command === "bridge") {
      const readEnv = io.readEnv ?? ((name: string) => io.env?.[name]);
      return await bridge({ options: line.options, output, readEnv, signal: io.signal });
    }
    const context = commandContext(line, io, output, pending);
    const code = await COMMANDS[line.command!]!(context);
    return io.signal?.aborted && line.command !== "events" ? CLI_EXIT_CODES.interrupted : code;
  } catch (error) {
    return await report(error, commandName, output, io.signal);
  } finally {
    await Promise.all(pending);
    await output.flush();
  }
}

/** The boolean flag `name`: set or not. */
function flagOf(line: CommandLine, name: string): boolean {
  return line.options.get(name) === true;
}

/** The value of the option `name`, when it was given one. */
function textOf(line: CommandLine, name: string): string | undefined {
  const value = line.options.get(name);
  return typeof value === "string" ? value : undefined;
}

/**
 * Answers `help`, `--version`, `--help` and a missing command, which need no
 * connection; `undefined` when the command line asks for more.
 */
async function answerWithoutConnecting(
  line: CommandLine,
  output: Output,
): Promise<number | undefined> {
  if (line.command === "help") {
    const topic = line.positionals[0];
    if (topic !== undefined && !Object.hasOwn(COMMANDS, topic) && topic !== "bridge") {
      throw new CliUsageError(`No help for "${topic}": it is not a command`);
    }
    await output.out(helpText(topic));
    return CLI_EXIT_CODES.ok;
  }
  if (flagOf(line, "version")) {
    await output.out(`ami ${CLI_VERSION} (@x/ami)\n`);
    return CLI_EXIT_CODES.ok;
  }
  if (flagOf(line, "help")) {
    await output.out(helpText(line.command));
    return CLI_EXIT_CODES.ok;
  }
  if (line.command === undefined) {
    await output.err(helpText());
    return CLI_EXIT_CODES.usage;
  }
  return undefined;
}

/**
 * What a command gets: its options, the output, and how to connect and
 * leave. Connections still opening when the command ends go to `pending`,
 * so that runCli closes them before it returns.
 */
function commandContext(
  line: CommandLine,
  io: CliIo,
  output: Output,
  pending: Promise<unknown>[],
): CommandContext {
  const settings = connectOptionsFrom({
    url: textOf(line, "url"),
    host: textOf(line, "host"),
    port: textOf(line, "port"),
    user: textOf(line, "user"),
    secret: textOf(line, "secret"),
    tls: flagOf(line, "tls"),
    plain: flagOf(line, "plain"),
    timeout: textOf(line, "timeout"),
  }, io.env?.AMI_URL);
  output.hide(settings.secret);
  const verbose = flagOf(line, "verbose");
  const signal = io.signal;
  return {
    options: line.options,
    positionals: line.positionals,
    output,
    json: flagOf(line, "json"),
    address: addressOf(settings),
    urlEvents: typeof settings.events === "string" ? settings.events : undefined,
    signal,
    sendOptions: signal === undefined ? {} : { signal },
    connect: (extra = {}) => {
      const options: AmiConnectOptions = { ...settings, events: "off", ...extra };
      if (verbose) {
        options.onWire = (frame) => void output.err(formatWireFrame(frame) + "\n\n");
      }
      const connecting = AmiClient.connect(options);
      let abandoned = false;
      // A connection that completes after an abort is closed before runCli returns.
      pending.push(connecting.then((client) => abandoned ? client.close() : undefined, () => {}));
      return untilAborted(connecting, signal, () => abandoned = true);
    },
    leave: async (client, { logoff = !signal?.aborted } = {}) => {
      if (logoff && client.loggedIn) {
        await client.logoff({ timeout: Math.min(2_000, settings.actionTimeout ?? 2_000) })
          .catch(() => {});
      }
      await client.close();
    },
  };
}

/** Prints an error on one line and picks the exit code. */
async function report(
  error: unknown,
  command: string | undefined,
  output: Output,
  signal: AbortSignal | undefined,
): Promise<number> {
  const where = command === undefined || command === "help" ? "ami" : `ami ${command}`;
  if (error instanceof CliUsageError) {
    const topic = error.command ?? command;
    const prefix = topic === undefined || topic === "help" ? "ami" : `ami ${topic}`;
    const help = error.command === undefined ? "ami --help" : `ami ${error.command} --help`;
    await output.err(`${prefix}: ${oneLine(error.message)} (see '${help}')\n`);
    return CLI_EXIT_CODES.usage;
  }
  if (error instanceof CliInterrupted || (signal?.aborted && error === signal.reason)) {
    await output.err(`${where}: Interrupted\n`);
    return CLI_EXIT_CODES.interrupted;
  }
  if (error instanceof AmiActionError) {
    await output.err(`${where}: ${oneLine(error.message)}\n`);
    return CLI_EXIT_CODES.actionFailed;
  }
  if (error instanceof AmiError) {
    await output.err(`${where}: ${oneLine(error.message)}\n`);
    return CLI_EXIT_CODES.connection;
  }
  const message = error instanceof Error ? error.message : String(error);
  await output.err(`${where}: Internal error: ${oneLine(message)}\n`);
  return CLI_EXIT_CODES.internal;
}

/**
 * Waits for `work`, unless `signal` aborts first: then calls `onAbandon`
 * and rejects with {@linkcode CliInterrupted}.
 */
function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  onAbandon: () => void,
): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      settled = true;
      onAbandon();
      reject(new CliInterrupted());
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        if (settled) return;
        settled = true;
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        if (!settled) reject(error);
      },
    );
  });
}
