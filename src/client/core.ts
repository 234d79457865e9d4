/**
 * The inside of an {@linkcode AmiClient}: the parts it is made of, wired
 * together, and the few things that need several of them: sending an
 * action (registry, session, supervisor), the end of a connection (what
 * fails, then reconnect or end, by phase) and the end of the client.
 *
 * @module
 */

import { AmiConnectionError, type AmiError, AmiProtocolError } from "../errors.ts";
import { Backlog } from "../connection/read_pacer.ts";
import { EventHub } from "../events/event_hub.ts";
import { DEFAULT_EVENT_BUFFER_SIZE } from "../events/event_stream.ts";
import { callUserHook, describeError } from "../_util/hooks.ts";
import type { AmiTransport } from "../transport/types.ts";
import { type AmiAction, serializeActionWithId } from "../wire/encoder.ts";
import type { AmiMessage } from "../wire/message.ts";
import type { AmiWireFrame } from "../wire/wire_tap.ts";
import { ActionRegistry } from "./action_registry.ts";
import { LifeCycle } from "./life_cycle.ts";
import { logIn } from "./login.ts";
import {
  type AmiClientOptions,
  type AmiSendOptions,
  DEFAULT_ACTION_TIMEOUT_MS,
} from "./options.ts";
import {
  type ActionRequest,
  lostConnectionError,
  type PendingRequest,
  type RequestSettings,
  SingleResponseRequest,
} from "./requests.ts";
import { EventSelection } from "./event_selection.ts";
import { Session } from "./session.ts";
import { type ReconnectPlan, Supervisor } from "./supervisor.ts";

/** The parts of one client, wired together. */
export class ClientCore {
  readonly options: AmiClientOptions;
  readonly actionTimeout: number;
  readonly registry: ActionRegistry = new ActionRegistry();
  readonly #backlog = new Backlog();
  readonly hub: EventHub;
  /** What the server sends: the event mask, and derived filters with `serverFilters: "auto"`. */
  readonly selection: EventSelection;
  readonly life: LifeCycle;
  /** Keepalive and reconnection: only for clients made by `connect()`. */
  readonly supervisor: Supervisor | undefined;
  /** Settles when the client has closed, with the error that closed it. */
  readonly closed: Promise<AmiError | undefined>;
  #resolveClosed!: (error: AmiError | undefined) => void;
  #session: Session;
  #hookErrors = 0;
  /** The `seq` of the last message read, on any connection of this client. */
  #seq = 0;
  readonly #sequence = (): number => ++this.#seq;

