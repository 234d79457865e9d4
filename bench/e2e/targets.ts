/**
 * The targets of the performance issue, checked against one run: each is a
 * line saying whether it was met and what was measured.
 *
 * @module
 */

import type { PingResult } from "./measure.ts";
import {
  type Outcome,
  pingRate,
  pingResult,
  ratio,
  streamRate,
  thousands,
  totalLoss,
  verdict,
} from "./report.ts";

/**
 * The event stream targets, from the `main` stream table (large writes when
 * they ran); losses count over `all` stream tables.
 */
export function streamTargets(main: Outcome[], all: Outcome[]): string[] {
  const raw = streamRate(main, main[0]!.driver.label);
  const consumer = streamRate(main, "@x/ami, realistic consumer") / raw;
  const one = streamRate(main, "@x/ami, one field") / raw;
  const peers = main.filter((outcome) => outcome.driver.kind === "peer")
    .map((outcome) => streamRate(main, outcome.driver.label) / raw)
    .filter(Number.isFinite);
  const lost = all.filter((outcome) => outcome.driver.kind !== "peer")
    .reduce((sum, outcome) => sum + totalLoss(outcome), 0);
  const lines = [
    verdict("realistic consumer ≥ 0.25× raw", consumer >= 0.25, ratio(consumer)),
    verdict("one field per event ≥ 0.3× raw", one >= 0.3, ratio(one)),
    verdict(
      "zero events lost by @x/ami and the references, in every run",
      lost === 0,
      `${thousands(lost)} lost`,
    ),
  ];
  if (peers.length > 0) {
    const over = consumer / Math.max(...peers);
    lines.push(verdict("realistic consumer ≥ 10× the fastest npm peer", over >= 10, ratio(over)));
  }
  return lines;
}

/** The ping targets: one in flight against the raw socket and the peers, 100 against the minimal client. */
export function pingTargets(outcomes: Outcome[]): string[] {
  const lines: string[] = [];
  const ours = pingResult(outcomes, "@x/ami", 1);
  const raw = pingResult(outcomes, "raw socket", 1);
  if (ours !== undefined && raw !== undefined) {
    lines.push(
      verdict(
        "pings, 1 in flight ≥ 0.95× raw",
        pingRate(ours) / pingRate(raw) >= 0.95,
        ratio(pingRate(ours) / pingRate(raw)),
      ),
    );
    const peers = outcomes.filter((outcome) => outcome.driver.kind === "peer")
      .map((outcome) => outcome.median as PingResult | undefined)
      .filter((result) => result !== undefined);
    if (peers.length > 0) {
      const ahead = (pick: (result: PingResult) => number) =>
        peers.filter((peer) => pick(peer) < pick(ours)).length;
      const [time, p50, p99] = [
        ahead((r) => -pingRate(r)),
        ahead((r) => r.p50),
        ahead((r) => r.p99),
      ];
      lines.push(verdict(
        "pings, 1 in flight: ahead of every npm peer on throughput, p50 and p99",
        time + p50 + p99 === 0,
        `peers ahead: ${time} on throughput, ${p50} on p50, ${p99} on p99`,
      ));
    }
  }
  const ours100 = pingResult(outcomes, "@x/ami", 100);
  const minimal = pingResult(outcomes, "minimal promise-per-action client", 100);
  if (ours100 !== undefined && minimal !== undefined) {
    const rate = pingRate(ours100) / pingRate(minimal);
    const tail = ours100.p99 / minimal.p99;
    lines.push(
      verdict("pings, 100 in flight ≥ 0.9× the minimal client", rate >= 0.9, ratio(rate)),
      verdict("pings, 100 in flight: p99 ≤ 1.2× the minimal client's", tail <= 1.2, ratio(tail)),
    );
  }
  return lines;
}
