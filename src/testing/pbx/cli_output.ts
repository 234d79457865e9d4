/**
 * The text of the CLI commands the simulated PBX answers through `Command`:
 * `core show channels` (plain and `concise`).
 *
 * @module
 */

import type { PbxCore } from "./core.ts";

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** `core show channels`: a padded table, then the counts. */
export function showChannels(pbx: PbxCore): string {
  const row = (channel: string, location: string, state: string, app: string) =>
    channel.padEnd(64) + " " + location.padEnd(32) + " " + state.padEnd(7) + " " +
    app.padEnd(30) + "\n";
  let text = row("Channel", "Location", "State", "Application(Data)");
  for (const channel of pbx.channels) {
    const location = channel.application === "AppDial" || channel.exten === ""
      ? "(None)"
      : `${channel.exten}@${channel.context}:${channel.priority}`;
    const app = `${channel.application}(${channel.applicationData})`;
    text += row(channel.name, location, channel.stateDesc, app);
  }
  text += plural(pbx.channels.length, "active channel") + "\n";
  text += plural(pbx.calls.size, "active call") + "\n";
  text += plural(pbx.callsProcessed, "call") + " processed\n";
  return text;
}

/** `core show channels concise`: one `!`-separated line per channel. */
export function showChannelsConcise(pbx: PbxCore): string {
  const now = Date.now();
  return pbx.channels.map((c) =>
    [
      c.name,
      c.context,
      c.exten,
      c.priority,
      c.stateDesc,
      c.application,
      c.applicationData,
      c.callerIdNum,
      c.accountCode,
      "",
      "3",
      c.seconds(now),
      c.bridge?.uniqueid ?? "",
      c.uniqueid,
    ].join("!") + "\n"
  ).join("");
}