  /**
   * @param transport The first connection.
   * @param options The user's options.
   * @param plan How to dial again: given by `connect()` only.
   */
  constructor(transport: AmiTransport, options: AmiClientOptions, plan?: ReconnectPlan) {
    this.options = options;
    const held = options.heldEvents ?? DEFAULT_EVENT_BUFFER_SIZE;
    if (!Number.isInteger(held) || held < 0) {
      throw new RangeError(
        `The heldEvents option must be a whole number of at least 0, not ${held}`,
      );
    }
    this.hub = new EventHub(this.#backlog, held);
    this.selection = new EventSelection({
      send: (action) => this.sendNow(action, {}),
      consumerFilters: () => this.hub.filters(),
      releaseHold: () => this.hub.releaseHold(),
      report: (error) => this.report(error),
    }, options.serverFilters === "auto");
    this.actionTimeout = options.actionTimeout ?? DEFAULT_ACTION_TIMEOUT_MS;
    this.closed = new Promise((resolve) => this.#resolveClosed = resolve);
    this.life = new LifeCycle(plan === undefined ? "connected" : "connecting");
    const onStateChange = options.onStateChange;
    this.life.listen((change) =>
      callUserHook(onStateChange, change, (error) => this.hookThrew("onStateChange", error))
    );
    this.supervisor = plan === undefined ? undefined : new Supervisor(plan, {
      life: this.life,
      attach: (next) => this.attach(next),
      restore: (session) => this.restore(session),
      restored: () => this.hub.takeOutage(),
      ping: (timeout) => this.sendNow({ Action: "Ping" }, { timeout }),
      connectionLost: (error) => this.registry.failAll(lostConnectionError(error)),
      shutdown: (error) => this.shutdown(error),
      write: (text, request) => this.#session.write(text, request),
    });
    this.#session = this.attach(transport);
  }

  /** The session on the current connection. */
  get session(): Session {
    return this.#session;
  }

  /** User hooks that threw so far. */
  get hookErrors(): number {
    return this.#hookErrors;
  }

  // ---- sending ----------------------------------------------------------

  settings(id: string, action: AmiAction, options: AmiSendOptions): RequestSettings {
    return {
      id,
      action: String(action?.Action),
      timeoutMs: options.timeout ?? this.actionTimeout,
      signal: options.signal,
      deadlines: this.registry.deadlines,
    };
  }

  /** Checks an action, gives it its ActionID and makes its request; throws on a bad action. */
  prepare<R extends ActionRequest>(
    action: AmiAction,
    options: AmiSendOptions,
    create: (settings: RequestSettings) => R,
  ): { text: string; request: R } {
    if (this.life.ending) throw new AmiConnectionError("The client is closed");
    const id = this.registry.idFor(action);
    const text = serializeActionWithId(action, id);
    return { text, request: create(this.settings(id, action, options)) };
  }

  /** Sends on the current connection, whatever the state: logins, restores, pings, logoff. */
  sendNow(action: AmiAction, options: AmiSendOptions): Promise<AmiMessage> {
    try {
      const { text, request } = this.prepare(action, options, singleResponse);
      this.#session.write(text, request);
      return request.promise;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Sends when connected; while the connection is being replaced, the supervisor holds it. */
  sendWhenConnected<T>(
    action: AmiAction,
    options: AmiSendOptions,
    create: (settings: RequestSettings) => PendingRequest<T>,
  ): Promise<T> {
    try {
      const { text, request } = this.prepare(action, options, create);
      this.dispatch(text, request);
      return request.promise;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  dispatch(text: string, request: ActionRequest): void {
    const supervisor = this.supervisor;
    const up = this.life.state === "connected" && this.#session.open;
    if (up || supervisor === undefined || !supervisor.reconnects) {
      this.#session.write(text, request);
    } else {
      // Down, or a dead connection being dropped: it waits for the next one (or fails, by policy).
      supervisor.hold(text, request);
    }
  }

  // ---- the connection's life ---------------------------------------------

  attach(transport: AmiTransport): Session {
    const userWire = this.options.onWire;
    const session = new Session(transport, {
      registry: this.registry,
      hub: this.hub,
      report: (error) => this.report(error),
      onWire: userWire === undefined
        ? undefined
        : (frame: AmiWireFrame) =>
          callUserHook(userWire, frame, (error) => this.hookThrew("onWire", error)),
      closed: (closed, error) => this.#sessionClosed(closed, error),
    }, {
      maxFrameBytes: this.options.maxFrameBytes,
      banner: this.options.banner,
      backlog: this.#backlog,
      maxQueuedBytes: this.options.maxWriteQueueBytes,
      sequence: this.#sequence,
    });
    this.#session = session;
    return session;
  }

  /**
   * Reads the banner, logs in and restores the session on a new connection:
   * the login (with events off when the client sets the mask, or after a
   * drop), the user's filters, the mask, then what the consumers need.
   */
  async restore(session: Session): Promise<void> {
    const state = this.supervisor!.plan.state;
    await session.banner;
    const send = (action: AmiAction) => this.sendNow(action, {});
    // Again after a drop: events off at the login, the filters, then the mask, so no unfiltered
    // burst crosses the window.
    const again = this.life.phase === "reconnecting";
    this.selection.down();
    await logIn(send, this.selection.loginOptions(state.credentials, again));
    session.setLoggedIn(true);
    // The link is back: consumers' markers go in before any event of the new connection.
    this.hub.linkBack();
    await state.replayFilters(send, again, (filter, error) =>
      this.report(
        new AmiProtocolError(
          `The filter ${JSON.stringify(filter.Filter ?? filter.MatchCriteria ?? "")} was refused ` +
            `on the new connection; its events are not filtered by the server: ${
              describeError(error)
            }`,
          "filter-refused",
          undefined,
          { cause: error },
        ),
      ));
    if (!this.selection.ownsMask) await state.replayMask(send, again);
    await this.selection.restore();
  }

  /**
   * A connection is gone. On the current one: what waits for an answer
   * fails; then, by phase, the client reconnects (connected, with
   * reconnection on, and an error), or ends (any other way, connecting or
   * logging off). While reconnecting, the attempt under way learns of it by
   * itself; while ending, nothing is left to do.
   */
  #sessionClosed(session: Session, error: AmiError | undefined): void {
    if (session !== this.#session) return;
    this.registry.failAll(lostConnectionError(error));
    this.selection.down();
    const phase = this.life.phase;
    const supervisor = this.supervisor;
    if (phase === "connected" && error !== undefined && supervisor?.reconnects === true) {
      this.hub.connectionLost();
      this.life.to("disconnected", error);
      supervisor.down(error);
    } else if (phase === "connected" || phase === "connecting") {
      this.shutdown(error);
    } else if (phase === "loggingOff") {
      this.shutdown(undefined);
    }
  }

  /** Ends the client: fails what waits, ends consumers, releases the connection. */
  shutdown(error: AmiError | undefined): void {
    if (!this.life.to("closing", error)) return;
    const lost = lostConnectionError(error);
    this.registry.failAll(lost);
    this.supervisor?.stop(lost);
    this.selection.close(lost);
    this.hub.close(error);
    Promise.all([this.#session.close(), this.supervisor?.idle]).finally(() => {
      this.life.to("closed", error);
      this.#resolveClosed(error);
    });
  }

  report(error: AmiProtocolError): void {
    callUserHook(this.options.onProtocolError, error, () => this.#hookErrors++);
  }

  hookThrew(hook: string, thrown: unknown): void {
    this.#hookErrors++;
    this.report(
      new AmiProtocolError(
        `The ${hook} hook threw: ${describeError(thrown)}`,
        "hook-error",
        undefined,
        {
          cause: thrown,
        },
      ),
    );
  }
}

/** Makes the request of an action answered by one response. */
export function singleResponse(settings: RequestSettings): SingleResponseRequest {
  return new SingleResponseRequest(settings);
}
