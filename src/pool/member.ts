/**
 * One PBX of a pool: its client, connected and kept connected, and its
 * counters. The pool never waits on a member: each runs its own loop.
 *
 * @module
 */

import { AmiClient, type AmiClientStats } from "../client/client.ts";
import type { AmiConnectionState, AmiStateChange } from "../client/state.ts";
import type { AmiConnectOptions, AmiReconnectOptions } from "../client/options.ts";
import type { AmiError } from "../errors.ts";
import { sleep } from "../_util/sleep.ts";

/**
 * The state and counters of one PBX in a pool.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiPoolMemberStats } from "@x/ami";
 * const down: AmiPoolMemberStats = {
 *   state: "disconnected",
 *   since: Date.now(),
 *   connects: 0,
 *   failedConnects: 3,
 *   epoch: undefined,
 *   lastError: "connection refused",
 *   client: undefined,
 * };
 * assert.ok(down.connects === 0);
 * ```
 */
export interface AmiPoolMemberStats {
  /** The state of its connection. */
  readonly state: AmiConnectionState;
  /** When it entered that state, in ms since the epoch. */
  readonly since: number;
  /** Successful connects (and logins) of a new client, so far. */
  readonly connects: number;
  /** Connects or logins that failed, so far. */
  readonly failedConnects: number;
  /** The id of the current client, unique across processes; `undefined` while none. */
  readonly epoch: string | undefined;
  /** The message of the last error, if any (never a secret: errors do not carry them). */
  readonly lastError: string | undefined;
  /** The current client's counters, while there is one. */
  readonly client: AmiClientStats | undefined;
}

/** What a member tells its pool. */
export interface MemberListener {
  /** A new client is connected and logged in; `epoch` names it. */
  attached(member: PoolMember, client: AmiClient, epoch: string): void;
  /** The state changed. */
  changed(member: PoolMember, change: AmiStateChange): void;
}

const DEFAULT_RETRY: Required<Pick<AmiReconnectOptions, "initialDelay" | "maxDelay" | "factor">> = {
  initialDelay: 250,
  maxDelay: 30_000,
  factor: 2,
};

/** One PBX: connects, follows the client's life, and starts over when the client gives up. */
export class PoolMember {
  readonly name: string;
  readonly #options: AmiConnectOptions;
  readonly #listener: MemberListener;
  readonly #stopping = new AbortController();
  #client: AmiClient | undefined;
  #epoch: string | undefined;
  #state: AmiConnectionState = "connecting";
  #since = Date.now();
  #connects = 0;
  #failedConnects = 0;
  #lastError: AmiError | Error | undefined;
  readonly #running: Promise<void>;

  constructor(name: string, options: AmiConnectOptions, listener: MemberListener) {
    this.name = name;
    this.#options = options;
    this.#listener = listener;
    this.#running = this.#run();
  }

  /** The current client, while connected or reconnecting. */
  get client(): AmiClient | undefined {
    return this.#client;
  }

  /** The current client's id. */
  get epoch(): string | undefined {
    return this.#epoch;
  }

  /** The state of the member's connection. */
  get state(): AmiConnectionState {
    return this.#state;
  }

  /** State and counters. */
  get stats(): AmiPoolMemberStats {
    return {
      state: this.#state,
      since: this.#since,
      connects: this.#connects,
      failedConnects: this.#failedConnects,
      epoch: this.#epoch,
      lastError: this.#lastError?.message,
      client: this.#client?.stats,
    };
  }

  /** Stops: logs off and closes the client, or abandons the connect under way. */
  async close(): Promise<void> {
    if (!this.#stopping.signal.aborted) this.#stopping.abort();
    const client = this.#client;
    if (client !== undefined) await client[Symbol.asyncDispose]();
    await this.#running;
  }

  async #run(): Promise<void> {
    const stop = this.#stopping.signal;
    let failures = 0;
    while (!stop.aborted) {
      let client: AmiClient;
      try {
        client = await AmiClient.connect(this.#options);
      } catch (error) {
        this.#failedConnects++;
        this.#setState("disconnected", asError(error));
        await this.#pause(++failures);
        continue;
      }
      if (stop.aborted) {
        await client[Symbol.asyncDispose]();
        break;
      }
      failures = 0;
      await this.#follow(client);
      if (!stop.aborted) await this.#pause(1);
    }
    this.#setState("closed", undefined);
  }

  /** Uses a connected client until it closes for good. */
  async #follow(client: AmiClient): Promise<void> {
    this.#client = client;
    this.#epoch = newEpoch();
    this.#connects++;
    const changes = client.stateChanges();
    this.#setState("connected", undefined);
    this.#listener.attached(this, client, this.#epoch);
    for await (const change of changes) {
      if (change.state === "closed") break;
      this.#setState(change.state, change.error);
    }
    const error = await client.closed;
    this.#client = undefined;
    this.#epoch = undefined;
    if (!this.#stopping.signal.aborted) this.#setState("disconnected", error);
  }

  /** Waits before the next connect, with exponential backoff; ends early when stopping. */
  #pause(attempt: number): Promise<void> {
    const policy = typeof this.#options.reconnect === "object" ? this.#options.reconnect : {};
    const initial = policy.initialDelay ?? DEFAULT_RETRY.initialDelay;
    const factor = policy.factor ?? DEFAULT_RETRY.factor;
    const max = policy.maxDelay ?? DEFAULT_RETRY.maxDelay;
    const base = Math.min(max, initial * factor ** Math.max(0, attempt - 1));
    const delay = base * (0.8 + 0.4 * Math.random());
    // Stopping cuts the wait short; the loop then sees the signal.
    return sleep(delay, this.#stopping.signal).catch(() => {});
  }

  #setState(state: AmiConnectionState, error: AmiError | Error | undefined): void {
    if (error !== undefined) this.#lastError = error;
    if (state === this.#state) return;
    this.#state = state;
    this.#since = Date.now();
    this.#listener.changed(this, { state, error: error as AmiError | undefined });
  }
}

/** An id for one client of one PBX: random, so that it differs across processes and restarts. */
function newEpoch(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 12);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
