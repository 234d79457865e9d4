/**
 * {@linkcode SimulatedTraffic}: calls, queue callers and agents in motion on
 * a {@linkcode SimulatedPbx}, at a rate you choose, for demos, wallboards and
 * soak tests; and {@linkcode callCentreOptions}, a small call centre to run
 * it on.
 *
 * @module
 */

import { sleep } from "../_util/sleep.ts";
import type { SimulatedPbxOptions } from "./pbx/options.ts";
import type { SimulatedPbx } from "./pbx/pbx.ts";

/**
 * How {@linkcode SimulatedTraffic} moves things.
 *
 * @example
 * ```ts
 * import type { SimulatedTrafficOptions } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * const busy: SimulatedTrafficOptions = { callsPerMinute: 120, queueShare: 0.8 };
 * assert.equal(busy.callsPerMinute, 120);
 * ```
 */
export interface SimulatedTrafficOptions {
  /** New calls a minute, on average. Defaults to 12. */
  callsPerMinute?: number;
  /** The share of calls that go into a queue, from 0 to 1. Defaults to 0.5. */
  queueShare?: number;
  /** The queues callers go into. Defaults to those of {@linkcode callCentreOptions}. */
  queues?: readonly string[];
  /** The endpoints that place calls, and call each other. Defaults to `100` to `105`. */
  callers?: readonly string[];
  /** Agent interfaces that pause and unpause now and then. Defaults to none. */
  agents?: readonly string[];
  /** Pauses (and as many unpauses) a minute, on average. Defaults to 2. */
  pausesPerMinute?: number;
  /** The random source, `Math.random` by default; pass a seeded one for repeatable runs. */
  random?: () => number;
}

/** Why agents pause, picked at random. */
const PAUSE_REASONS = ["lunch", "break", "training", "after call work"];

/** Caller names, picked at random. */
const CALLER_NAMES = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi"];

/**
 * A small call centre: endpoints `100`–`105` that call each other, agents
 * `PJSIP/201`… in the queues `support` and `sales`, hints for every
 * endpoint, and call, ring and wait times with some spread.
 *
 * @param agents How many agents; defaults to 4.
 * @returns Options for {@linkcode SimulatedPbx}; spread your own over them.
 *
 * @example
 * ```ts
 * import { callCentreOptions, SimulatedPbx } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * await using pbx = new SimulatedPbx({ ...callCentreOptions(2), callDurationMs: 10 });
 * assert.equal(pbx.pauseMember("PJSIP/202", true), true);
 * ```
 */
export function callCentreOptions(agents = 4): SimulatedPbxOptions {
  const callers = ["100", "101", "102", "103", "104", "105"];
  const agentIds = Array.from({ length: agents }, (_, i) => String(201 + i));
  const member = (id: string) => ({ interface: `PJSIP/${id}`, name: `Agent ${id}` });
  const half = Math.max(1, Math.ceil(agentIds.length / 2));
  return {
    endpoints: [...callers, ...agentIds],
    hints: Object.fromEntries(
      [...callers, ...agentIds].map((id) => [`${id}@default`, `PJSIP/${id}`]),
    ),
    queues: {
      support: { strategy: "rrmemory", members: agentIds.slice(0, half + 1).map(member) },
      sales: { strategy: "ringall", members: agentIds.slice(half - 1).map(member) },
    },
    ringMs: 1500,
    callDurationMs: () => 8_000 + Math.random() * 30_000,
    queueWaitMs: () => 20_000 + Math.random() * 60_000,
  };
}

/**
 * Keeps calls, queue callers and agents in motion on a simulated PBX until
 * stopped: calls between endpoints, callers into queues, agents pausing
 * and unpausing. Each originated call runs as {@linkcode SimulatedPbx}
 * runs it; the PBX's options decide how long calls last.
 *
 * @example
 * ```ts
 * import { callCentreOptions, SimulatedPbx, SimulatedTraffic } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * await using pbx = new SimulatedPbx({ ...callCentreOptions(), callDurationMs: 20, ringMs: 0 });
 * {
 *   await using traffic = new SimulatedTraffic(pbx, { callsPerMinute: 6000 });
 *   while (traffic.callsStarted < 3) await new Promise((resolve) => setTimeout(resolve, 5));
 * }
 * await pbx.waitForIdle();
 * assert.equal(pbx.activeCalls, 0);
 * ```
 */
