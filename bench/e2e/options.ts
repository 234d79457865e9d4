/**
 * The command line of `deno task bench:e2e`, and its usage text.
 *
 * @module
 */

import type { Chunking } from "./server.ts";

/** The usage text `--help` prints. */
export const USAGE = `Usage: deno task bench:e2e [options]

Runs every client in a process of its own against a local AMI server and
prints Markdown tables; the same results go to bench/results/e2e-<time>.json.
Exits non-zero when @x/ami or a reference row loses an event or fails.

Options (defaults in brackets):
  --events=N        events per stream run [200000]
  --peer-events=N   events per stream run for the npm peers, at most --events [50000]
  --pings=K         measured pings per ping run, after K/10 (at most 2000) to warm up [20000]
  --ping-seconds=S  a client still pinging after S s sends no more; its row says how many [20]
  --flood=N         events for the memory runs [1000000]
  --rounds=R        runs of each stream and ping driver, round-robin; the median is shown [3]
                    (--runs=R is the same)
  --only=LIST       sections among stream,pings,flood [all three]
  --chunks=LIST     server writes for the stream: large (512 events a write),
                    small (one event a write, cut again inside UTF-8 and CRLFCRLF) [large,small]
  --peers=LIST      npm peers to run: all, none, or names such as yana,nami [all]
  --cpu-prof=DIR    write a V8 CPU profile of every driver run into DIR
  --help            print this text

Quick check:  deno task bench:e2e --events=50000 --pings=5000 --flood=200000 --rounds=1
Full run:     deno task bench:e2e`;

/** What the command line asked for. */
export interface Options {
  events: number;
  peerEvents: number;
  pings: number;
  pingSeconds: number;
  flood: number;
  rounds: number;
  only: Set<string>;
  chunks: Chunking[];
  /** Peer names to run, or `"all"`. */
  peers: Set<string> | "all";
  cpuProf: string;
  help: boolean;
}

/** Reads the options from `args`; throws with a clear message on a bad one. */
export function parseOptions(args: string[]): Options {
  const known = [
    "events",
    "pings",
    "ping-seconds",
    "peer-events",
    "flood",
    "rounds",
    "runs",
    "only",
    "chunks",
    "peers",
    "cpu-prof",
  ];
  for (const arg of args) {
    const name = /^--([a-z-]+)(=|$)/.exec(arg)?.[1];
    if (arg === "--help" || arg === "-h" || (name !== undefined && known.includes(name))) continue;
    throw new Error(`unknown option "${arg}" (see --help)`);
  }
  const value = (name: string, fallback: string): string =>
    args.findLast((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
  const count = (name: string, fallback: number): number => {
    const parsed = Number(value(name, String(fallback)));
    if (!Number.isInteger(parsed) || parsed < 1) {
      throw new Error(`--${name} must be a whole number of at least 1`);
    }
    return parsed;
  };
  const list = (name: string, fallback: string, allowed: string[]): string[] => {
    const items = value(name, fallback).split(",").filter((item) => item !== "");
    const wrong = items.find((item) => !allowed.includes(item));
    if (wrong !== undefined) {
      throw new Error(`--${name} takes ${allowed.join(", ")}, not "${wrong}"`);
    }
    return items;
  };
  const peers = value("peers", "all");
  return {
    events: count("events", 200_000),
    peerEvents: count("peer-events", 50_000),
    pings: count("pings", 20_000),
    pingSeconds: count("ping-seconds", 20),
    flood: count("flood", 1_000_000),
    rounds: count("rounds", count("runs", 3)),
    only: new Set(list("only", "stream,pings,flood", ["stream", "pings", "flood"])),
    chunks: list("chunks", "large,small", ["large", "small"]) as Chunking[],
    peers: peers === "all" ? "all" : new Set(peers === "none" ? [] : peers.split(",")),
    cpuProf: value("cpu-prof", ""),
    help: args.includes("--help") || args.includes("-h"),
  };
}
