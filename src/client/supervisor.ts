/**
 * The supervisor of a client made by `AmiClient.connect()`: it keeps the
 * connection alive (keepalive), brings it back when it drops (dialling
 * again with backoff, logging in, restoring filters and the event mask),
 * and holds the actions sent meanwhile.
 *
 * @module
 */

import {
  AmiAuthenticationError,
  AmiConnectionError,
  type AmiError,
  AmiTimeoutError,
} from "../errors.ts";
import { describeError } from "../_util/hooks.ts";
import { sleep } from "../_util/sleep.ts";
import { withTimeout } from "../_util/timeouts.ts";
import type { AmiTransport } from "../transport/types.ts";
import type { AmiOutage } from "../events/gap.ts";
import { backoffDelay } from "./backoff.ts";
import { Keepalive } from "./keepalive.ts";
import type { LifeCycle } from "./life_cycle.ts";
import {
  type AmiConnectOptions,
  type AmiKeepaliveOptions,
  type AmiReconnectOptions,
  DEFAULT_CONNECT_TIMEOUT_MS,
  endpointOf,
  keepaliveSettings,
  loginOf,
  reconnectSettings,
} from "./options.ts";
import { openTransport } from "../transport/open_transport.ts";
import type { ActionRequest } from "./requests.ts";
import type { Session } from "./session.ts";
import { SessionState } from "./session_state.ts";

/** How to open a connection again, and how to keep it up. */
export interface ReconnectPlan {
  /** Opens a new transport to the server. */
  dial: () => Promise<AmiTransport>;
  /** Time, in ms, to connect, read the banner and log in. */
  connectTimeout: number;
  /** Reconnection, with defaults applied; `undefined` when off. */
  reconnect: Required<AmiReconnectOptions> | undefined;
  /** Keepalive, with defaults applied; `undefined` when off. */
  keepalive: Required<AmiKeepaliveOptions> | undefined;
  /** What every new connection gets again: the login, filters and event mask. */
  state: SessionState;
}

/** The plan of a client made by `connect()` with these settings. */
export function reconnectPlanOf(settings: AmiConnectOptions): ReconnectPlan {
  const connectTimeout = settings.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const endpoint = endpointOf(settings);
  return {
    dial: () => openTransport(endpoint, connectTimeout),
    connectTimeout,
    reconnect: reconnectSettings(settings.reconnect),
    keepalive: keepaliveSettings(settings.keepalive),
    state: new SessionState(loginOf(settings)),
  };
}

/**
 * How long a connection must stay up to count as up, in ms, unless it
 * carries a frame after the login first. Until then, a drop is a failed
 * attempt: the backoff keeps growing and `maxAttempts` counts it.
 */
export const STABLE_AFTER_MS = 5_000;

/** An action and its request, held until the connection is back. */
interface HeldAction {
  text: string;
  request: ActionRequest;
}

/** What the supervisor does through the client. */
export interface SupervisedClient {
  readonly life: LifeCycle;
  /** Opens a session over `transport`; it becomes the client's current one. */
  attach(transport: AmiTransport): Session;
  /** Logs in on `session` and restores the session state, sending at once. */
  restore(session: Session): Promise<void>;
  /** Sends a `Ping` at once, with `timeout`. */
  ping(timeout: number): Promise<unknown>;
  /** The reconnect succeeded: the outage it ends, for the state change. */
  restored(): AmiOutage | undefined;
  /** Fails what waits for an answer on the connection that went. */
  connectionLost(error: AmiError): void;
  /** Ends the client with `error`. */
  shutdown(error: AmiError): void;
  /** Writes an action on the current connection. */
  write(text: string, request: ActionRequest): void;
}

/** Keepalive, reconnection and held actions for one client. */
export class Supervisor {
  readonly plan: ReconnectPlan;
  readonly #client: SupervisedClient;
  readonly #stop = new AbortController();
  #held: HeldAction[] = [];
  #keepalive: Keepalive | undefined;
  #attempts = 0;
  /** Attempts made since a connection last counted as up (see `STABLE_AFTER_MS`). */
  #sinceStable = 0;
  /** The connection up now: since when, and how many frames it had then. */
  #up: { session: Session; since: number; frames: number } | undefined;
  /** The reconnect loop under way; settled when none is. */
  #running: Promise<void> = Promise.resolve();

  constructor(plan: ReconnectPlan, client: SupervisedClient) {
    this.plan = plan;
    this.#client = client;
  }

  /** Reconnect attempts so far. */
  get attempts(): number {
    return this.#attempts;
  }

  /** Actions held until the connection is back. */
  get held(): number {
    return this.#held.length;
  }

  /** Whether a dropped connection is brought back. */
  get reconnects(): boolean {
    return this.plan.reconnect !== undefined;
  }

