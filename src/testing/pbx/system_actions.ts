/**
 * What the simulated PBX answers about itself: `CoreStatus`, and the CLI
 * commands `core show uptime` and `core show version`.
 *
 * @module
 */

import type { AmiTestFields } from "../replies.ts";
import type { PbxCore } from "./core.ts";

/** The version `core show version` reports. */
export const SIMULATED_VERSION = "Asterisk 23.0.0 (simulated by @x/ami/testing)";

/** `CoreStatus`: the start and reload times (UTC) and the calls. */
export function coreStatusAction(pbx: PbxCore): AmiTestFields {
  const [date, time] = new Date(pbx.startedAt).toISOString().slice(0, 19).split("T") as [
    string,
    string,
  ];
  return {
    CoreStartupDate: date,
    CoreStartupTime: time,
    CoreReloadDate: date,
    CoreReloadTime: time,
    CoreCurrentCalls: pbx.calls.size,
    CoreProcessedCalls: pbx.callsProcessed,
  };
}

/** A duration as the CLI writes it: `1 hour, 2 minutes, 3 seconds`. */
export function spokenDuration(ms: number): string {
  let rest = Math.floor(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [["day", 86_400], ["hour", 3_600], ["minute", 60]] as const) {
    const count = Math.floor(rest / size);
    rest %= size;
    if (count > 0) parts.push(`${count} ${unit}${count === 1 ? "" : "s"}`);
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(", ");
}

/** `core show uptime`. */
export function showUptime(pbx: PbxCore): string {
  const uptime = spokenDuration(Math.max(0, Date.now() - pbx.startedAt));
  return `System uptime: ${uptime}\nLast reload: ${uptime}\n`;
}

/** `core show version`. */
export function showVersion(): string {
  return `${SIMULATED_VERSION}\n`;
}
