// deno-lint-ignore-file no-console -- a command-line program reports on the console
/**
 * `deno task pbx`: the simulated PBX of `@x/ami/testing` as a standalone AMI
 * server on 127.0.0.1, with calls, queue callers and agents in motion until
 * Ctrl-C. It answers what the CLI, the examples and the README use
 * (`core show uptime`, `core show channels`, `CoreShowChannels`,
 * `PJSIPShowEndpoints`, `QueueStatus`, `Getvar`, `Originate`, …).
 *
 * Usage: deno task pbx [--port 5038] [--user admin] [--secret amp111]
 *          [--calls-per-minute 12] [--queue-share 0.5] [--agents 4]
 *          [--talk-seconds 20] [--pauses-per-minute 2]
 *
 * @module
 */

import { callCentreOptions, SimulatedPbx, SimulatedTraffic } from "../testing.ts";

/** The settings, from the command line. */
export interface PbxSettings {
  port: number;
  user: string;
  secret: string;
  callsPerMinute: number;
  queueShare: number;
  agents: number;
  talkSeconds: number;
  pausesPerMinute: number;
}

const DEFAULTS: PbxSettings = {
  port: 5038,
  user: "admin",
  secret: "amp111",
  callsPerMinute: 12,
  queueShare: 0.5,
  agents: 4,
  talkSeconds: 20,
  pausesPerMinute: 2,
};

const USAGE = `Usage: deno task pbx [options]

Starts a simulated Asterisk (AMI only) on 127.0.0.1 with calls, queues and agents in motion.

  --port N               TCP port; 0 picks a free one (default ${DEFAULTS.port})
  --user NAME            AMI user (default ${DEFAULTS.user})
  --secret SECRET        its secret (default ${DEFAULTS.secret})
  --calls-per-minute N   new calls a minute, on average (default ${DEFAULTS.callsPerMinute}; 0 for none)
  --queue-share F        share of calls that go into a queue, 0 to 1 (default ${DEFAULTS.queueShare})
  --agents N             agents in the queues support and sales (default ${DEFAULTS.agents})
  --talk-seconds N       how long answered calls last, on average (default ${DEFAULTS.talkSeconds})
  --pauses-per-minute N  agent pauses a minute (default ${DEFAULTS.pausesPerMinute})
  --help                 this text
`;

const NUMERIC: Record<string, keyof PbxSettings> = {
  "--port": "port",
  "--calls-per-minute": "callsPerMinute",
  "--queue-share": "queueShare",
  "--agents": "agents",
  "--talk-seconds": "talkSeconds",
  "--pauses-per-minute": "pausesPerMinute",
};

/** Reads the command line; throws a one-line error on a bad flag or value. */
export function parsePbxArgs(args: readonly string[]): PbxSettings | "help" {
  const settings = { ...DEFAULTS };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === "--help" || flag === "-h") return "help";
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--user") settings.user = value;
    else if (flag === "--secret") settings.secret = value;
    else if (flag in NUMERIC) {
      const number = Number(value);
      if (value.trim() === "" || !Number.isFinite(number) || number < 0) {
        throw new Error(`${flag} takes a number of 0 or more, not "${value}"`);
      }
      (settings[NUMERIC[flag]!] as number) = number;
    } else {
      throw new Error(`Unknown option "${flag}"; see --help`);
    }
  }
  if (settings.queueShare > 1) throw new Error(`--queue-share is a share from 0 to 1`);
  if (!Number.isInteger(settings.port) || settings.port > 65535) {
    throw new Error(`--port takes a port number, not "${settings.port}"`);
  }
  return settings;
}

/** Starts the PBX and its traffic; resolves when stopped by a signal. */
async function main(): Promise<number> {
  let settings: PbxSettings | "help";
  try {
    settings = parsePbxArgs(Deno.args);
  } catch (error) {
    console.error(`pbx: ${(error as Error).message}`);
    return 2;
  }
  if (settings === "help") {
    console.log(USAGE);
    return 0;
  }
  const base = callCentreOptions(Math.max(1, Math.floor(settings.agents)));
  const talkMs = settings.talkSeconds * 1000;
  await using pbx = new SimulatedPbx({
    ...base,
    users: { [settings.user]: settings.secret },
    authFailureDelayMs: 1000,
    callDurationMs: () => talkMs * (0.5 + Math.random()),
  });
  try {
    await pbx.server.serve({ hostname: "127.0.0.1", port: settings.port });
  } catch (error) {
    console.error(`pbx: cannot listen on 127.0.0.1:${settings.port}: ${(error as Error).message}`);
    return 1;
  }
  const agents = Object.values(base.queues ?? {}).flatMap((q) =>
    (q.members ?? []).map((m) => typeof m === "string" ? m : m.interface)
  );
  await using _traffic = new SimulatedTraffic(pbx, {
    callsPerMinute: settings.callsPerMinute,
    queueShare: settings.queueShare,
    agents: [...new Set(agents)],
    pausesPerMinute: settings.pausesPerMinute,
  });
  console.log(`Simulated PBX listening on 127.0.0.1:${pbx.server.port}`);
  console.log(`  user ${settings.user}, secret ${settings.secret}`);
  console.log(`  AMI_URL=${pbx.server.url}`);
  console.log(
    `Traffic: about ${settings.callsPerMinute} calls a minute (${
      Math.round(settings.queueShare * 100)
    }% into the queues support and sales), about ${settings.talkSeconds} s each, ${settings.agents} agents.`,
  );
  console.log("Press Ctrl-C to stop.");
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, resolve);
  });
  console.log("Stopping.");
  return 0;
}

if (import.meta.main) Deno.exit(await main());
