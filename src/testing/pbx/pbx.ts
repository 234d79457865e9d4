/**
 * {@linkcode SimulatedPbx}: a pretend Asterisk on top of
 * {@linkcode AmiTestServer}. Originating a call raises the events a real
 * Asterisk raises, in the same order and with the same fields, and the
 * channel actions answer consistently with the calls that are up.
 *
 * @module
 */

import { AmiMessage } from "../../wire/message.ts";
import type { AmiTestFields } from "../replies.ts";
import { AmiTestServer } from "../server.ts";
import { startCall } from "./call_flow.ts";
import type { PbxCore } from "./core.ts";
import { PbxLives } from "./lives.ts";
import { registerHandlers } from "./handlers.ts";
import { pauseMember } from "./queue_actions.ts";
import type {
  SimulatedChannelInfo,
  SimulatedOriginateResult,
  SimulatedPbxOptions,
} from "./options.ts";

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
 * - `Originate` with `Application: Queue` (`Data: <queue>`): the caller joins
 *   the queue ({@linkcode SimulatedPbxOptions.queues}), members are rung one at
 *   a time until one answers, the two are bridged; or the caller abandons.
 *   `QueueCallerJoin`, `AgentCalled`, `AgentRingNoAnswer`, `QueueCallerLeave`,
 *   `AgentConnect`, `AgentComplete`, `QueueCallerAbandon`,
 *   `QueueMemberStatus`, as Asterisk raises them.
 * - `Hangup`, `CoreShowChannels`, `Status`, `GetVar`, `Setvar`, `BridgeList`,
 *   `BridgeInfo`, consistent with the channels and bridges that are up.
 * - `QueueStatus`, `QueueSummary`, `QueueAdd`, `QueueRemove`, `QueuePause`;
 *   `DeviceStateList`, `ExtensionStateList`, `ExtensionState` (hints, see
 *   {@linkcode SimulatedPbxOptions.hints}); `CoreStatus`;
 *   `PJSIPShowEndpoints`.
 * - The commands `core show channels` (plain and `concise`), `core show
 *   uptime` and `core show version`.
 * - A restart ({@linkcode SimulatedPbx.restart}): sessions cut, calls gone,
 *   a new startup time, and a boot during which app_queue is unknown.
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
 * import assert from "node:assert/strict";
 *
 * await using pbx = new SimulatedPbx({ users: { admin: "amp111" } });
 * pbx.server.listen({ hostname: "127.0.0.1", port: 0 });
 * assert.ok(pbx.server.url.startsWith("ami://admin:amp111@127.0.0.1:"));
 * ```
 */
export class SimulatedPbx implements AsyncDisposable {
  /** The AMI server the PBX answers on; listen or connect through it. */
  readonly server: AmiTestServer;

  readonly #lives: PbxLives;
  #closed: Promise<void> | undefined;

  /**
   * Creates the PBX and its server.
   *
   * @param options Server options and call behaviour.
   */
  constructor(options: SimulatedPbxOptions = {}) {
    this.server = new AmiTestServer(options);
    const lives = this.#lives = new PbxLives(this.server, options);
    registerHandlers(this.server, () => lives.core);
  }

  /** The PBX of its current life. */
  get #pbx(): PbxCore {
    return this.#lives.core;
  }

  /**
   * The channels that exist now, in creation order.
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
   * await pbx.originate({ Channel: "PJSIP/100", Application: "Wait", Data: "10" });
   * assert.equal(pbx.channels[0]!.stateDesc, "Up");
   * ```
   */
  get channels(): readonly SimulatedChannelInfo[] {
    return this.#pbx.channels.map((channel) => ({
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
   * import assert from "node:assert/strict";
   * await using pbx = new SimulatedPbx();
   * assert.equal(pbx.activeCalls, 0);
   * ```
   */
  get activeCalls(): number {
    return this.#pbx.calls.size;
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
   * import assert from "node:assert/strict";
   * await using pbx = new SimulatedPbx({ outcomes: { "PJSIP/100": "busy" } });
   * const result = await pbx.originate({ Channel: "PJSIP/100", Application: "Echo" });
   * assert.ok(!result.success && result.reason === 5);
   * ```
   */
  originate(fields: AmiTestFields): Promise<SimulatedOriginateResult> {
    const pairs: [string, string][] = [["Action", "Originate"]];
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) { for (const item of value) pairs.push([key, String(item)]); }
      else pairs.push([key, String(value)]);
    }
    return startCall(this.#pbx, new AmiMessage(pairs), true).result;
  }

  /**
   * Sets a device's state, as `Setvar` of `DEVICE_STATE(device)` does: the
   * hints on it raise `ExtensionStatus`, then `DeviceStateChange`, then the
   * queue members on it `QueueMemberStatus`.
   *
   * @param device The device, e.g. `PJSIP/201` or `Custom:lamp1`.
   * @param state `NOT_INUSE`, `INUSE`, `BUSY`, `UNAVAILABLE`, `RINGING`, `ONHOLD`, …
   *
   * @example An agent's phone goes unavailable
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using pbx = new SimulatedPbx({ hints: { "201@default": "PJSIP/201" } });
   * pbx.setDeviceState("PJSIP/201", "UNAVAILABLE");
   * assert.equal(pbx.deviceState("PJSIP/201"), "UNAVAILABLE");
   * ```
   */
  setDeviceState(device: string, state: string): void {
    this.#pbx.setDeviceState(device, state);
  }

  /**
   * Pauses or unpauses a queue member, as `QueuePause` does (in every queue
   * it is a member of, or in `queue` only).
   *
   * @param iface The member's interface, e.g. `PJSIP/201`.
   * @param paused Whether to pause it.
   * @param options The reason for the pause, and the queue.
   * @returns Whether the member was found.
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using pbx = new SimulatedPbx({ queues: { support: { members: ["PJSIP/201"] } } });
   * assert.equal(pbx.pauseMember("PJSIP/201", true, { reason: "lunch" }), true);
   * assert.equal(pbx.pauseMember("PJSIP/999", true), false);
   * ```
   */
  pauseMember(
    iface: string,
    paused: boolean,
    options: { reason?: string; queue?: string } = {},
  ): boolean {
    return pauseMember(this.#pbx, iface, paused, options.reason ?? "", options.queue);
  }

  /**
   * A device's state now; `UNKNOWN` for a device never seen.
   *
   * @param device The device.
   * @returns Its state, as `DeviceStateChange` writes it.
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using pbx = new SimulatedPbx();
   * assert.equal(pbx.deviceState("PJSIP/100"), "UNKNOWN");
   * ```
   */
  deviceState(device: string): string {
    return this.#pbx.devices.get(device);
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
   * import assert from "node:assert/strict";
   * await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
   * const { channel } = await pbx.originate({ Channel: "PJSIP/100", Application: "Wait" });
   * assert.ok(pbx.hangup(channel!));
   * await pbx.waitForIdle();
   * ```
   */
  hangup(channel: string, cause = 16): boolean {
    return this.#pbx.requestHangup(channel, cause);
  }

  /**
   * Resolves once no call is in progress (and, in the cache-ahead mode, the
   * held events have gone out).
   *
   * @returns Resolves when idle.
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using pbx = new SimulatedPbx({ callDurationMs: 5 });
   * await pbx.originate({ Channel: "PJSIP/100", Application: "Echo" });
   * await pbx.waitForIdle();
   * assert.equal(pbx.activeCalls, 0);
   * ```
   */
  waitForIdle(): Promise<void> {
    return this.#pbx.waitForIdle().then(() => this.#pbx.flushed());
  }

  /**
   * Restarts the pretend Asterisk: every session is cut, every call and
   * bridge is gone without an event, queues, devices and numbering start
   * again (Uniqueids may repeat, as on Asterisk), and `CoreStatus` shows a
   * new startup time. Logins are taken at once, but for `bootMs` the PBX is
   * still booting: app_queue's actions answer "Invalid/unknown command" and a
   * Login gets no `FullyBooted`; then every session gets `FullyBooted` (or
   * at {@linkcode SimulatedPbx.boot}).
   *
   * @param options `bootMs`: how long the boot takes (default 0; `Infinity`
   *   for one that never ends).
   * @returns Resolves once the old calls have stopped and the new PBX takes logins.
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
   * await pbx.originate({ Channel: "PJSIP/100", Application: "Wait" });
   * await pbx.restart({ bootMs: 10 });
   * assert.equal(pbx.channels.length, 0);
   * assert.equal(pbx.fullyBooted, false);
   * ```
   */
  restart(options: { bootMs?: number } = {}): Promise<void> {
    return this.#lives.restart(options.bootMs ?? 0);
  }

  /**
   * Ends a boot in progress (see {@linkcode SimulatedPbx.restart}) now:
   * app_queue's actions work, and every session gets `FullyBooted`.
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using pbx = new SimulatedPbx();
   * await pbx.restart({ bootMs: Infinity });
   * pbx.boot();
   * assert.equal(pbx.fullyBooted, true);
   * ```
   */
  boot(): void {
    this.#lives.boot();
  }

  /**
   * Whether the PBX has finished booting (see {@linkcode SimulatedPbx.restart}).
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using pbx = new SimulatedPbx();
   * assert.equal(pbx.fullyBooted, true);
   * ```
   */
  get fullyBooted(): boolean {
    return this.#pbx.fullyBooted;
  }

  /**
   * Stops every call (without raising more events) and closes the server.
   *
   * @returns Resolves once everything has stopped.
   *
   * @example
   * ```ts
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * const pbx = new SimulatedPbx();
   * await pbx.close();
   * assert.ok(pbx.server.signal.aborted);
   * ```
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#lives.close();
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
}
