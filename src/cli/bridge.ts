/**
 * `ami bridge`: runs the NATS JetStream bridge as a daemon for a set of
 * PBXs, prints a health line per PBX, and stops cleanly on SIGTERM or
 * Ctrl-C, publishing what waits within a bound.
 *
 * The NATS client is loaded only when this command runs, so that the other
 * commands never resolve it.
 *
 * @module
 */

import type { AmiConnectOptions } from "../client/options.ts";
import { parseAmiUrl } from "../client/options.ts";
import { AmiPool } from "../pool/pool.ts";
import { checkPbxName } from "../pool/names.ts";
import { CliUsageError } from "./args.ts";
import type { AmiNatsBridge } from "../nats/bridge.ts";
import type { Output } from "./output.ts";

/** The exit codes of `ami bridge` that the other commands do not have. */
export const BRIDGE_EXIT_CODES = {
  /** Stopped, but entries were left in an outbox: NATS was away past the flush bound. */
  unflushed: 4,
} as const;

/** What `ami bridge` gets from `runCli`. */
export interface BridgeContext {
  readonly options: ReadonlyMap<string, string | boolean | readonly string[]>;
  readonly output: Output;
  /** Reads an environment variable; `undefined` when unset or not allowed. */
  readonly readEnv: (name: string) => string | undefined;
  /** Aborted by SIGTERM or Ctrl-C: the bridge then stops and flushes. */
  readonly signal: AbortSignal | undefined;
}

/** Reads the PBXs from `--pbx name=url` and `--pbx-file`, credentials from AMI_USER/AMI_SECRET. */
async function pbxTargets(context: BridgeContext): Promise<Record<string, AmiConnectOptions>> {
  const lines: string[] = [];
  const given = context.options.get("pbx");
  if (Array.isArray(given)) lines.push(...given);
  const file = context.options.get("pbx-file");
  if (typeof file === "string") {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (error) {
      throw new CliUsageError(`Cannot read --pbx-file "${file}": ${(error as Error).name}`);
    }
    for (const line of text.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed !== "" && !trimmed.startsWith("#")) lines.push(trimmed);
    }
  }
  if (lines.length === 0) throw new CliUsageError("Give at least one --pbx name=ami://host:port");
  const user = context.readEnv("AMI_USER");
  const secret = context.readEnv("AMI_SECRET");
  const targets: Record<string, AmiConnectOptions> = {};
  for (const line of lines) {
    const equals = line.indexOf("=");
    const name = equals < 0 ? "" : line.slice(0, equals);
    try {
      checkPbxName(name);
    } catch {
      throw new CliUsageError(
        `Not a PBX name: "${name || line.slice(0, 40)}" (give name=ami://host)`,
      );
    }
    if (Object.hasOwn(targets, name)) throw new CliUsageError(`PBX "${name}" is given twice`);
    targets[name] = targetOf(name, line.slice(equals + 1), user, secret);
  }
  return targets;
}

/** One PBX's connect options; the URL's own credentials win over AMI_USER/AMI_SECRET. */
function targetOf(
  name: string,
  url: string,
  user: string | undefined,
  secret: string | undefined,
): AmiConnectOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliUsageError(`PBX "${name}" has no valid ami:// URL`);
  }
  if (parsed.username === "" && user !== undefined) parsed.username = encodeURIComponent(user);
  if (parsed.password === "" && secret !== undefined) {
    parsed.password = encodeURIComponent(secret);
  }
  try {
    return parseAmiUrl(parsed);
  } catch {
    // The message could hold the URL: say what is wrong without it.
    throw new CliUsageError(
      `PBX "${name}" needs an ami:// or amis:// URL with a user and secret (or AMI_USER and AMI_SECRET)`,
    );
  }
}

/** A number option, or its default. */
function numberOption(context: BridgeContext, name: string, fallback: number): number {
  const value = context.options.get(name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (typeof value !== "string" || !Number.isInteger(parsed) || parsed < 1) {
    throw new CliUsageError(`The --${name} option must be a whole number of at least 1`);
  }
  return parsed;
}

/** Where NATS is (host:port only, for messages) and how to log in to it. */
function natsSettings(context: BridgeContext) {
  const given = context.options.get("nats");
  const url = typeof given === "string" ? given : "nats://127.0.0.1:4222";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliUsageError("The --nats option must be a nats://host:port URL");
  }
  if (parsed.protocol !== "nats:" && parsed.protocol !== "tls:") {
    throw new CliUsageError("The --nats option must be a nats://host:port URL");
  }
  const server = `${parsed.hostname}:${parsed.port || "4222"}`;
  const user = decodeURIComponent(parsed.username) || context.readEnv("NATS_USER");
  const pass = decodeURIComponent(parsed.password) || context.readEnv("NATS_PASSWORD");
  const token = context.readEnv("NATS_TOKEN");
  return {
    server,
    options: {
      servers: server,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      name: "ami-bridge",
      ...(user === undefined || user === "" ? {} : { user }),
      ...(pass === undefined || pass === "" ? {} : { pass }),
      ...(token === undefined || token === "" ? {} : { token }),
    },
  };
}

/**
 * Runs the bridge until the signal aborts; resolves with the exit code.
 * Throws {@linkcode CliUsageError} for a wrong command line.
 */
