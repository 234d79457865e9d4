/**
 * {@linkcode SimulatedPbx}: a pretend Asterisk on top of
 * {@linkcode AmiTestServer}. Originating a call raises the events a real
 * Asterisk raises, in the same order and with the same fields, and the
 * channel actions answer consistently with the calls that are up.
 *
 * @module
 */

import { sleep } from "../_util/sleep.ts";
import { AmiMessage } from "../wire/message.ts";
import { type AmiTestFields, eventList } from "./replies.ts";
import { AmiTestServer, type AmiTestServerOptions, timestamp } from "./server.ts";
import {
  type Bridge,
  bridgeFields,
  BUSY,
  causeText,
  cdrTime,
  Channel,
  DOWN,
  parseCallerId,
  RING,
  RINGING,
  UP,
} from "./pbx_channel.ts";

/**
 * What happens when the simulated PBX dials a channel: it answers, is busy,
 * rings until the timeout, or is congested.
 *
 * @example
 * ```ts
 * import type { SimulatedOutcome } from "@x/ami/testing";
 * const outcome: SimulatedOutcome = "busy";
 * console.assert(outcome === "busy");
 * ```
 */
export type SimulatedOutcome = "answer" | "busy" | "noanswer" | "congestion";

/**
 * The options of {@linkcode SimulatedPbx}: those of the server it runs, and
 * how its calls behave.
 *
 * @example
 * ```ts
 * import type { SimulatedPbxOptions } from "@x/ami/testing";
 * const options: SimulatedPbxOptions = {
 *   callDurationMs: 50,
 *   outcomes: { "PJSIP/busy": "busy" },
 *   channelVariables: ["CUSTOMER_ID"],
 * };
 * console.assert(options.callDurationMs === 50);
 * ```
 */
export interface SimulatedPbxOptions extends AmiTestServerOptions {
  /**
   * How long an answered call lasts before the far end hangs up, in
   * milliseconds; a function decides per `Originate`. `Infinity` keeps calls
   * up until a `Hangup`. Defaults to 1000.
   */
  callDurationMs?: number | ((originate: AmiMessage) => number);
  /** How long a dialled channel rings before it answers, in milliseconds. Defaults to 0. */
  ringMs?: number;
  /**
   * What each dial string (`PJSIP/100`, `Local/busy@default`) does; a dial
   * string not listed answers. A function decides per dial string.
   */
  outcomes?: Record<string, SimulatedOutcome> | ((dialString: string) => SimulatedOutcome);
  /**
   * Channel technologies that exist; others fail as unknown. Defaults to
   * `Local`, `PJSIP`, `SIP`, `IAX2` and `DAHDI`.
   */
  technologies?: readonly string[];
  /**
   * What an `Originate` to `Context`/`Exten` dials next, as a dial string;
   * `undefined` or `""` dials nothing and the call just stays up. Defaults to
   * `PJSIP/<exten>`.
   */
  dialplan?: (context: string, exten: string) => string | undefined;
  /**
   * Channel variables every channel event carries as `ChanVariable` lines
   * (`channelvars` in manager.conf). Defaults to none.
   */
  channelVariables?: readonly string[];
  /**
   * The `SystemName` events carry and Uniqueids start with; defaults to none,
   * as Asterisk without `systemname`.
   */
  systemName?: string;
  /** Whether events carry `Timestamp` (`timestampevents`); defaults to `true`. */
  timestamps?: boolean;
}

/**
 * A channel of the simulated PBX as it is now.
 *
 * @example
 * ```ts
 * import { SimulatedPbx, type SimulatedChannelInfo } from "@x/ami/testing";
 * await using pbx = new SimulatedPbx();
 * const channels: readonly SimulatedChannelInfo[] = pbx.channels;
 * console.assert(channels.length === 0);
 * ```
 */
export interface SimulatedChannelInfo {
  /** The channel name, e.g. `PJSIP/100-00000000`. */
  readonly name: string;
  /** Its Uniqueid. */
  readonly uniqueid: string;
  /** The Uniqueid of the call's first channel. */
  readonly linkedid: string;
  /** The state, as a number (6 is up). */
  readonly state: number;
  /** The state's name (`Up`, `Ringing`, …). */
  readonly stateDesc: string;
  /** The bridge it is in, if any. */
  readonly bridgeId: string | undefined;
  /** What it is running now. */
  readonly application: string;
  /** The application's arguments. */
  readonly applicationData: string;
  /** Its channel variables. */
  readonly variables: Readonly<Record<string, string>>;
}

/**
 * How an originated call went: answered (`success`) or not, and why
 * (`reason`: 4 answered, 5 busy, 8 congestion, 3 no answer, 1 hung up,
 * 0 failed).
 *
 * @example
 * ```ts
 * import type { SimulatedOriginateResult } from "@x/ami/testing";
 * const result: SimulatedOriginateResult = {
 *   success: false,
 *   reason: 5,
 *   channel: undefined,
 *   uniqueid: undefined,
 * };
 * console.assert(!result.success);
 * ```
 */
export interface SimulatedOriginateResult {
  /** Whether the channel answered. */
  readonly success: boolean;
  /** The `Reason` of `OriginateResponse`. */
  readonly reason: number;
  /** The originated channel's name, when one was made. */
  readonly channel: string | undefined;
  /** Its Uniqueid, when one was made. */
  readonly uniqueid: string | undefined;
}

/** One side of a call: a channel, or the two halves of a Local channel. */
interface Leg {
  readonly outer: Channel;
  readonly inner: Channel | undefined;
  readonly dialString: string;
}

interface HangupRequest {
  readonly channel: Channel | undefined;
  readonly cause: number;
}

/** A call in progress. */
class Call {
  a: Leg | undefined;
  b: Leg | undefined;
  bridge: Bridge | undefined;
  readonly hangup = new AbortController();
  readonly result = Promise.withResolvers<SimulatedOriginateResult>();
  settled = false;

  constructor(readonly originate: AmiMessage, readonly async: boolean) {}

  get actionId(): string | undefined {
    const id = this.originate.get("ActionID")?.trimStart();
    return id === "" ? undefined : id;
  }

  settle(result: SimulatedOriginateResult): void {
    if (this.settled) return;
    this.settled = true;
    this.result.resolve(result);
  }

  /** Every channel the call has made, in creation order. */
  readonly created: Channel[] = [];
}

/** Why a flow stopped waiting: the PBX is closing. */
class Closing extends Error {}

/** A CDR to write when the call ends. */
interface CdrParty {
  readonly channel: Channel;
  readonly destination: Channel | undefined;
  readonly disposition: string;
  readonly lastApplication: string;
  readonly lastData: string;
}

