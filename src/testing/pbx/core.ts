/**
 * The state every part of the simulated PBX shares: its channels and calls,
 * the global variables, the options, and the way it raises events. The call
 * flow, the actions and the CLI output all work on one {@linkcode PbxCore}.
 *
 * @module
 */

import { sleep } from "../../_util/sleep.ts";
import { AmiMessage } from "../../wire/message.ts";
import { timestamp } from "../replies.ts";
import { type Call, Closing, type HangupRequest } from "./call.ts";
import { type Bridge, causeText, Channel } from "./channel.ts";
import { DeviceStates } from "./devices.ts";
import { memberStatusOf, Queue } from "./queue_model.ts";
import type { SimulatedOutcome, SimulatedPbxOptions } from "./options.ts";

const DEFAULT_TECHNOLOGIES = ["Local", "PJSIP", "SIP", "IAX2", "DAHDI"];

/** What a new channel starts with. */
export interface NewChannelFields {
  readonly device: string;
  readonly context: string;
  readonly exten: string;
  readonly state: number;
}

/** The shared state of one simulated PBX. */
export class PbxCore {
  readonly options: SimulatedPbxOptions;
  /** Channel variables every channel event carries (`channelvars`). */
  readonly channelVariables: readonly string[];
  /** Aborts when the PBX or its server closes. */
  readonly signal: AbortSignal;
  /** The channels that exist, in creation order. */
  readonly channels: Channel[] = [];
  /** The calls in progress. */
  readonly calls: Set<Call> = new Set();
  /** Global dialplan variables (`Setvar` without a channel). */
  readonly globals: Map<string, string> = new Map();
  /** The bridges that exist, by id. */
  readonly bridges: Map<string, Bridge> = new Map();
  /** Device states and hints. */
  readonly devices: DeviceStates;
  /** The queues, by name. */
  readonly queues: Map<string, Queue> = new Map();
  /** When the PBX started, for `CoreStatus` and `core show uptime`. */
  startedAt: number = Date.now();
  /** How many calls were ever started. */
  callsProcessed = 0;
  /**
   * Whether every module is loaded: until then (after a restart) app_queue's
   * actions are unknown, as on an Asterisk that is still booting.
   */
  fullyBooted = true;
  readonly #technologies: ReadonlySet<string>;
  readonly #emit: (message: AmiMessage) => void;
  #channelSequence = 0;
  #uniqueSequence = 0;
  #idleWaiters: (() => void)[] = [];
  #optimisations = 0;
  /** Events held back in the cache-ahead mode, oldest first, with when they go out. */
  #held: { readonly at: number; readonly message: AmiMessage }[] = [];
  #heldTimer: ReturnType<typeof setTimeout> | undefined;
  #flushWaiters: (() => void)[] = [];

  constructor(
    options: SimulatedPbxOptions,
    signal: AbortSignal,
    emit: (message: AmiMessage) => void,
  ) {
    this.options = options;
    this.signal = signal;
    this.#emit = emit;
    this.channelVariables = options.channelVariables ?? [];
    this.#technologies = new Set(
      (options.technologies ?? DEFAULT_TECHNOLOGIES).map((tech) => tech.toLowerCase()),
    );
    signal.addEventListener("abort", () => this.#dropHeld(), { once: true });
    this.devices = new DeviceStates(options.hints);
    for (const [name, queue] of Object.entries(options.queues ?? {})) {
      this.queues.set(name, new Queue(name, queue, (device) => this.devices.get(device)));
    }
  }

  /** Whether a channel technology (`PJSIP`, `Local`, …) exists. */
  knows(tech: string): boolean {
    return this.#technologies.has(tech.toLowerCase());
  }

  /** The channel with this name, if it exists. */
  find(name: string): Channel | undefined {
    return this.channels.find((c) => c.name === name);
  }

