// deno-lint-ignore-file no-console -- a benchmark harness reports on stdout
/**
 * A/B of two checkouts of @x/ami on the event stream: runs this checkout's
 * and another's `ami_events.ts` driver (one field, every field, the realistic
 * consumer) in
 * turn against one local server, and prints the median time of each. The
 * runs alternate, so a shared machine's noise falls on both alike.
 *
 * Run with `deno task bench:compare <other checkout> [--rounds=5] [--events=200000]`,
 * for instance against `git worktree add /tmp/base <commit>`.
 *
 * @module
 */

import { BenchServer } from "./server.ts";
import { spawnDriver, type StreamResult } from "./measure.ts";

const other = Deno.args.find((arg) => !arg.startsWith("--"));
if (other === undefined) {
  console.error("usage: deno task bench:compare <other checkout> [--rounds=5] [--events=200000]");
  Deno.exit(2);
}
const rounds = option("rounds", 5);
const FIELDS = [
  ["one", "one field"],
  ["all", "every field"],
  ["consumer", "realistic consumer"],
] as const;
const events = option("events", 200_000);
const here = new URL("../..", import.meta.url).pathname;
const checkouts = [["this checkout", here], [other, other]] as const;

await using server = new BenchServer();
server.plan = { events };
const times = new Map<string, number[]>();
const lost: string[] = [];
for (let round = 0; round < rounds; round++) {
  for (const [name, dir] of checkouts) {
    for (const [fields, label] of FIELDS) {
      const result = await drive(dir, fields);
      // A driver from before the realistic consumer reads one field instead: leave it out.
      if (fields === "consumer" && result.checks === undefined) continue;
      const key = `${name}, ${label}`;
      if (result.events !== events) lost.push(`${key} lost ${events - result.events} of ${events}`);
      times.set(key, [...times.get(key) ?? [], result.ms]);
    }
  }
}
console.log(`# ${events.toLocaleString("en")} events, median of ${rounds} alternating rounds\n`);
for (const [key, list] of times) {
  const sorted = list.toSorted((a, b) => a - b);
  console.log(
    `${key}: ${sorted[sorted.length >> 1]!.toFixed(0)} ms (runs: ${
      list.map((ms) => ms.toFixed(0)).join(", ")
    })`,
  );
}

if (lost.length > 0) {
  console.log(lost.map((line) => `FAIL: ${line} events in a run`).join("\n"));
  Deno.exit(1);
}

function drive(dir: string, fields: string): Promise<StreamResult> {
  return spawnDriver(`${dir}/bench/e2e/drivers/ami_events.ts`, server.port, [
    `--events=${events}`,
    `--fields=${fields}`,
  ]) as Promise<StreamResult>;
}

function option(name: string, fallback: number): number {
  const given = Deno.args.find((arg) => arg.startsWith(`--${name}=`));
  return given === undefined ? fallback : Number(given.slice(name.length + 3));
}