const DEFAULT_TECHNOLOGIES = ["Local", "PJSIP", "SIP", "IAX2", "DAHDI"];

/**
 * A simulated Asterisk for tests and demos. It runs an
 * {@linkcode AmiTestServer} ({@linkcode SimulatedPbx.server}) and answers:
 *
 * - `Originate` (synchronous or `Async: true`): the channel is created and
 *   dialled, answers (or is busy, congested, or not answered, see
 *   {@linkcode SimulatedPbxOptions.outcomes}), runs the `Application` or
 *   dials what the `Context`/`Exten` leads to, is bridged, and hangs up after
 *   the call duration. Each step raises the events a real Asterisk raises, in
 *   its order: `Newchannel`, `VarSet`, `Newexten`, `LocalBridge`,
 *   `DialBegin`, `DialState`, `DialEnd`, `Newstate`, `OriginateResponse`
 *   (with the Originate's ActionID), `BridgeCreate`, `BridgeEnter`,
 *   `SoftHangupRequest`, `HangupRequest`, `BridgeLeave`, `Hangup`,
 *   `BridgeDestroy`, `Cdr`, `DeviceStateChange`.
 * - `Hangup`, `CoreShowChannels`, `Status`, `GetVar`, `Setvar` and the
 *   commands `core show channels` (plain and `concise`), consistent with the
 *   channels that are up.
 *
 * Channel names, Uniqueids and Linkedids are consistent across all of it.
 *
 * @example Originating a call and following it to the end
 * ```ts
 * import { SimulatedPbx } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * await using pbx = new SimulatedPbx({ callDurationMs: 20 });
 * const result = await pbx.originate({
 *   Channel: "PJSIP/100",
 *   Context: "default",
 *   Exten: "200",
 *   Priority: 1,
 * });
 * assert.equal(result.success, true);
 * assert.deepEqual(pbx.channels.map((c) => c.name), ["PJSIP/100-00000000", "PJSIP/200-00000001"]);
 * await pbx.waitForIdle();
 * assert.equal(pbx.channels.length, 0);
 * ```
 *
 * @example Serving it to a client over TCP
 * ```ts
 * import { SimulatedPbx } from "@x/ami/testing";
 *
 * await using pbx = new SimulatedPbx({ users: { admin: "amp111" } });
 * pbx.server.listen({ hostname: "127.0.0.1", port: 0 });
 * console.assert(pbx.server.url.startsWith("ami://admin:amp111@127.0.0.1:"));
 * ```
 */
export class SimulatedPbx implements AsyncDisposable {
  /** The AMI server the PBX answers on; listen or connect through it. */
  readonly server: AmiTestServer;

  readonly #options: SimulatedPbxOptions;
  readonly #technologies: ReadonlySet<string>;
  readonly #channelVariables: readonly string[];
  readonly #closing = new AbortController();
  readonly #signal: AbortSignal;
  readonly #channels: Channel[] = [];
  readonly #calls = new Set<Call>();
  readonly #globals = new Map<string, string>();
  #idleWaiters: (() => void)[] = [];
  #channelSequence = 0;
  #uniqueSequence = 0;
  #callsProcessed = 0;
  #closed: Promise<void> | undefined;

