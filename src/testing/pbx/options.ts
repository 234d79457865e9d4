/**
 * The public shapes of {@linkcode SimulatedPbx}: its options, what a channel
 * looks like from outside, and how an originated call went.
 *
 * @module
 */

import type { AmiMessage } from "../../wire/message.ts";
import type { AmiTestServerOptions } from "../server_options.ts";

/**
 * What happens when the simulated PBX dials a channel: it answers, is busy,
 * rings until the timeout, or is congested.
 *
 * @example
 * ```ts
 * import type { SimulatedOutcome } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * const outcome: SimulatedOutcome = "busy";
 * assert.equal(outcome, "busy");
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
 * import assert from "node:assert/strict";
 * const options: SimulatedPbxOptions = {
 *   callDurationMs: 50,
 *   outcomes: { "PJSIP/busy": "busy" },
 *   channelVariables: ["CUSTOMER_ID"],
 * };
 * assert.equal(options.callDurationMs, 50);
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
   * What the `;2` half of a dialled Local channel (`Local/200@agents`, not
   * `/n`) dials next, from its context and extension, as a dial string;
   * `undefined` or `""` dials nothing. When it dials and the far channel
   * answers, the Local pair is optimised away as Asterisk does
   * (`LocalOptimizationBegin`/`End`, a `BridgeEnter` with `SwapUniqueid`).
   * Defaults to dialling nothing.
   */
  localDialplan?: (context: string, exten: string) => string | undefined;
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
  /**
   * The cache-ahead mode: every event is held back this long, in
   * milliseconds, while the lists (`CoreShowChannels`, `Status`,
   * `BridgeList`, `QueueStatus`, …) answer from the state at once. A list
   * then shows a channel before its `Newchannel` arrives and has dropped it
   * before its `Hangup` arrives, as a real Asterisk's channel cache runs ahead
   * of its event stream. Events keep their order. Defaults to 0 (events go
   * out at once).
   */
  cacheAheadMs?: number;
  /** Whether events carry `Timestamp` (`timestampevents`); defaults to `true`. */
  timestamps?: boolean;
  /**
   * How long a caller waits in a queue before it hangs up (abandons), in
   * milliseconds; a function decides per `Originate`. Defaults to `Infinity`.
   */
  queueWaitMs?: number | ((originate: AmiMessage) => number);
  /** How long a queue rings a member before it tries the next, in milliseconds. Defaults to 15000. */
  memberRingTimeoutMs?: number;
  /**
   * How long a queue waits before it rings again a member that did not
   * answer (Asterisk's `retry`), in milliseconds. Defaults to 5000.
   */
  queueRetryMs?: number;
  /** Queues by name; see {@linkcode SimulatedQueue}. Defaults to none. */
  queues?: Readonly<Record<string, SimulatedQueue>>;
  /**
   * Hints: `exten@context` to the device whose state they follow, e.g.
   * `{ "100@default": "PJSIP/100" }`. Defaults to none.
   */
  hints?: Readonly<Record<string, string>>;
  /** The PJSIP endpoints `PJSIPShowEndpoints` lists. Defaults to `100` to `105`. */
  endpoints?: readonly string[];
}

/**
 * A channel of the simulated PBX as it is now.
 *
 * @example
 * ```ts
 * import { SimulatedPbx, type SimulatedChannelInfo } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * await using pbx = new SimulatedPbx();
 * const channels: readonly SimulatedChannelInfo[] = pbx.channels;
 * assert.equal(channels.length, 0);
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
 * import assert from "node:assert/strict";
 * const result: SimulatedOriginateResult = {
 *   success: false,
 *   reason: 5,
 *   channel: undefined,
 *   uniqueid: undefined,
 * };
 * assert.ok(!result.success);
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

/**
 * A queue member of {@linkcode SimulatedPbxOptions.queues}: an interface
 * (`PJSIP/201`, `Local/agent1@agents/n`) and how it starts.
 *
 * @example
 * ```ts
 * import type { SimulatedQueueMember } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * const member: SimulatedQueueMember = { interface: "PJSIP/201", name: "Alice", paused: true };
 * assert.equal(member.paused, true);
 * ```
 */
export interface SimulatedQueueMember {
  /** The interface the queue dials. */
  readonly interface: string;
  /** The member's name; defaults to the interface. */
  readonly name?: string;
  /** The device whose state is the member's; defaults to the interface. */
  readonly stateInterface?: string;
  /** The penalty; defaults to 0. */
  readonly penalty?: number;
  /** Whether it starts paused; defaults to `false`. */
  readonly paused?: boolean;
  /** Why it is paused. */
  readonly pausedReason?: string;
}

/**
 * A queue of {@linkcode SimulatedPbxOptions.queues}. Callers enter it with
 * the `Queue` application (`Application: Queue`, `Data: support`); members
 * are rung one at a time until one answers.
 *
 * @example
 * ```ts
 * import type { SimulatedQueue } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * const queue: SimulatedQueue = { strategy: "rrmemory", members: ["PJSIP/201", "PJSIP/202"] };
 * assert.equal(queue.members?.length, 2);
 * ```
 */
export interface SimulatedQueue {
  /** The strategy `QueueStatus` reports; `rrmemory` starts after the last member called. Defaults to `ringall`. */
  readonly strategy?: string;
  /** Static members, in order: interfaces or member descriptions. */
  readonly members?: readonly (string | SimulatedQueueMember)[];
  /** The service level in seconds, as `QueueStatus` reports it; defaults to 0. */
  readonly serviceLevel?: number;
}