export async function bridge(context: BridgeContext): Promise<number> {
  const pbxs = await pbxTargets(context);
  const nats = natsSettings(context);
  const outboxEvents = numberOption(context, "outbox", 10_000);
  const healthEvery = numberOption(context, "health-interval", 30_000);
  const flushTimeout = numberOption(context, "flush-timeout", 5_000);
  const streamOption = context.options.get("stream");
  const streamName = typeof streamOption === "string" ? streamOption : undefined;
  const { output, signal } = context;

  const { connect } = await import("../nats/deps.ts");
  const { AmiNatsBridge } = await import("../nats/bridge.ts");
  let connection;
  try {
    connection = await connect(nats.options);
  } catch (error) {
    await output.err(
      `ami bridge: Cannot reach NATS at ${nats.server}: ${(error as Error).message}\n`,
    );
    return 3;
  }
  await using pool = new AmiPool({ pbxs, defaults: { reconnect: true, keepalive: true } });
  let running;
  try {
    running = await AmiNatsBridge.start({
      pool,
      nats: connection,
      outbox: { maxEvents: outboxEvents },
      ...(streamName === undefined ? {} : { stream: { name: streamName } }),
    });
  } catch (error) {
    await connection.close();
    await output.err(`ami bridge: ${(error as Error).message.split("\n")[0]}\n`);
    return 3;
  }
  const health = healthPrinter(running, output);
  await output.out(`ami bridge: ${Object.keys(pbxs).length} PBXs to NATS at ${nats.server}\n`);
  await health();
  const timer = setInterval(() => void health(), healthEvery);
  const following = (async () => {
    for await (const change of pool.stateChanges({ ...(signal ? { signal } : {}) })) {
      await health(change.pbx);
    }
  })();
  try {
    await untilStopped(signal);
  } finally {
    clearInterval(timer);
  }
  const { unflushed } = await running.close({ flushTimeout });
  await pool.close();
  await following;
  await connection.drain().catch(() => connection.close());
  await health();
  return await reportStop(unflushed, output);
}

/** The bridge's running side, as the health line reads it. */
type BridgeHealth = Pick<AmiNatsBridge, "stats" | "natsConnected">;

/** Prints the health line of every PBX, or of the one named. */
function healthPrinter(running: BridgeHealth, output: Output): (only?: string) => Promise<void> {
  return (only?: string) => {
    const natsState = running.natsConnected ? "up" : "down";
    let text = "";
    for (const [pbx, s] of Object.entries(running.stats)) {
      if (only !== undefined && pbx !== only) continue;
      text += `pbx=${pbx} ami=${s.state} nats=${natsState} published=${s.published} ` +
        `pending=${s.pending} lost=${s.lost} gaps=${s.gaps} retries=${s.retries}\n`;
    }
    return output.out(text);
  };
}

/** Resolves once SIGTERM or Ctrl-C aborts `signal` (at once when it has); never without one. */
async function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  if (signal !== undefined && !signal.aborted) {
    await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  }
}

/** Says how the bridge stopped and picks the exit code. */
async function reportStop(unflushed: number, output: Output): Promise<number> {
  if (unflushed > 0) {
    await output.err(
      `ami bridge: Stopped with ${unflushed} messages not published (NATS away past --flush-timeout)\n`,
    );
    return BRIDGE_EXIT_CODES.unflushed;
  }
  await output.out("ami bridge: Stopped, everything published\n");
  return 0;
}

/** The help text of `ami bridge`. */
export const BRIDGE_HELP =
  `ami bridge: publish the events of many PBXs to NATS JetStream, serve actions over NATS

Usage:
  ami bridge --nats nats://host:4222 --pbx <name>=ami://host:5038 [--pbx …] [options]

Every event of every PBX goes to the JetStream stream AMI (created when missing)
on ami.<name>.evt.<Event>; losses are published on ami.<name>.gap; actions are
answered on ami.<name>.action.<Action> (JSON in, JSON out; NATS permissions decide
who may send which). A health line per PBX is printed at start, on every change of
a PBX's state, and every --health-interval ms. SIGTERM or Ctrl-C stops it: what
waits is published within --flush-timeout ms. A PBX that is down or refuses the
login is retried; it never stops the others.

Credentials (never printed):
  AMI_USER, AMI_SECRET     for --pbx URLs without user and secret
  --pbx-file <file>        lines of name=ami://user:secret@host:port (# comments),
                           so that secrets stay off the command line
  NATS_USER, NATS_PASSWORD, NATS_TOKEN   to log in to NATS

Options:
  --nats <url>             the NATS server; default nats://127.0.0.1:4222
  --pbx <name>=<url>       a PBX: name of 1-64 letters, digits, _ or -; repeat for more
  --pbx-file <file>        more PBXs, one per line
  --stream <name>          the JetStream stream; default AMI
  --outbox <n>             events per PBX that may wait for NATS; default 10000
  --health-interval <ms>   default 30000
  --flush-timeout <ms>     default 5000

Example:
  export AMI_USER=bridge AMI_SECRET=s3cret
  ami bridge --nats nats://127.0.0.1:4222 --pbx a=ami://10.0.0.1 --pbx b=ami://10.0.0.2
  (least privilege: deno run --allow-net --allow-env --allow-read=<pbx-file> jsr:@x/ami/cli bridge …)

Exit codes:
  0    stopped by SIGTERM or Ctrl-C, everything published
  2    usage error
  3    NATS unreachable or refused the login, or the stream does not fit
  4    stopped, but messages were left unpublished (NATS away past --flush-timeout)
  70   internal error (a bug: please report it)`;