  /**
   * Creates the PBX and its server.
   *
   * @param options Server options and call behaviour.
   */
  constructor(options: SimulatedPbxOptions = {}) {
    this.#options = options;
    this.#technologies = new Set(
      (options.technologies ?? DEFAULT_TECHNOLOGIES).map((tech) => tech.toLowerCase()),
    );
    this.#channelVariables = options.channelVariables ?? [];
    this.server = new AmiTestServer(options);
    this.#signal = AbortSignal.any([this.#closing.signal, this.server.signal]);
    this.server
      .handle("Originate", (action) => this.#originateAction(action))
      .handle("Hangup", (action) => this.#hangupAction(action))
      .handle("CoreShowChannels", () => this.#coreShowChannels())
      .handle("Status", (action) => this.#status(action))
      .handle("GetVar", (action) => this.#getVar(action))
      .handle("Setvar", (action) => this.#setVar(action))
      .command("core show channels", () => this.#showChannels())
      .command("core show channels concise", () => this.#showChannelsConcise());
  }

  /**
   * The channels that exist now, in creation order.
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
   * await pbx.originate({ Channel: "PJSIP/100", Application: "Wait", Data: "10" });
   * console.assert(pbx.channels[0]!.stateDesc === "Up");
   * ```
   */
  get channels(): readonly SimulatedChannelInfo[] {
    return this.#channels.map((channel) => ({
      name: channel.name,
      uniqueid: channel.uniqueid,
      linkedid: channel.linkedid,
      state: channel.state,
      stateDesc: channel.stateDesc,
      bridgeId: channel.bridge?.uniqueid,
      application: channel.application,
      applicationData: channel.applicationData,
      variables: Object.fromEntries(channel.variables),
    }));
  }

  /**
   * How many calls are in progress (dialling, up or hanging up).
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * await using pbx = new SimulatedPbx();
   * console.assert(pbx.activeCalls === 0);
   * ```
   */
  get activeCalls(): number {
    return this.#calls.size;
  }

  /**
   * Originates a call as the `Originate` action with `Async: true` would,
   * without a client: the events go to every logged-in session.
   *
   * @param fields The Originate's fields: `Channel`, then `Context`/`Exten`/
   *   `Priority` or `Application`/`Data`, and optionally `CallerID`,
   *   `Variable`, `Account`, `Timeout`.
   * @returns Resolves once the channel answered or failed.
   * @throws {Error} with Asterisk's message when the fields are not a valid
   *   Originate.
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * await using pbx = new SimulatedPbx({ outcomes: { "PJSIP/100": "busy" } });
   * const result = await pbx.originate({ Channel: "PJSIP/100", Application: "Echo" });
   * console.assert(!result.success && result.reason === 5);
   * ```
   */
  originate(fields: AmiTestFields): Promise<SimulatedOriginateResult> {
    const pairs: [string, string][] = [["Action", "Originate"]];
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) { for (const item of value) pairs.push([key, String(item)]); }
      else pairs.push([key, String(value)]);
    }
    const call = this.#start(new AmiMessage(pairs), true);
    return call.result.promise;
  }

  /**
   * Hangs up a channel and, with it, its call, as the `Hangup` action does.
   *
   * @param channel The channel's name.
   * @param cause The hangup cause; defaults to 16 (normal clearing).
   * @returns Whether the channel existed.
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
   * const { channel } = await pbx.originate({ Channel: "PJSIP/100", Application: "Wait" });
   * console.assert(pbx.hangup(channel!));
   * await pbx.waitForIdle();
   * ```
   */
  hangup(channel: string, cause = 16): boolean {
    const target = this.#channels.find((c) => c.name === channel);
    if (target === undefined) return false;
    const call = [...this.#calls].find((c) => c.created.includes(target));
    if (call === undefined) return false;
    if (!call.hangup.signal.aborted) {
      call.hangup.abort({ channel: target, cause } satisfies HangupRequest);
    }
    return true;
  }

  /**
   * Resolves once no call is in progress.
   *
   * @returns Resolves when idle.
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * await using pbx = new SimulatedPbx({ callDurationMs: 5 });
   * await pbx.originate({ Channel: "PJSIP/100", Application: "Echo" });
   * await pbx.waitForIdle();
   * console.assert(pbx.activeCalls === 0);
   * ```
   */
  waitForIdle(): Promise<void> {
    if (this.#calls.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops every call (without raising more events) and closes the server.
   *
   * @returns Resolves once everything has stopped.
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * const pbx = new SimulatedPbx();
   * await pbx.close();
   * console.assert(pbx.server.signal.aborted);
   * ```
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#closing.abort(new Closing("the simulated PBX is closing"));
      await this.server.close();
      await this.waitForIdle();
    })();
    return this.#closed;
  }

  /**
   * Closes the PBX; see {@linkcode SimulatedPbx.close}.
   *
   * @returns Resolves once everything has stopped.
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * {
   *   await using pbx = new SimulatedPbx();
   * } // closed here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // --- Actions -------------------------------------------------------------

  async #originateAction(action: AmiMessage): Promise<AmiTestFields> {
    const async = isTrue(action.get("Async"));
    const call = this.#start(action, async);
    if (!async) {
      const result = await call.result.promise;
      if (!result.success) throw new Error("Originate failed");
    }
    return { Message: "Originate successfully queued" };
  }

  #hangupAction(action: AmiMessage): AmiTestFields {
    const name = action.get("Channel")?.trim() ?? "";
    if (name === "") throw new Error("No channel specified");
    const cause = Number.parseInt(action.get("Cause") ?? "", 10);
    const hangupCause = Number.isFinite(cause) && cause > 0 ? cause : 16;
    if (name.length > 2 && name.startsWith("/") && name.endsWith("/")) {
      const pattern = new RegExp(name.slice(1, -1));
      const names = this.#channels.filter((c) => pattern.test(c.name)).map((c) => c.name);
      let count = 0;
      for (const channel of names) if (this.hangup(channel, hangupCause)) count++;
      return { Message: `${count} channels hung up.` };
    }
    if (!this.hangup(name, hangupCause)) throw new Error("No such channel");
    return { Message: "Channel Hungup" };
  }

  #coreShowChannels() {
    const now = Date.now();
    const items = this.#channels.map((channel) =>
      new AmiMessage([
        ["Event", "CoreShowChannel"],
        ...channel.snapshot("", this.#channelVariables),
        ["Application", channel.application],
        ["ApplicationData", channel.applicationData],
        ["Duration", channel.duration(now)],
        ["BridgeId", channel.bridge?.uniqueid ?? ""],
      ])
    );
    return eventList(items, {
      message: "Channels will follow",
      completeEvent: "CoreShowChannelsComplete",
    });
  }

  #status(action: AmiMessage) {
    const name = action.get("Channel")?.trim() ?? "";
    let channels = this.#channels;
    if (name !== "") {
      const channel = this.#channels.find((c) => c.name === name);
      if (channel === undefined) throw new Error("No such channel");
      channels = [channel];
    }
    const wanted = (action.get("Variables") ?? "").split(",").map((v) => v.trim()).filter((v) =>
      v !== ""
    );
    const all = isTrue(action.get("AllVariables"));
    const now = Date.now();
    const items = channels.map((channel) => {
      const pairs: [string, string][] = [
        ["Event", "Status"],
        ["Privilege", "Call"],
        ...channel.snapshot("", this.#channelVariables),
        ["Type", channel.name.split("/")[0] ?? ""],
        ["DNID", ""],
        ["EffectiveConnectedLineNum", channel.connectedNum || "<unknown>"],
        ["EffectiveConnectedLineName", channel.connectedName || "<unknown>"],
        ["TimeToHangup", "0"],
        ["BridgeID", channel.bridge?.uniqueid ?? ""],
        ["Application", channel.application],
        ["Data", channel.applicationData],
        ["Nativeformats", "(ulaw)"],
        ["Readformat", "ulaw"],
        ["Readtrans", ""],
        ["Writeformat", "ulaw"],
        ["Writetrans", ""],
        ["Callgroup", "0"],
        ["Pickupgroup", "0"],
        ["Seconds", String(channel.seconds(now))],
      ];
      if (all) {
        for (const [key, value] of channel.variables) pairs.push(["Variable", `${key}=${value}`]);
      } else {
        for (const key of wanted) {
          pairs.push(["Variable", `${key}=${channel.variables.get(key) ?? "(null)"}`]);
        }
      }
      // The ActionID comes last in Status events.
      pairs.push(["ActionID", ""]);
      return new AmiMessage(pairs);
    });
    return eventList(
      items,
      {
        message: "Channel status will follow",
        completeEvent: "StatusComplete",
        completeFields: { Items: items.length },
      },
    );
  }

  #getVar(action: AmiMessage): AmiTestFields {
    const variable = action.get("Variable")?.trim() ?? "";
    if (variable === "") throw new Error("No variable specified");
    const channel = this.#channelNamed(action.get("Channel"));
    return { Variable: variable, Value: this.#evaluate(variable, channel) };
  }

  #setVar(action: AmiMessage): AmiTestFields {
    const variable = action.get("Variable")?.trim() ?? "";
    if (variable === "") throw new Error("No variable specified");
    const value = (action.get("Value") ?? "").trimStart();
    const channel = this.#channelNamed(action.get("Channel"));
    if (channel === undefined) {
      this.#globals.set(variable, value);
    } else {
      this.#setChannelVariable(channel, variable, value);
    }
    return { Message: "Variable Set" };
  }

  /** The channel a `Channel` header names; `undefined` when there is none; throws when unknown. */
  #channelNamed(header: string | undefined): Channel | undefined {
    const name = header?.trim() ?? "";
    if (name === "") return undefined;
    const channel = this.#channels.find((c) => c.name === name);
    if (channel === undefined) throw new Error("No such channel");
    return channel;
  }

  #evaluate(expression: string, channel: Channel | undefined): string {
    const call = /^([A-Z_]+)\((.*)\)$/i.exec(expression);
    if (call !== null) {
      const [, fn, argument] = call as unknown as [string, string, string];
      switch (fn.toUpperCase()) {
        case "LEN":
          return String([...argument].length);
        case "CHANNEL":
          if (channel === undefined) return "";
          switch (argument.toLowerCase()) {
            case "name":
              return channel.name;
            case "state":
              return channel.stateDesc;
            case "uniqueid":
              return channel.uniqueid;
            case "linkedid":
              return channel.linkedid;
            default:
              return "";
          }
        case "CALLERID":
          if (channel === undefined) return "";
          switch (argument.toLowerCase()) {
            case "all":
              return channel.callerIdAll;
            case "num":
              return channel.callerIdNum;
            case "name":
              return channel.callerIdName;
            default:
              return "";
          }
        default:
          return "";
      }
    }
    return channel?.variables.get(expression) ?? this.#globals.get(expression) ?? "";
  }

  #showChannels(): string {
    const pad = (text: string, width: number) => text.padEnd(width);
    let text = pad("Channel", 64) + " " + pad("Location", 32) + " " + pad("State", 7) + " " +
      pad("Application(Data)", 30) + "\n";
    for (const channel of this.#channels) {
      const location = channel.application === "AppDial" || channel.exten === ""
        ? "(None)"
        : `${channel.exten}@${channel.context}:${channel.priority}`;
      const app = `${channel.application}(${channel.applicationData})`;
      text += pad(channel.name, 64) + " " + pad(location, 32) + " " +
        pad(channel.stateDesc, 7) + " " + pad(app, 30) + "\n";
    }
    const count = this.#channels.length;
    text += `${count} active channel${count === 1 ? "" : "s"}\n`;
    const calls = this.#calls.size;
    text += `${calls} active call${calls === 1 ? "" : "s"}\n`;
    text += `${this.#callsProcessed} call${this.#callsProcessed === 1 ? "" : "s"} processed\n`;
    return text;
  }

  #showChannelsConcise(): string {
    const now = Date.now();
    return this.#channels.map((c) =>
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

  // --- Calls ---------------------------------------------------------------

  /** Checks an Originate as Asterisk does, then starts its call. Throws Asterisk's errors. */
  #start(originate: AmiMessage, async: boolean): Call {
    const channel = originate.get("Channel")?.trim() ?? "";
    if (channel === "") throw new Error("Channel not specified");
    const priority = originate.get("Priority")?.trim() ?? "";
    if (priority !== "" && !/^\d+$/.test(priority)) throw new Error("Invalid priority");
    const timeout = originate.get("Timeout")?.trim() ?? "";
    if (timeout !== "" && !/^\d+$/.test(timeout)) throw new Error("Invalid timeout");
    if (!channel.includes("/")) throw new Error("Invalid channel");
    const application = originate.get("Application")?.trim() ?? "";
    if (application === "") {
      const exten = originate.get("Exten")?.trim() ?? "";
      const context = originate.get("Context")?.trim() ?? "";
      if (exten === "" || context === "" || priority === "") {
        throw new Error("Originate with 'Exten' requires 'Context' and 'Priority'");
      }
    }
    const tech = channel.slice(0, channel.indexOf("/"));
    if (!this.#technologies.has(tech.toLowerCase()) && !async) {
      throw new Error("Originate failed");
    }
    if (this.#signal.aborted) throw new Error("the simulated PBX is closed");
    const call = new Call(originate, async);
    this.#calls.add(call);
    this.#callsProcessed++;
    // The flow starts after the response is queued, as Asterisk's originate thread does.
    void Promise.resolve().then(() => this.#run(call)).catch(() => {}).finally(() =>
      this.#end(call)
    );
    return call;
  }

  #end(call: Call): void {
    call.settle({ success: false, reason: 0, channel: undefined, uniqueid: undefined });
    for (const channel of call.created) this.#remove(channel);
    this.#calls.delete(call);
    if (this.#calls.size === 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  async #run(call: Call): Promise<void> {
    const originate = call.originate;
    const dialString = originate.get("Channel")!.trim();
    const tech = dialString.slice(0, dialString.indexOf("/"));
    const application = originate.get("Application")?.trim() ?? "";
    const data = originate.get("Data") ?? "";
    const context = originate.get("Context")?.trim() ?? "";
    const exten = originate.get("Exten")?.trim() ?? "";
    const priority = Number(originate.get("Priority")?.trim() || "1");
    const timeoutMs = Number(originate.get("Timeout")?.trim() || "30000");
    if (!this.#technologies.has(tech.toLowerCase())) {
      this.#originateResponse(call, dialString, undefined, 0);
      return;
    }

    // Dial the originated channel.
    const a = this.#createLeg(call, dialString, undefined, context || "default", exten || "s");
    call.a = a;
    const caller = a.outer;
    this.#newexten(caller, "AppDial2", "(Outgoing Line)");
    const variables = originate.getAll("Variable").flatMap((v) => v.split(",")).map((v) => {
      const equals = v.indexOf("=");
      return equals < 0
        ? [v.trim(), ""] as const
        : [v.slice(0, equals).trim(), v.slice(equals + 1)] as const;
    }).filter(([name]) => name !== "");
    const account = originate.get("Account")?.trim() ?? "";
    const callerId = originate.get("CallerID");
    const { name: cidName, num: cidNum } = parseCallerId(callerId ?? "");
    for (const [name, value] of [...variables].reverse()) {
      this.#setChannelVariable(caller, name, value);
    }
    this.#applyIdentity(caller, account, callerId !== undefined ? { cidName, cidNum } : undefined);
    if (a.inner !== undefined) {
      for (const [name, value] of variables) this.#setChannelVariable(a.inner, name, value);
      if (callerId !== undefined) {
        a.inner.callerIdNum = a.inner.connectedNum = cidNum;
        a.inner.callerIdName = a.inner.connectedName = cidName;
        this.#event("NewCallerid", "call", [
          ...this.#snapshot(a.inner),
          ["CID-CallingPres", "0 (Presentation Allowed, Not Screened)"],
        ]);
      }
      if (account !== "") {
        a.inner.accountCode = account;
        this.#event("NewAccountCode", "call", [...this.#snapshot(a.inner), ["OldAccountCode", ""]]);
      }
      if (callerId !== undefined) this.#event("NewConnectedLine", "call", this.#snapshot(a.inner));
      this.#localBridge(a);
    }
    this.#event("DialBegin", "call", [
      ...this.#snapshot(caller, "Dest"),
      ["DialString", dialString.slice(dialString.indexOf("/") + 1)],
    ]);

    const outcome = this.#outcome(dialString);
    const failure = await this.#ring(call, a, undefined, outcome, timeoutMs);
    if (failure !== undefined) {
      this.#failOriginate(call, a, failure);
      return;
    }
    this.#answer(a, undefined);
    const inUse = () => {
      for (const channel of [caller, a.inner]) {
        if (channel !== undefined) this.#deviceState(channel, "INUSE");
      }
    };

    const duration = this.#duration(originate);
    if (application !== "") {
      this.#originateResponse(call, dialString, caller, 4);
      inUse();
      this.#newexten(caller, application, data);
      const ended = await this.#wait(call, duration);
      if (ended) this.#applicationEnded(call);
      else this.#teardown(call, undefined);
      return;
    }

    caller.context = context;
    caller.exten = exten;
    caller.priority = priority;
    const next = (this.#options.dialplan ?? ((_, e) => `PJSIP/${e}`))(context, exten) ?? "";
    this.#newexten(caller, next === "" ? "Wait" : "Dial", next);
    this.#originateResponse(call, dialString, caller, 4);
    inUse();
    if (next === "" || !next.includes("/")) {
      const ended = await this.#wait(call, duration);
      this.#teardown(call, ended ? caller : undefined);
      return;
    }
    for (const name of ["DIALSTATUS", "DIALEDPEERNUMBER", "DIALEDPEERNAME"]) {
      this.#setChannelVariable(caller, name, "");
    }
    const nextTech = next.slice(0, next.indexOf("/"));
    if (!this.#technologies.has(nextTech.toLowerCase())) {
      this.#setChannelVariable(caller, "DIALSTATUS", "CHANUNAVAIL");
      this.#teardown(call, caller);
      return;
    }

    // Dial what the dialplan leads to.
    const b = this.#createLeg(call, next, caller, context, exten);
    call.b = b;
    if (b.inner !== undefined) this.#localBridge(b);
    this.#event("DialBegin", "call", [
      ...this.#snapshot(caller),
      ...this.#snapshot(b.outer, "Dest"),
      ["DialString", next.slice(next.indexOf("/") + 1)],
    ]);
    const dialFailure = await this.#ring(call, b, caller, this.#outcome(next), timeoutMs);
    if (dialFailure !== undefined) {
      this.#failDial(call, b, caller, dialFailure);
      return;
    }
    this.#answer(b, caller);

    // Bridge the two.
    const bridge: Bridge = { uniqueid: crypto.randomUUID(), members: [] };
    call.bridge = bridge;
    this.#event("BridgeCreate", "call", bridgeFields(bridge));
    for (const channel of [b.outer, caller]) {
      bridge.members.push(channel);
      channel.bridge = bridge;
      this.#event("BridgeEnter", "call", [...bridgeFields(bridge), ...this.#snapshot(channel)]);
    }
    this.#setChannelVariable(b.outer, "BRIDGEPEER", caller.name);
    this.#setChannelVariable(caller, "BRIDGEPEER", b.outer.name);
    const ended = await this.#wait(call, duration);
    // At the end of the call the far end hangs up first, as in the recordings.
    this.#teardown(call, ended ? (b.inner ?? b.outer) : undefined);
  }