export class SimulatedTraffic implements AsyncDisposable {
  readonly #pbx: SimulatedPbx;
  readonly #options: SimulatedTrafficOptions;
  readonly #random: () => number;
  readonly #stop = new AbortController();
  readonly #loops: Promise<void>;
  #callsStarted = 0;

  /**
   * Starts the traffic at once.
   *
   * @param pbx The PBX to move.
   * @param options Rates and who takes part.
   */
  constructor(pbx: SimulatedPbx, options: SimulatedTrafficOptions = {}) {
    this.#pbx = pbx;
    this.#options = options;
    this.#random = options.random ?? Math.random;
    this.#loops = Promise.all([this.#callLoop(), this.#pauseLoop()]).then(() => {});
  }

  /**
   * How many calls it has started.
   *
   * @example
   * ```ts
   * import { SimulatedPbx, SimulatedTraffic } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using pbx = new SimulatedPbx();
   * await using traffic = new SimulatedTraffic(pbx, { callsPerMinute: 0 });
   * assert.equal(traffic.callsStarted, 0);
   * ```
   */
  get callsStarted(): number {
    return this.#callsStarted;
  }

  /**
   * Stops starting calls and pausing agents; calls in progress go on.
   *
   * @returns Resolves once the traffic has stopped.
   *
   * @example
   * ```ts
   * import { SimulatedPbx, SimulatedTraffic } from "@x/ami/testing";
   *
   * await using pbx = new SimulatedPbx();
   * const traffic = new SimulatedTraffic(pbx);
   * await traffic.stop();
   * ```
   */
  stop(): Promise<void> {
    this.#stop.abort(new Error("The traffic stopped"));
    return this.#loops;
  }

  /**
   * Stops the traffic; see {@linkcode SimulatedTraffic.stop}.
   *
   * @returns Resolves once the traffic has stopped.
   *
   * @example
   * ```ts
   * import { SimulatedPbx, SimulatedTraffic } from "@x/ami/testing";
   *
   * await using pbx = new SimulatedPbx();
   * {
   *   await using _traffic = new SimulatedTraffic(pbx);
   * } // stopped here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /** Waits an exponentially distributed time for `perMinute` events a minute; false once stopped. */
  async #pause(perMinute: number): Promise<boolean> {
    const mean = perMinute > 0 ? 60_000 / perMinute : Infinity;
    const ms = -Math.log(1 - this.#random()) * mean;
    const signal = AbortSignal.any([this.#stop.signal, this.#pbx.server.signal]);
    try {
      await sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random() * items.length)]!;
  }

  async #callLoop(): Promise<void> {
    const callers = this.#options.callers ?? ["100", "101", "102", "103", "104", "105"];
    const queues = this.#options.queues ?? ["support", "sales"];
    while (await this.#pause(this.#options.callsPerMinute ?? 12)) {
      const caller = this.#pick(callers);
      const name = this.#pick(CALLER_NAMES);
      const callerId = `"${name}" <${caller}>`;
      const intoQueue = queues.length > 0 && this.#random() < (this.#options.queueShare ?? 0.5);
      const fields = intoQueue
        ? { Channel: `PJSIP/${caller}`, Application: "Queue", Data: this.#pick(queues) }
        : {
          Channel: `PJSIP/${caller}`,
          Context: "default",
          Exten: this.#pick(callers.filter((other) => other !== caller)) ?? caller,
          Priority: 1,
        };
      try {
        void this.#pbx.originate({ ...fields, CallerID: callerId }).catch(() => {});
        this.#callsStarted++;
      } catch {
        return; // The PBX is closed.
      }
    }
  }

  async #pauseLoop(): Promise<void> {
    const agents = this.#options.agents ?? [];
    if (agents.length === 0) return;
    const paused = new Set<string>();
    while (await this.#pause(2 * (this.#options.pausesPerMinute ?? 2))) {
      const agent = this.#pick(agents);
      const pause = !paused.has(agent);
      if (pause) paused.add(agent);
      else paused.delete(agent);
      this.#pbx.pauseMember(agent, pause, { reason: this.#pick(PAUSE_REASONS) });
    }
  }
}