  /** Settles when no reconnect loop runs any more. */
  get idle(): Promise<void> {
    return this.#running;
  }

  /** The connection is up (and logged in): keep it so. */
  up(session: Session): void {
    this.#up = { session, since: performance.now(), frames: session.frames };
    this.#keepalive?.stop();
    const settings = this.plan.keepalive;
    if (settings === undefined) return;
    this.#keepalive = new Keepalive(settings, {
      ping: (timeout) => this.#client.ping(timeout),
      get open() {
        return session.open;
      },
      drop: (error) => void session.abort(error),
    });
  }

  /** The connection dropped with `cause`: bring it back. */
  down(cause: AmiError): void {
    this.#keepalive?.stop();
    const up = this.#up;
    this.#up = undefined;
    const stable = up !== undefined &&
      (up.session.frames > up.frames || performance.now() - up.since >= STABLE_AFTER_MS);
    // A connection that dropped at once, silent, does not end the series of attempts (a flap).
    if (stable) this.#sinceStable = 0;
    this.#running = this.#reconnect(this.plan.reconnect!, cause);
  }

  /** Holds an action until the connection is back, or fails it when the policy says so. */
  hold(text: string, request: ActionRequest): void {
    if (this.plan.reconnect?.whileDisconnected === "fail") {
      request.fail(
        new AmiConnectionError(
          `${request.action} not sent: the client is ${this.#client.life.state}`,
        ),
      );
    } else {
      this.#held.push({ text, request });
    }
  }

  /** Stops everything; held actions fail with `error`. */
  stop(error: AmiError): void {
    this.#keepalive?.stop();
    this.#stop.abort();
    for (const { request } of this.#held) request.fail(error);
    this.#held = [];
  }

  async #reconnect(policy: Required<AmiReconnectOptions>, cause: AmiError): Promise<void> {
    const { life } = this.#client;
    let lastError = cause;
    let loginFailures = 0;
    while (!life.ending) {
      const attempt = ++this.#sinceStable;
      if (attempt > policy.maxAttempts) {
        this.#client.shutdown(
          new AmiConnectionError(`Gave up reconnecting after ${policy.maxAttempts} attempts`, {
            cause: lastError,
          }),
        );
        return;
      }
      if (!await this.#pause(backoffDelay(policy, attempt))) return;
      if (!life.to("reconnecting")) return;
      this.#attempts++;
      const outcome = await this.#attempt();
      if (life.ending) return;
      if (outcome === undefined) {
        life.to("connected", undefined, this.#client.restored());
        this.#flushHeld();
        return;
      }
      lastError = outcome;
      loginFailures = lastError instanceof AmiAuthenticationError ? loginFailures + 1 : 0;
      if (loginFailures >= policy.maxLoginFailures) {
        this.#client.shutdown(lastError);
        return;
      }
      life.to("disconnected", lastError);
    }
  }

  /** Waits `ms` unless stopped; `false` when stopped. */
  async #pause(ms: number): Promise<boolean> {
    try {
      await sleep(ms, this.#stop.signal);
      return true;
    } catch {
      return false;
    }
  }

  /** One attempt: dial, log in, restore. `undefined` when the client is up again, else why not. */
  async #attempt(): Promise<AmiError | undefined> {
    // An attempt that timed out must not attach a connection that completes late.
    const tried = { abandoned: false };
    let session: Session | undefined;
    try {
      await withTimeout(
        (async () => {
          const transport = await this.plan.dial();
          if (this.#client.life.ending || tried.abandoned) {
            transport.close?.();
            return;
          }
          session = this.#client.attach(transport);
          await session.banner;
          await this.#client.restore(session);
          // It may have dropped again while the filters were going out.
          if (!session.open) throw new AmiConnectionError("The connection dropped again at once");
        })(),
        this.plan.connectTimeout,
        () =>
          new AmiTimeoutError(
            `Connecting and logging in took longer than ${this.plan.connectTimeout} ms`,
          ),
      );
      if (session !== undefined) this.up(session);
      return undefined;
    } catch (error) {
      tried.abandoned = true;
      const failure = asAmiError(error);
      await session?.abort(failure);
      this.#client.connectionLost(failure);
      return failure;
    }
  }

  #flushHeld(): void {
    const held = this.#held;
    this.#held = [];
    for (const { text, request } of held) {
      if (!request.settled) this.#client.write(text, request);
    }
  }
}

function asAmiError(error: unknown): AmiError {
  return error instanceof AmiConnectionError || error instanceof AmiTimeoutError ||
      error instanceof AmiAuthenticationError
    ? error
    : new AmiConnectionError(`Reconnecting failed: ${describeError(error)}`, { cause: error });
}