  /**
   * Rings a leg until it answers or fails. Returns the failure, or
   * `undefined` once it may answer.
   */
  async #ring(
    call: Call,
    leg: Leg,
    caller: Channel | undefined,
    outcome: SimulatedOutcome,
    timeoutMs: number,
  ): Promise<Failure | undefined> {
    if (outcome === "busy") return BUSY_FAILURE;
    if (outcome === "congestion") return CONGESTION_FAILURE;
    const ringMs = this.#options.ringMs ?? 0;
    if (outcome === "noanswer" || ringMs > 0 || caller !== undefined) {
      leg.outer.state = RINGING;
      this.#event("Newstate", "call", this.#snapshot(leg.outer));
      if (caller !== undefined) {
        this.#deviceState(leg.outer, "INUSE");
        this.#event("DialState", "call", [
          ...this.#snapshot(caller),
          ...this.#snapshot(leg.outer, "Dest"),
          ["DialStatus", "RINGING"],
        ]);
      }
    }
    const passed = await this.#wait(call, outcome === "noanswer" ? timeoutMs : ringMs);
    if (!passed) return { ...CANCEL_FAILURE, cause: this.#requestedCause(call) };
    return outcome === "noanswer" ? NOANSWER_FAILURE : undefined;
  }

  /**
   * Answers a leg. The originated leg's far half answers first; a dialled
   * leg's channel goes up first, then the caller learns the dial status.
   */
  #answer(leg: Leg, caller: Channel | undefined): void {
    const now = Date.now();
    const { outer, inner } = leg;
    const up = (channel: Channel) => {
      channel.state = UP;
      channel.answeredAt = now;
      this.#event("Newstate", "call", this.#snapshot(channel));
    };
    if (inner !== undefined) this.#newexten(inner, "Answer", "");
    if (caller === undefined) {
      if (inner !== undefined) up(inner);
      up(outer);
    } else {
      up(outer);
      this.#deviceState(outer, "INUSE");
      this.#setChannelVariable(caller, "DIALSTATUS", "ANSWER");
      this.#setChannelVariable(caller, "DIALEDPEERNAME", outer.name);
      if (inner !== undefined) {
        up(inner);
        this.#deviceState(inner, "INUSE");
      }
    }
    this.#event("DialEnd", "call", [
      ...(caller === undefined ? [] : this.#snapshot(caller)),
      ...this.#snapshot(outer, "Dest"),
      ["DialStatus", "ANSWER"],
    ]);
    if (inner !== undefined) {
      inner.application = "Wait";
      inner.applicationData = "";
    }
  }

  /** The originated channel did not answer: Asterisk's order from the recordings. */
  #failOriginate(call: Call, leg: Leg, failure: Failure): void {
    const ringing = leg.inner ?? leg.outer;
    this.#event("DialEnd", "call", [
      ...this.#snapshot(leg.outer, "Dest"),
      ["DialStatus", failure.dialStatus],
    ]);
    if (failure.dialStatus === "BUSY") {
      ringing.state = BUSY;
      this.#event("Newstate", "call", this.#snapshot(ringing));
    }
    this.#event("HangupRequest", "call", [...this.#snapshot(ringing), ["Cause", "0"]]);
    this.#originateResponse(call, leg.dialString, undefined, failure.reason);
    this.#event("SoftHangupRequest", "call", [...this.#snapshot(ringing), ["Cause", "16"]]);
    this.#hangupChannel(ringing, failure.cause);
    if (leg.inner !== undefined) this.#hangupChannel(leg.outer, 0);
    this.#cdr({
      channel: ringing,
      destination: undefined,
      disposition: failure.disposition,
      lastApplication: leg.inner === undefined ? "AppDial2" : failure.application,
      lastData: leg.inner === undefined ? "(Outgoing Line)" : failure.applicationData,
    });
    if (leg.inner !== undefined) {
      this.#cdr({
        channel: leg.outer,
        destination: undefined,
        disposition: failure.disposition,
        lastApplication: "AppDial2",
        lastData: "(Outgoing Line)",
      });
    }
    for (const channel of [leg.outer, leg.inner]) {
      if (channel !== undefined) this.#deviceState(channel, "NOT_INUSE");
    }
  }

  /** The dialled channel did not answer: end it, then the caller hangs up. */
  #failDial(call: Call, leg: Leg, caller: Channel, failure: Failure): void {
    this.#setChannelVariable(caller, "DIALSTATUS", failure.dialStatus);
    this.#event("DialEnd", "call", [
      ...this.#snapshot(caller),
      ...this.#snapshot(leg.outer, "Dest"),
      ["DialStatus", failure.dialStatus],
    ]);
    const ringing = leg.inner ?? leg.outer;
    if (failure.dialStatus === "BUSY") {
      ringing.state = BUSY;
      this.#event("Newstate", "call", this.#snapshot(ringing));
    }
    if (leg.inner !== undefined) {
      this.#event("SoftHangupRequest", "call", [...this.#snapshot(leg.outer), ["Cause", "16"]]);
      this.#event("HangupRequest", "call", [...this.#snapshot(leg.inner), ["Cause", "16"]]);
      this.#hangupChannel(leg.outer, failure.cause);
      this.#hangupChannel(leg.inner, failure.cause);
    } else {
      this.#hangupChannel(leg.outer, failure.cause);
    }
    call.b = undefined;
    const a = call.a!;
    this.#hangLeg(a, caller, 16);
    this.#cdr({
      channel: caller,
      destination: leg.outer,
      disposition: failure.disposition,
      lastApplication: "Dial",
      lastData: leg.dialString,
    });
    if (a.inner !== undefined) this.#cdr(this.#answeredCdr(a.inner));
    if (leg.inner !== undefined) {
      this.#cdr({
        channel: leg.inner,
        destination: undefined,
        disposition: failure.disposition,
        lastApplication: failure.application,
        lastData: failure.applicationData,
      });
    }
    for (const channel of [leg.outer, leg.inner, a.outer, a.inner]) {
      if (channel !== undefined) this.#deviceState(channel, "NOT_INUSE");
    }
  }

  /**
   * Ends an answered call. `initiator` hangs up first (a Hangup action's
   * channel when `undefined`); its leg goes down first, then the other.
   */
  #teardown(call: Call, initiator: Channel | undefined): void {
    const requested = call.hangup.signal.reason as HangupRequest | undefined;
    const first = initiator ?? requested?.channel ?? call.a!.outer;
    const cause = initiator === undefined ? (requested?.cause ?? 16) : 16;
    const legs = [call.a, call.b].filter((leg): leg is Leg => leg !== undefined);
    const firstLeg = legs.find((leg) => leg.outer === first || leg.inner === first) ?? legs[0]!;
    const secondLeg = legs.find((leg) => leg !== firstLeg);
    this.#hangLeg(firstLeg, first, cause);
    if (secondLeg !== undefined) {
      this.#leaveBridge(secondLeg.outer);
      this.#hangLeg(secondLeg, secondLeg.outer, 16);
    }
    if (call.bridge !== undefined) {
      this.#event("BridgeDestroy", "call", bridgeFields(call.bridge));
      call.bridge = undefined;
    }
    const a = call.a!;
    const b = call.b;
    if (b?.inner !== undefined) this.#cdr(this.#answeredCdr(b.inner));
    this.#cdr({
      ...this.#answeredCdr(a.outer),
      destination: b?.outer,
      lastApplication: b === undefined ? a.outer.application : "Dial",
      lastData: b === undefined ? a.outer.applicationData : b.dialString,
    });
    if (a.inner !== undefined) this.#cdr(this.#answeredCdr(a.inner));
    for (const channel of [...(b === undefined ? [] : [b.outer, b.inner]), a.outer, a.inner]) {
      if (channel !== undefined) this.#deviceState(channel, "NOT_INUSE");
    }
  }

  #deviceState(channel: Channel, state: string): void {
    this.#event("DeviceStateChange", "call", [["Device", channel.device], ["State", state]]);
  }

  /**
   * The originated channel's application returned: it hangs up by itself,
   * cause unset (0) on a Local channel, as recorded.
   */
  #applicationEnded(call: Call): void {
    const { outer, inner } = call.a!;
    if (inner === undefined) {
      this.#hangupChannel(outer, 16);
    } else {
      this.#event("HangupRequest", "call", [...this.#snapshot(inner), ["Cause", "0"]]);
      this.#hangupChannel(outer, 0);
      this.#event("SoftHangupRequest", "call", [...this.#snapshot(inner), ["Cause", "16"]]);
      this.#hangupChannel(inner, 0);
    }
    this.#cdr(this.#answeredCdr(outer));
    if (inner !== undefined) this.#cdr(this.#answeredCdr(inner));
    for (const channel of [outer, inner]) {
      if (channel !== undefined) this.#deviceState(channel, "NOT_INUSE");
    }
  }

  /** Hangs up one leg, starting with `start`, in Asterisk's order. */
  #hangLeg(leg: Leg, start: Channel, cause: number): void {
    const { outer, inner } = leg;
    if (inner !== undefined && start === inner) {
      this.#event("SoftHangupRequest", "call", [...this.#snapshot(inner), [
        "Cause",
        String(cause),
      ]]);
      this.#event("HangupRequest", "call", [...this.#snapshot(outer), ["Cause", String(cause)]]);
      this.#hangupChannel(inner, cause);
      this.#leaveBridge(outer);
      this.#hangupChannel(outer, cause);
      return;
    }
    this.#event("SoftHangupRequest", "call", [...this.#snapshot(outer), ["Cause", String(cause)]]);
    this.#leaveBridge(outer);
    if (inner !== undefined) {
      this.#event("HangupRequest", "call", [...this.#snapshot(inner), ["Cause", String(cause)]]);
    }
    this.#hangupChannel(outer, cause);
    if (inner !== undefined) {
      this.#event("SoftHangupRequest", "call", [...this.#snapshot(inner), [
        "Cause",
        String(cause),
      ]]);
      this.#hangupChannel(inner, cause);
    }
  }

  #leaveBridge(channel: Channel): void {
    const bridge = channel.bridge;
    if (bridge === undefined) return;
    if (bridge.members.length === 2) {
      for (const member of bridge.members) this.#setChannelVariable(member, "BRIDGEPEER", "");
    }
    bridge.members.splice(bridge.members.indexOf(channel), 1);
    channel.bridge = undefined;
    this.#event("BridgeLeave", "call", [...bridgeFields(bridge), ...this.#snapshot(channel)]);
  }

  #hangupChannel(channel: Channel, cause: number): void {
    if (channel.hungUp) return;
    channel.hungUp = true;
    this.#event("Hangup", "call", [
      ...this.#snapshot(channel),
      ["Cause", String(cause)],
      ["Cause-txt", causeText(cause)],
    ]);
    this.#remove(channel);
  }

  #remove(channel: Channel): void {
    const index = this.#channels.indexOf(channel);
    if (index >= 0) this.#channels.splice(index, 1);
  }

  #answeredCdr(channel: Channel): CdrParty {
    return {
      channel,
      destination: undefined,
      disposition: "ANSWERED",
      lastApplication: channel.application,
      lastData: channel.applicationData,
    };
  }

  #cdr(party: CdrParty): void {
    const { channel } = party;
    const end = Date.now();
    const answered = channel.answeredAt;
    this.#event("Cdr", "cdr", [
      ["AccountCode", channel.accountCode],
      ["Source", channel.callerIdNum],
      ["Destination", channel.exten],
      ["DestinationContext", channel.context],
      ["CallerID", channel.callerIdAll],
      ["Channel", channel.name],
      ["DestinationChannel", party.destination?.name ?? ""],
      ["LastApplication", party.lastApplication],
      ["LastData", party.lastData],
      ["StartTime", cdrTime(channel.createdAt)],
      ["AnswerTime", party.disposition === "ANSWERED" ? cdrTime(answered) : ""],
      ["EndTime", cdrTime(end)],
      ["Duration", String(Math.floor((end - channel.createdAt) / 1000))],
      [
        "BillableSeconds",
        String(
          answered === undefined || party.disposition !== "ANSWERED"
            ? 0
            : Math.floor((end - answered) / 1000),
        ),
      ],
      ["Disposition", party.disposition],
      ["AMAFlags", "DOCUMENTATION"],
      ["UniqueID", channel.uniqueid],
      ["UserField", ""],
    ]);
  }

  /** Creates the channels of a leg and raises their Newchannel events. */
  #createLeg(
    call: Call,
    dialString: string,
    caller: Channel | undefined,
    context: string,
    exten: string,
  ): Leg {
    const slash = dialString.indexOf("/");
    const tech = dialString.slice(0, slash);
    const resource = dialString.slice(slash + 1);
    const suffix = (this.#channelSequence++).toString(16).padStart(8, "0");
    const linkedid = caller?.linkedid;
    if (tech.toLowerCase() === "local") {
      const at = resource.indexOf("@");
      const localExten = at < 0 ? resource : resource.slice(0, at);
      const localContext = at < 0 ? "default" : resource.slice(at + 1).split("/")[0]!;
      const outer = this.#newChannel(call, `Local/${resource}-${suffix};1`, linkedid, {
        device: `Local/${resource}`,
        context: caller === undefined ? localContext : context,
        exten: caller === undefined ? localExten : "",
        state: DOWN,
      });
      const inner = this.#newChannel(call, `Local/${resource}-${suffix};2`, outer.linkedid, {
        device: `Local/${resource}`,
        context: localContext,
        exten: localExten,
        state: RING,
      });
      this.#event("Newchannel", "call", this.#snapshot(outer));
      this.#event("Newchannel", "call", this.#snapshot(inner));
      const leg = { outer, inner, dialString };
      if (caller !== undefined) this.#identifyDialled(leg, caller, exten);
      return leg;
    }
    const outer = this.#newChannel(call, `${tech}/${resource}-${suffix}`, linkedid, {
      device: `${tech}/${resource.split("/")[0]}`,
      context: caller === undefined ? context : caller.context,
      exten: caller === undefined ? exten : "",
      state: DOWN,
    });
    this.#event("Newchannel", "call", this.#snapshot(outer));
    const leg = { outer, inner: undefined, dialString };
    if (caller !== undefined) this.#identifyDialled(leg, caller, exten);
    return leg;
  }

  /**
   * A dialled leg takes the caller's identity: the dialled number as its
   * caller, the caller as its connected line, the account code, and the
   * caller's inheritable (`_`, `__`) variables.
   */
  #identifyDialled(leg: Leg, caller: Channel, exten: string): void {
    const number = leg.dialString.slice(leg.dialString.indexOf("/") + 1);
    const { outer, inner } = leg;
    for (const [name, value] of caller.variables) {
      if (!name.startsWith("_")) continue;
      outer.variables.set(name, value);
      inner?.variables.set(name, value);
    }
    this.#setChannelVariable(outer, "DIALEDPEERNUMBER", number);
    outer.context = caller.context;
    outer.exten = "";
    this.#newexten(outer, "AppDial", "(Outgoing Line)");
    this.#takeIdentity(outer, {
      num: exten,
      name: caller.callerIdName,
      connectedNum: caller.callerIdNum,
      connectedName: caller.callerIdName,
      account: caller.accountCode,
    });
    if (inner !== undefined) {
      this.#setChannelVariable(inner, "DIALEDPEERNUMBER", number);
      this.#takeIdentity(inner, {
        num: caller.callerIdNum,
        name: caller.callerIdName,
        connectedNum: exten,
        connectedName: caller.callerIdName,
        account: caller.accountCode,
      });
    }
  }

  /** Sets a channel's caller ID, account code and connected line, with their events. */
  #takeIdentity(
    channel: Channel,
    identity: {
      num: string;
      name: string;
      connectedNum: string;
      connectedName: string;
      account: string;
    },
  ): void {
    channel.callerIdNum = identity.num;
    channel.callerIdName = identity.name;
    this.#event("NewCallerid", "call", [
      ...this.#snapshot(channel),
      ["CID-CallingPres", "0 (Presentation Allowed, Not Screened)"],
    ]);
    const old = channel.accountCode;
    channel.accountCode = identity.account;
    this.#event("NewAccountCode", "call", [...this.#snapshot(channel), ["OldAccountCode", old]]);
    channel.connectedNum = identity.connectedNum;
    channel.connectedName = identity.connectedName;
    this.#event("NewConnectedLine", "call", this.#snapshot(channel));
  }

  #newChannel(
    call: Call,
    name: string,
    linkedid: string | undefined,
    fields: { device: string; context: string; exten: string; state: number },
  ): Channel {
    const prefix = this.#options.systemName === undefined ? "" : `${this.#options.systemName}-`;
    const uniqueid = `${prefix}${Math.floor(Date.now() / 1000)}.${this.#uniqueSequence++}`;
    const channel = new Channel({ name, uniqueid, linkedid: linkedid ?? uniqueid, ...fields });
    this.#channels.push(channel);
    call.created.push(channel);
    return channel;
  }

  #applyIdentity(
    channel: Channel,
    account: string,
    callerId: { cidName: string; cidNum: string } | undefined,
  ): void {
    if (account !== "") {
      const old = channel.accountCode;
      channel.accountCode = account;
      this.#event("NewAccountCode", "call", [...this.#snapshot(channel), ["OldAccountCode", old]]);
    }
    if (callerId !== undefined) {
      channel.callerIdNum = callerId.cidNum;
      channel.callerIdName = callerId.cidName;
      this.#event("NewCallerid", "call", [
        ...this.#snapshot(channel),
        ["CID-CallingPres", "0 (Presentation Allowed, Not Screened)"],
      ]);
      channel.connectedNum = callerId.cidNum;
      channel.connectedName = callerId.cidName;
      this.#event("NewConnectedLine", "call", this.#snapshot(channel));
    }
  }

  #localBridge(leg: Leg): void {
    const inner = leg.inner!;
    this.#event("LocalBridge", "call", [
      ...this.#snapshot(leg.outer, "LocalOne"),
      ...this.#snapshot(inner, "LocalTwo"),
      ["Context", inner.context],
      ["Exten", inner.exten],
      ["LocalOptimization", "Yes"],
    ]);
  }

  #newexten(channel: Channel, application: string, data: string): void {
    channel.application = application;
    channel.applicationData = data;
    this.#event("Newexten", "dialplan", [
      ...this.#snapshot(channel),
      ["Extension", channel.exten],
      ["Application", application],
      ["AppData", data],
    ]);
  }

  #setChannelVariable(channel: Channel, name: string, value: string): void {
    channel.variables.set(name, value);
    this.#event("VarSet", "dialplan", [
      ...this.#snapshot(channel),
      ["Variable", name],
      ["Value", value],
    ]);
  }

  #originateResponse(
    call: Call,
    dialString: string,
    channel: Channel | undefined,
    reason: number,
  ): void {
    const success = channel !== undefined;
    call.settle({
      success,
      reason,
      channel: channel?.name,
      uniqueid: channel?.uniqueid,
    });
    if (!call.async) return;
    const originate = call.originate;
    const application = originate.get("Application")?.trim() ?? "";
    const target: [string, string][] = application !== ""
      ? [["Application", application], ["Data", originate.get("Data") ?? ""]]
      : [["Context", originate.get("Context")?.trim() ?? ""], [
        "Exten",
        originate.get("Exten")?.trim() ?? "",
      ]];
    const pairs: [string, string][] = [];
    const actionId = call.actionId;
    if (actionId !== undefined) pairs.push(["ActionID", actionId]);
    pairs.push(
      ["Response", success ? "Success" : "Failure"],
      ["Channel", channel?.name ?? dialString],
      ...target,
      ["Reason", String(reason)],
      ["Uniqueid", channel?.uniqueid ?? "<unknown>"],
      ["CallerIDNum", (channel?.callerIdNum || undefined) ?? "<unknown>"],
      ["CallerIDName", (channel?.callerIdName || undefined) ?? "<unknown>"],
    );
    if (channel !== undefined) {
      for (const name of this.#channelVariables) {
        pairs.push([
          `ChanVariable(${channel.name})`,
          `${name}=${channel.variables.get(name) ?? ""}`,
        ]);
      }
    }
    this.#event("OriginateResponse", "call", pairs);
  }

  #snapshot(channel: Channel, prefix = ""): [string, string][] {
    return channel.snapshot(prefix, this.#channelVariables);
  }

  /** Emits an event with the header fields Asterisk writes first. */
  #event(name: string, privilege: string, body: [string, string][]): void {
    if (this.#signal.aborted) throw new Closing("the simulated PBX is closing");
    const pairs: [string, string][] = [["Event", name], ["Privilege", `${privilege},all`]];
    if (this.#options.timestamps ?? true) pairs.push(["Timestamp", timestamp()]);
    if (this.#options.systemName !== undefined) {
      pairs.push(["SystemName", this.#options.systemName]);
    }
    this.server.emit(new AmiMessage([...pairs, ...body]));
  }

  #outcome(dialString: string): SimulatedOutcome {
    const outcomes = this.#options.outcomes;
    if (outcomes === undefined) return "answer";
    if (typeof outcomes === "function") return outcomes(dialString);
    return outcomes[dialString] ?? "answer";
  }

  #duration(originate: AmiMessage): number {
    const option = this.#options.callDurationMs ?? 1000;
    return typeof option === "function" ? option(originate) : option;
  }

  #requestedCause(call: Call): number {
    return (call.hangup.signal.reason as HangupRequest | undefined)?.cause ?? 16;
  }

  /**
   * Waits `ms` (forever for `Infinity`). Returns `true` when the time passed,
   * `false` when the call was hung up; throws {@linkcode Closing} when the PBX
   * closes.
   */
  async #wait(call: Call, ms: number): Promise<boolean> {
    const signal = AbortSignal.any([this.#signal, call.hangup.signal]);
    try {
      await sleep(ms, signal);
      return true;
    } catch (error) {
      if (this.#signal.aborted) throw error;
      return false;
    }
  }
}

interface Failure {
  readonly dialStatus: string;
  readonly cause: number;
  readonly reason: number;
  readonly disposition: string;
  readonly application: string;
  readonly applicationData: string;
}

const BUSY_FAILURE: Failure = {
  dialStatus: "BUSY",
  cause: 17,
  reason: 5,
  disposition: "BUSY",
  application: "Busy",
  applicationData: "5",
};
const CONGESTION_FAILURE: Failure = {
  dialStatus: "CONGESTION",
  cause: 34,
  reason: 8,
  disposition: "CONGESTION",
  application: "Congestion",
  applicationData: "5",
};
const NOANSWER_FAILURE: Failure = {
  dialStatus: "NOANSWER",
  cause: 19,
  reason: 3,
  disposition: "NO ANSWER",
  application: "Ringing",
  applicationData: "",
};
const CANCEL_FAILURE: Failure = {
  dialStatus: "CANCEL",
  cause: 16,
  reason: 1,
  disposition: "NO ANSWER",
  application: "Ringing",
  applicationData: "",
};

function isTrue(value: string | undefined): boolean {
  return /^\s*(true|yes|1|on|y|t)\s*$/i.test(value ?? "");
}
