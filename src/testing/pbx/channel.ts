/**
 * The channels of the simulated PBX and the way Asterisk describes a channel
 * in events: the snapshot fields every channel event carries, with or
 * without a prefix (`Dest`, `LocalOne`, …).
 *
 * @module
 */

/** Channel states, as numbers on the wire. */
export const DOWN = 0;
export const RING = 4;
export const RINGING = 5;
export const UP = 6;
export const BUSY = 7;

const STATE_NAMES: Record<number, string> = {
  0: "Down",
  1: "Rsrvd",
  2: "OffHook",
  3: "Dialing",
  4: "Ring",
  5: "Ringing",
  6: "Up",
  7: "Busy",
};

/** The text of a hangup cause, as in `Cause-txt`. */
export function causeText(cause: number): string {
  switch (cause) {
    case 16:
      return "Normal Clearing";
    case 17:
      return "User busy";
    case 19:
      return "User alerting, no answer";
    case 21:
      return "Call Rejected";
    case 34:
      return "Circuit/channel congestion";
    default:
      return "Unknown";
  }
}

/** A bridge joining channels. */
export interface Bridge {
  readonly uniqueid: string;
  readonly members: Channel[];
}

/** One channel of the simulated PBX. */
export class Channel {
  readonly name: string;
  readonly uniqueid: string;
  readonly linkedid: string;
  /** `Tech/resource`: the device whose state changes with the channel. */
  readonly device: string;
  readonly createdAt: number;
  state = DOWN;
  callerIdNum = "";
  callerIdName = "";
  connectedNum = "";
  connectedName = "";
  accountCode = "";
  context: string;
  exten: string;
  priority = 1;
  application = "";
  applicationData = "";
  answeredAt: number | undefined;
  bridge: Bridge | undefined;
  hungUp = false;
  readonly variables = new Map<string, string>();

  constructor(
    fields: {
      name: string;
      uniqueid: string;
      linkedid: string;
      device: string;
      context: string;
      exten: string;
      state: number;
    },
  ) {
    this.name = fields.name;
    this.uniqueid = fields.uniqueid;
    this.linkedid = fields.linkedid;
    this.device = fields.device;
    this.context = fields.context;
    this.exten = fields.exten;
    this.state = fields.state;
    this.createdAt = Date.now();
  }

  get stateDesc(): string {
    return STATE_NAMES[this.state] ?? "Unknown";
  }

  /** `"name" <num>`, as CDRs and `CALLERID(all)` write it. */
  get callerIdAll(): string {
    return `"${this.callerIdName}" <${this.callerIdNum}>`;
  }

  /**
   * The snapshot fields every channel event carries, each key prefixed.
   * `channelVariables` are the `channelvars` of manager.conf.
   */
  snapshot(prefix: string, channelVariables: readonly string[]): [string, string][] {
    const fields: [string, string][] = [
      [prefix + "Channel", this.name],
      [prefix + "ChannelState", String(this.state)],
      [prefix + "ChannelStateDesc", this.stateDesc],
      [prefix + "CallerIDNum", this.callerIdNum || "<unknown>"],
      [prefix + "CallerIDName", this.callerIdName || "<unknown>"],
      [prefix + "ConnectedLineNum", this.connectedNum || "<unknown>"],
      [prefix + "ConnectedLineName", this.connectedName || "<unknown>"],
      [prefix + "Language", "en"],
      [prefix + "AccountCode", this.accountCode],
      [prefix + "Context", this.context],
      [prefix + "Exten", this.exten],
      [prefix + "Priority", String(this.priority)],
      [prefix + "Uniqueid", this.uniqueid],
      [prefix + "Linkedid", this.linkedid],
    ];
    for (const name of channelVariables) {
      fields.push([prefix + "ChanVariable", `${name}=${this.variables.get(name) ?? ""}`]);
    }
    return fields;
  }

  /** Seconds since the channel was created. */
  seconds(now: number = Date.now()): number {
    return Math.floor((now - this.createdAt) / 1000);
  }

  /** `HH:MM:SS` since the channel was created, as `CoreShowChannel` writes it. */
  duration(now: number = Date.now()): string {
    const total = this.seconds(now);
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${
      pad(total % 60)
    }`;
  }
}

/** The fields of a bridge in `Bridge*` events. */
export function bridgeFields(bridge: Bridge): [string, string][] {
  return [
    ["BridgeUniqueid", bridge.uniqueid],
    ["BridgeType", "basic"],
    ["BridgeTechnology", "simple_bridge"],
    ["BridgeCreator", "<unknown>"],
    ["BridgeName", "<unknown>"],
    ["BridgeNumChannels", String(bridge.members.length)],
    ["BridgeVideoSourceMode", "none"],
  ];
}

/** A time as CDRs write it: `YYYY-MM-DD HH:MM:SS`, UTC; empty for `undefined`. */
export function cdrTime(time: number | undefined): string {
  if (time === undefined) return "";
  return new Date(time).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * Splits a CallerID header (`"Alice" <100>`, `Alice <100>`, `<100>` or
 * `100`) into name and number.
 */
export function parseCallerId(text: string): { name: string; num: string } {
  const match = /^\s*(?:"([^"]*)"|([^<]*?))\s*<([^>]*)>\s*$/.exec(text);
  if (match !== null) return { name: match[1] ?? match[2] ?? "", num: match[3] ?? "" };
  const trimmed = text.trim();
  return /^[\d*#+]+$/.test(trimmed) ? { name: "", num: trimmed } : { name: trimmed, num: "" };
}