  /** The channel a `Channel` header names; `undefined` when there is none; throws when unknown. */
  channelNamed(header: string | undefined): Channel | undefined {
    const name = header?.trim() ?? "";
    if (name === "") return undefined;
    const channel = this.find(name);
    if (channel === undefined) throw new Error("No such channel");
    return channel;
  }

  /** The next channel-name suffix: 8 hex digits, as Asterisk numbers channels. */
  nextChannelSuffix(): string {
    return (this.#channelSequence++).toString(16).padStart(8, "0");
  }

  /** The next `Id` of a Local optimisation. */
  nextOptimisationId(): number {
    return ++this.#optimisations;
  }

  /** Creates a channel of a call (no event yet). */
  newChannel(
    call: Call,
    name: string,
    linkedid: string | undefined,
    fields: NewChannelFields,
  ): Channel {
    const prefix = this.options.systemName === undefined ? "" : `${this.options.systemName}-`;
    const uniqueid = `${prefix}${Math.floor(Date.now() / 1000)}.${this.#uniqueSequence++}`;
    const channel = new Channel({ name, uniqueid, linkedid: linkedid ?? uniqueid, ...fields });
    this.channels.push(channel);
    call.created.push(channel);
    return channel;
  }

  /** Resolves once no call is in progress. */
  waitForIdle(): Promise<void> {
    if (this.calls.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Ends a call: settles it as failed if it had not settled, forgets its channels. */
  endCall(call: Call): void {
    call.settle({ success: false, reason: 0, channel: undefined, uniqueid: undefined });
    for (const channel of call.created) this.remove(channel);
    this.calls.delete(call);
    if (this.calls.size === 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /**
   * Hangs up a channel and, with it, its call, as the `Hangup` action does.
   * Returns whether the channel existed.
   */
  requestHangup(name: string, cause: number): boolean {
    const target = this.find(name);
    if (target === undefined) return false;
    const call = [...this.calls].find((c) => c.created.includes(target));
    if (call === undefined) return false;
    if (!call.hangup.signal.aborted) {
      call.hangup.abort({ channel: target, cause } satisfies HangupRequest);
    }
    return true;
  }

  /** Forgets a channel. */
  remove(channel: Channel): void {
    const index = this.channels.indexOf(channel);
    if (index >= 0) this.channels.splice(index, 1);
  }

  /** The snapshot fields of a channel, keys prefixed. */
  snapshot(channel: Channel, prefix = ""): [string, string][] {
    return channel.snapshot(prefix, this.channelVariables);
  }

  /** Emits an event with the header fields Asterisk writes first. */
  event(name: string, privilege: string, body: [string, string][]): void {
    if (this.signal.aborted) throw new Closing("The simulated PBX is closing");
    const pairs: [string, string][] = [["Event", name], ["Privilege", `${privilege},all`]];
    if (this.options.timestamps ?? true) pairs.push(["Timestamp", timestamp()]);
    if (this.options.systemName !== undefined) {
      pairs.push(["SystemName", this.options.systemName]);
    }
    const message = new AmiMessage([...pairs, ...body]);
    const delay = this.options.cacheAheadMs ?? 0;
    if (delay > 0) this.#hold(message, delay);
    else this.#emit(message);
  }

  /** Resolves once no event is held back (at once outside the cache-ahead mode). */
  flushed(): Promise<void> {
    if (this.#held.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#flushWaiters.push(resolve));
  }

  #hold(message: AmiMessage, delay: number): void {
    this.#held.push({ at: performance.now() + delay, message });
    if (this.#heldTimer === undefined) this.#scheduleHeld();
  }

  #scheduleHeld(): void {
    const head = this.#held[0];
    if (head === undefined) {
      this.#heldTimer = undefined;
      const waiters = this.#flushWaiters;
      this.#flushWaiters = [];
      for (const resolve of waiters) resolve();
      return;
    }
    this.#heldTimer = setTimeout(() => {
      const now = performance.now();
      let sent = 0;
      while (sent < this.#held.length && this.#held[sent]!.at <= now) {
        this.#emit(this.#held[sent++]!.message);
      }
      this.#held.splice(0, sent);
      this.#scheduleHeld();
    }, Math.max(0, head.at - performance.now()));
  }

  /** The PBX is closing: held events are dropped, as a closing Asterisk drops its queue. */
  #dropHeld(): void {
    clearTimeout(this.#heldTimer);
    this.#held = [];
    this.#scheduleHeld();
  }

  /** Sets a channel variable, with its `VarSet`. */
  setVariable(channel: Channel, name: string, value: string): void {
    channel.variables.set(name, value);
    this.event("VarSet", "dialplan", [
      ...this.snapshot(channel),
      ["Variable", name],
      ["Value", value],
    ]);
  }

  /** Moves a channel to a dialplan application, with its `Newexten`. */
  newexten(channel: Channel, application: string, data: string): void {
    channel.application = application;
    channel.applicationData = data;
    this.event("Newexten", "dialplan", [
      ...this.snapshot(channel),
      ["Extension", channel.exten],
      ["Application", application],
      ["AppData", data],
    ]);
  }

  /** Raises a `DeviceStateChange` for the channel's device. */
  deviceState(channel: Channel, state: string): void {
    this.setDeviceState(channel.device, state);
  }

  /**
   * Sets a device's state: the hints that follow it raise `ExtensionStatus`
   * first, then `DeviceStateChange`, then the queue members on it
   * `QueueMemberStatus`.
   */
  setDeviceState(device: string, state: string): void {
    for (const hint of this.devices.set(device, state)) {
      this.event("ExtensionStatus", "call", this.devices.hintFields(hint));
    }
    this.event("DeviceStateChange", "call", [["Device", device], ["State", state]]);
    const status = memberStatusOf(state);
    for (const queue of this.queues.values()) {
      for (const member of queue.members) {
        if (stateDevice(member.stateInterface) !== device || member.status === status) continue;
        member.status = status;
        this.event("QueueMemberStatus", "agent", [["Queue", queue.name], ...member.eventFields()]);
        queue.notify();
      }
    }
  }

  /** Hangs a channel up (once), with its `Hangup`, and forgets it. */
  hangupChannel(channel: Channel, cause: number): void {
    if (channel.hungUp) return;
    channel.hungUp = true;
    this.event("Hangup", "call", [
      ...this.snapshot(channel),
      ["Cause", String(cause)],
      ["Cause-txt", causeText(cause)],
    ]);
    this.remove(channel);
  }

  /** What dialling a dial string does. */
  outcome(dialString: string): SimulatedOutcome {
    const outcomes = this.options.outcomes;
    if (outcomes === undefined) return "answer";
    if (typeof outcomes === "function") return outcomes(dialString);
    return outcomes[dialString] ?? "answer";
  }

  /** How long an answered call lasts. */
  duration(originate: AmiMessage): number {
    const option = this.options.callDurationMs ?? 1000;
    return typeof option === "function" ? option(originate) : option;
  }

  /**
   * Waits `ms` (forever for `Infinity`). Returns `true` when the time passed,
   * `false` when the call was hung up; throws {@linkcode Closing} when the PBX
   * closes.
   */
  async wait(call: Call, ms: number): Promise<boolean> {
    const signal = AbortSignal.any([this.signal, call.hangup.signal]);
    try {
      await sleep(ms, signal);
      return true;
    } catch (error) {
      if (this.signal.aborted) throw error;
      return false;
    }
  }
}

/** The device of an interface: a Local channel's options (`/n`) are not part of it. */
export function stateDevice(iface: string): string {
  return iface.startsWith("Local/") ? iface.split("/").slice(0, 2).join("/") : iface;
}

/** Whether an AMI boolean header says yes. */
export function isTrue(value: string | undefined): boolean {
  return /^\s*(true|yes|1|on|y|t)\s*$/i.test(value ?? "");
}
