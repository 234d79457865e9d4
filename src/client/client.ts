/**
 * {@linkcode AmiClient}: actions, event lists, events and the connection's
 * life, over any byte stream pair.
 *
 * @module
 */

import { md5LoginKey } from "./login.ts";
import { Connection } from "../connection/connection.ts";
import { Deadlines } from "../_util/deadlines.ts";
import { type AmiAction, serializeActionWithId } from "../wire/encoder.ts";
import {
  AmiActionError,
  AmiAuthenticationError,
  AmiConnectionError,
  type AmiError,
  AmiProtocolError,
  AmiTimeoutError,
} from "../errors.ts";
import {
  type AmiEventFilter,
  type AmiEventsOptions,
  type AmiEventStream,
  type AmiGap,
  EventHub,
} from "../events/events.ts";
import { AmiList, type AmiListResult } from "./list.ts";
import type { AmiConnectionState, AmiStateChange } from "./state.ts";

export type { AmiConnectionState, AmiStateChange } from "./state.ts";
import { type AmiMessage, messageActionId, messageKind } from "../wire/message.ts";
import {
  type AmiClientOptions,
  type AmiConnectOptions,
  type AmiKeepaliveOptions,
  type AmiLoginOptions,
  type AmiReconnectOptions,
  backoffDelay,
  DEFAULT_ACTION_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  endpointOf,
  keepaliveSettings,
  loginOf,
  parseAmiUrl,
  reconnectSettings,
} from "./options.ts";
import {
  connectionLost,
  failAll,
  ListRequest,
  OriginateRequest,
  type PendingRequest,
  type RequestSettings,
  ResponseRequest,
} from "./requests.ts";
import { type AmiTransport, openTransport } from "../transport/open_transport.ts";
import type {
  AmiActionInput,
  AmiEvent,
  AmiEventOf,
  AmiListCompleteOf,
  AmiListItemOf,
  AmiResponse,
  AmiResponseOf,
} from "../types/maps.ts";

/**
 * Per-action options.
 *
 * @example
 * ```ts
 * import type { AmiSendOptions } from "@x/ami";
 * const options: AmiSendOptions = { timeout: 2_000, signal: AbortSignal.timeout(5_000) };
 * console.assert(options.timeout === 2_000);
 * ```
 */
export interface AmiSendOptions {
  /** Time, in ms, to wait for the answer; defaults to the client's `actionTimeout`. */
  timeout?: number;
  /** Stops waiting when aborted (the action may still run on the server). */
  signal?: AbortSignal;
}

/**
 * Counters of {@linkcode AmiClient.stats}.
 *
 * @example
 * ```ts
 * import type { AmiClientStats } from "@x/ami";
 * const idle: AmiClientStats = {
 *   pendingActions: 0,
 *   waitingActions: 0,
 *   eventConsumers: 0,
 *   bufferedEvents: 0,
 *   reconnectAttempts: 0,
 * };
 * console.assert(idle.pendingActions === 0);
 * ```
 */
export interface AmiClientStats {
  /** Actions sent and not yet answered. */
  readonly pendingActions: number;
  /** Actions held until the connection is back (reconnection on, `whileDisconnected: "wait"`). */
  readonly waitingActions: number;
  /** `events()` consumers attached. */
  readonly eventConsumers: number;
  /** Events buffered for consumers, all together. */
  readonly bufferedEvents: number;
  /** Reconnect attempts since the client was created. */
  readonly reconnectAttempts: number;
}

/** Options the client keeps after `connect()`, with defaults applied. */
interface Lifeline {
  dial: () => Promise<AmiTransport>;
  connectTimeout: number;
  reconnect: Required<AmiReconnectOptions> | undefined;
  keepalive: Required<AmiKeepaliveOptions> | undefined;
}

/** An action and its request, waiting for the connection to come back. */
interface Deferred {
  text: string;
  request: PendingRequest<unknown>;
}

/** The options of an action sent without any: one object for every such send. */
const NO_OPTIONS: AmiSendOptions = Object.freeze({});

/** Makes the request for an action answered by one response (one function for every send). */
function newResponseRequest(settings: RequestSettings): ResponseRequest {
  return new ResponseRequest(settings);
}

/**
 * An AMI client over any byte stream pair.
 *
 * Actions are matched to their responses by ActionID, so any number may be
 * in flight. The reader always drains the socket; each event consumer has a
 * bounded buffer of its own.
 *
 * @example Connect, ping, and leave (logging off) at the end of the scope
 * ```ts
 * import { AmiClient } from "@x/ami";
 * import { AmiTestServer } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer();
 * server.listen();
 * // In production: AmiClient.connect("ami://admin:amp111@pbx.example.net:5038")
 * await using client = await AmiClient.connect(server.url);
 * const pong = await client.send({ Action: "Ping" });
 * console.assert(pong.Ping === "Pong");
 * ```
 *
 * @example Over any stream pair (here the in-process test server)
 * ```ts
 * import { AmiClient } from "@x/ami";
 * import { AmiTestServer } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer({ users: { admin: "amp111" } });
 * await using client = new AmiClient(server.connect());
 * await client.login({ username: "admin", secret: "amp111" });
 * console.assert((await client.send({ Action: "Ping" })).Ping === "Pong");
 * ```
 */
export class AmiClient implements AsyncDisposable {
  readonly #options: AmiClientOptions;
  readonly #actionTimeout: number;
  readonly #hub = new EventHub();
  readonly #pending = new Map<string, PendingRequest<unknown>>();
  readonly #deadlines = new Deadlines();
  readonly #idPrefix: string;
  #nextId = 0;
  #connection: Connection | undefined;
  #banner: string | undefined;
  #state: AmiConnectionState;
  #lifeline: Lifeline | undefined;
  #credentials: AmiLoginOptions | undefined;
  #loggedIn = false;
  #loggingOff = false;
  /** `Filter` actions the user applied, and the last `Events` mask: re-applied after a reconnect. */
  #filters: AmiAction[] = [];
  #eventMask: AmiAction | undefined;
  #deferred: Deferred[] = [];
  #keepaliveTimer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #wakeRetry: (() => void) | undefined;
  #reconnecting: Promise<void> | undefined;
  #stateListeners = new Set<(change: AmiStateChange) => void>();
  #reconnects = 0;
  #closing = false;
  #closeError: AmiError | undefined;
  readonly #closed: Promise<AmiError | undefined>;
  #resolveClosed!: (error: AmiError | undefined) => void;

  /**
   * Creates a client over an open transport. Log in with
   * {@linkcode AmiClient.login}; {@linkcode AmiClient.connect} does all of
   * it over TCP or TLS.
   *
   * @param transport The byte streams to the server (a `Deno.Conn` is one).
   * @param options Timeouts, limits and hooks.
   */
  constructor(transport: AmiTransport, options: AmiClientOptions = {}) {
    this.#options = options;
    this.#actionTimeout = options.actionTimeout ?? DEFAULT_ACTION_TIMEOUT_MS;
    // Short, so that an ActionID (prefix and counter) stays under 13 characters for the first
    // 78 billion actions: the engine then builds it as one flat string, not a pair to join later.
    this.#idPrefix = `${crypto.randomUUID().slice(0, 4)}.`;
    this.#closed = new Promise((resolve) => this.#resolveClosed = resolve);
    this.#state = "connected";
    this.#attach(transport);
  }

  /**
   * Connects over TCP (`ami://`) or TLS (`amis://`), reads the banner, logs
   * in, and resolves when the client is ready.
   *
   * @param target An `ami://user:secret@host:port` URL, or options.
   * @param options Options added to (and overriding) what the URL says.
   * @returns A logged-in client.
   * @throws {AmiConnectionError} when the server cannot be reached or is not AMI.
   * @throws {AmiAuthenticationError} when the login is refused.
   * @throws {AmiTimeoutError} when it all takes longer than `connectTimeout`.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url, {
   *   reconnect: true,
   *   keepalive: { interval: 30_000 },
   * });
   * console.assert(client.state === "connected");
   * ```
   */
  static async connect(
    target: string | URL | AmiConnectOptions,
    options: Partial<AmiConnectOptions> = {},
  ): Promise<AmiClient> {
    const settings: AmiConnectOptions = typeof target === "string" || target instanceof URL
      ? { ...parseAmiUrl(target), ...options }
      : { ...target, ...options };
    const connectTimeout = settings.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const endpoint = endpointOf(settings);
    const dial = () => openTransport(endpoint, connectTimeout);
    const client = new AmiClient(await dial(), settings);
    client.#lifeline = {
      dial,
      connectTimeout,
      reconnect: reconnectSettings(settings.reconnect),
      keepalive: keepaliveSettings(settings.keepalive),
    };
    client.#state = "connecting";
    try {
      await client.#withinConnectTimeout(async () => {
        await client.#connection!.banner;
        await client.login(loginOf(settings));
      });
    } catch (error) {
      await client.close();
      throw error;
    }
    client.#setState("connected");
    client.#startKeepalive();
    return client;
  }

  /**
   * The server's banner line (`Asterisk Call Manager/13.0.0`), once read.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * console.assert(client.banner === "Asterisk Call Manager/13.0.0");
   * ```
   */
  get banner(): string | undefined {
    return this.#banner;
  }

  /**
   * The connection's state.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * if (client.state === "connected") await client.send({ Action: "Ping" });
   * ```
   */
  get state(): AmiConnectionState {
    return this.#state;
  }

  /**
   * Whether a login succeeded and no logoff followed.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * console.assert(client.loggedIn);
   * ```
   */
  get loggedIn(): boolean {
    return this.#loggedIn;
  }

  /**
   * Counters for monitoring: actions waiting for an answer, actions waiting
   * for the connection to come back, event consumers, events buffered for
   * them, and reconnect attempts so far.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * const ping = client.send({ Action: "Ping" });
   * console.assert(client.stats.pendingActions === 1);
   * await ping;
   * console.assert(client.stats.pendingActions === 0);
   * ```
   */
  get stats(): AmiClientStats {
    return {
      pendingActions: this.#pending.size,
      waitingActions: this.#deferred.length,
      eventConsumers: this.#hub.size,
      bufferedEvents: this.#hub.buffered,
      reconnectAttempts: this.#reconnects,
    };
  }

  /**
   * Settles when the client has closed and released everything: with the
   * error that closed it, or `undefined` for a close that was asked for. It
   * never rejects.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * await client.close();
   * const reason = await client.closed;
   * console.assert(reason === undefined); // closed as asked, not by an error
   * ```
   */
  get closed(): Promise<AmiError | undefined> {
    return this.#closed;
  }

  /**
   * Follows the connection's state: yields each change from now on, and ends
   * after `closed`.
   *
   * @param options `signal` ends the iteration.
   * @returns An iterator of changes.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * const following = (async () => {
   *   for await (const { state, error } of client.stateChanges()) {
   *     console.log("AMI is", state, error?.message ?? "");
   *   }
   * })();
   * await client.close();
   * await following;
   * ```
   */
  async *stateChanges(options: { signal?: AbortSignal } = {}): AsyncGenerator<AmiStateChange> {
    if (this.#state === "closed") return;
    const queue: AmiStateChange[] = [];
    let wake: (() => void) | undefined;
    const listener = (change: AmiStateChange) => {
      queue.push(change);
      wake?.();
    };
    const onAbort = () => wake?.();
    this.#stateListeners.add(listener);
    options.signal?.addEventListener("abort", onAbort);
    try {
      while (!options.signal?.aborted) {
        const change = queue.shift();
        if (change === undefined) {
          await new Promise<void>((resolve) => wake = resolve);
          wake = undefined;
          continue;
        }
        yield change;
        if (change.state === "closed") return;
      }
    } finally {
      this.#stateListeners.delete(listener);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Logs in: by MD5 challenge-response (the default, the secret never
   * crosses the wire) or in plain text.
   *
   * @param options User, secret, method and the `Events` value.
   * @returns The server's `Authentication accepted` response.
   * @throws {AmiAuthenticationError} when the login is refused; Asterisk then
   *   closes the connection (after about a second).
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer({ users: { admin: "amp111" } });
   * await using client = new AmiClient(server.connect());
   * await client.login({ username: "admin", secret: "amp111", events: "call,system" });
   * console.assert(client.loggedIn);
   * ```
   */
  async login(options: AmiLoginOptions): Promise<AmiResponse> {
    const { username, secret } = options;
    const events = options.events === undefined
      ? undefined
      : options.events === true
      ? "on"
      : options.events === false
      ? "off"
      : options.events;
    let response: AmiMessage;
    try {
      if (options.auth === "plain") {
        response = await this.#send(
          { Action: "Login", Username: username, Secret: secret, Events: events },
          {},
          true,
        );
      } else {
        const challenge = await this.#send({ Action: "Challenge", AuthType: "MD5" }, {}, true);
        const key = md5LoginKey(challenge.get("Challenge") ?? "", secret);
        response = await this.#send(
          { Action: "Login", AuthType: "MD5", Username: username, Key: key, Events: events },
          {},
          true,
        );
      }
    } catch (error) {
      if (error instanceof AmiActionError) {
        const reason = error.response.get("Message") ?? "refused";
        throw new AmiAuthenticationError(
          `login as "${username}" failed: ${reason}`,
          error.response,
        );
      }
      throw error;
    }
    this.#credentials = { ...options };
    this.#loggedIn = true;
    return response as AmiResponse;
  }

  /**
   * Logs off (`Response: Goodbye`), then closes the client.
   *
   * @param options Timeout and signal for the `Logoff` action.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * await client.logoff();
   * console.assert(client.state === "closed");
   * ```
   */
  async logoff(options: AmiSendOptions = {}): Promise<void> {
    this.#loggingOff = true;
    try {
      await this.#send({ Action: "Logoff" }, options, true);
      this.#loggedIn = false;
    } finally {
      await this.close();
    }
  }

  /**
   * Sends an action and resolves with its response. Any number of actions
   * may be in flight; an ActionID is added when the action has none.
   *
   * @param action The action, e.g. `{ Action: "Ping" }`.
   * @param options Timeout and abort signal.
   * @returns The response.
   * @throws {AmiActionError} on `Response: Error`, with the response.
   * @throws {AmiTimeoutError} when no response comes in time.
   * @throws {AmiConnectionError} when the connection is lost first.
   * @throws {TypeError} when a field cannot be written safely (CR, LF, …).
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * server.handle("Getvar", () => ({ Value: "PJSIP/trunk" }));
   * await using client = await AmiClient.connect(server.url);
   * const { Value } = await client.send({ Action: "Getvar", Variable: "GLOBAL(TRUNK)" });
   * console.assert(Value === "PJSIP/trunk");
   * ```
   */
  send<N extends string>(
    action: AmiActionInput<N>,
    options: AmiSendOptions = NO_OPTIONS,
  ): Promise<AmiResponseOf<N>> {
    const sent = this.#send(action, options, false);
    // Only Filter and Events change what a reconnect restores; any other answer goes as it is.
    if (!mayBeRemembered(action)) return sent as Promise<AmiResponseOf<N>>;
    return sent.then((response) => {
      this.#remember(action, response);
      return response as AmiResponseOf<N>;
    });
  }

  /**
   * Sends an action that answers with an event list and resolves with the
   * response and every item, once the list is complete.
   *
   * @param action The action, e.g. `{ Action: "CoreShowChannels" }`.
   * @param options Timeout (for the whole list) and abort signal.
   * @returns The response, the items and the closing event.
   * @throws {AmiActionError} on `Response: Error`.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer, eventList } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * server.handle("CoreShowChannels", () => eventList([{ Event: "CoreShowChannel", Channel: "PJSIP/100-00000001", Duration: "00:01:02" }]));
   * await using client = await AmiClient.connect(server.url);
   * const { items } = await client.sendList({ Action: "CoreShowChannels" });
   * for (const channel of items) console.log(channel.Channel, channel.Duration);
   * ```
   */
  async sendList<N extends string>(
    action: AmiActionInput<N>,
    options: AmiSendOptions = {},
  ): Promise<AmiListResult<AmiListItemOf<N>, AmiResponseOf<N>, AmiListCompleteOf<N>>> {
    const result = await this.#submit(
      action,
      options,
      false,
      (settings) => new ListRequest(settings, { keepItems: true }),
    );
    return result as unknown as AmiListResult<
      AmiListItemOf<N>,
      AmiResponseOf<N>,
      AmiListCompleteOf<N>
    >;
  }

  /**
   * Sends an action that answers with an event list and yields the items as
   * they arrive. `result.items` stays empty: the items went to the iterator.
   *
   * @param action The action.
   * @param options Timeout (for the whole list) and abort signal.
   * @returns The list, to iterate.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer, eventList } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * server.handle("QueueStatus", () => eventList([{ Event: "QueueParams", Queue: "support" }]));
   * await using client = await AmiClient.connect(server.url);
   * for await (const entry of client.streamList({ Action: "QueueStatus" })) {
   *   console.log(entry.Event, entry.Queue);
   * }
   * ```
   */
  streamList<N extends string>(
    action: AmiActionInput<N>,
    options: AmiSendOptions = {},
  ): AmiList<AmiListItemOf<N>, AmiResponseOf<N>, AmiListCompleteOf<N>> {
    let onItem: (item: AmiMessage) => void = () => {};
    let resolveResponse!: (response: AmiMessage) => void;
    const response = new Promise<AmiMessage>((resolve) => resolveResponse = resolve);
    const result = this.#submit(
      action,
      options,
      false,
      (settings) =>
        new ListRequest(settings, {
          keepItems: false,
          onItem: (item) => onItem(item),
          onResponse: resolveResponse,
        }),
    );
    const responseOrError = Promise.race([response, result.then((parts) => parts.response)]);
    return new AmiList(responseOrError, result, (sink) => onItem = sink);
  }

  /**
   * Runs a CLI command and resolves with its output, one string per line.
   * Works with both reply formats (`Output:` lines, and the
   * `Response: Follows` … `--END COMMAND--` of Asterisk 13 and older).
   *
   * @param command The CLI command, e.g. `core show channels`.
   * @param options Timeout and abort signal.
   * @returns The output lines.
   * @throws {AmiActionError} when the command fails (`Response: Error`);
   *   its response holds the output.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * server.command("core show uptime", () => "System uptime: 5 minutes\n");
   * await using client = await AmiClient.connect(server.url);
   * const lines = await client.command("core show uptime");
   * console.assert(lines[0] === "System uptime: 5 minutes");
   * ```
   */
  async command(command: string, options: AmiSendOptions = {}): Promise<string[]> {
    const response = await this.#send({ Action: "Command", Command: command }, options, false);
    return response.getAll("Output");
  }

  /**
   * Originates a call with `Async: true` and resolves with its
   * `OriginateResponse` event once the call was answered (or rejects when
   * it failed). The event is delivered to event consumers as well.
   *
   * @param action The `Originate` action (without `Async`; it is set).
   * @param options `timeout` covers the whole wait; it defaults to the
   *   action timeout plus the action's own `Timeout` (30 s when unset).
   * @returns The `OriginateResponse` event with `Response: Success`.
   * @throws {AmiActionError} when Asterisk refuses the action, or the call
   *   fails (`Response: Failure`; the event is in `response`).
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * server.handle("Originate", (action, session) => {
   *   session.emit({ Event: "OriginateResponse", ActionID: action.actionId!, Response: "Success", Uniqueid: "1.1" });
   *   return { Message: "Originate successfully queued" };
   * });
   * await using client = await AmiClient.connect(server.url);
   * const done = await client.originate({
   *   Action: "Originate",
   *   Channel: "PJSIP/100",
   *   Context: "from-internal",
   *   Exten: "200",
   *   Priority: 1,
   * });
   * console.assert(done.Uniqueid === "1.1");
   * ```
   */
  originate<N extends "Originate">(
    action: AmiActionInput<N>,
    options: AmiSendOptions = {},
  ): Promise<AmiEventOf<"OriginateResponse">> {
    const answerMs = Number(action.Timeout ?? 30_000);
    const timeout = options.timeout ??
      this.#actionTimeout + (Number.isFinite(answerMs) ? answerMs : 30_000);
    return this.#submit(
      { ...action, Async: "true" },
      { ...options, timeout },
      false,
      (settings) => new OriginateRequest(settings),
    ) as Promise<AmiEventOf<"OriginateResponse">>;
  }

  /**
   * Iterates events: all of them, or those a filter picks. Every call makes
   * an independent consumer with its own bounded buffer; a consumer that
   * falls behind by more than `bufferSize` events learns it (see
   * {@linkcode AmiEventsOptions.gaps}) without slowing the others.
   * Events that belong to an event list requested with `sendList` or
   * `streamList` go to that request only.
   *
   * @param filter A name, names, header matches or a predicate.
   * @param options Buffer size, gap handling, abort signal.
   * @returns An async iterator of events.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * const hangups = client.events({ Event: "Hangup", Channel: /^PJSIP\// });
   * server.emit({ Event: "Hangup", Channel: "PJSIP/100-00000001", Cause: "16" });
   * for await (const ev of hangups) {
   *   console.log(ev.Channel, ev.Cause);
   *   break; // leaving the loop detaches the consumer
   * }
   * ```
   */
  events<N extends string = string>(
    filter: AmiEventFilter<N> | undefined,
    options: AmiEventsOptions & { gaps: true },
  ): AmiEventStream<AmiEventOf<N> | AmiGap>;
  /**
   * Iterates events (see the overload with `gaps: true`).
   *
   * @param filter A name, names, header matches or a predicate.
   * @param options Buffer size, abort signal.
   * @returns An async iterator of events.
   */
  events<N extends string = string>(
    filter?: AmiEventFilter<N>,
    options?: AmiEventsOptions & { gaps?: false },
  ): AmiEventStream<AmiEventOf<N>>;
  events(
    filter?: AmiEventFilter,
    options: AmiEventsOptions = {},
  ): AmiEventStream<AmiEvent> | AmiEventStream<AmiEvent | AmiGap> {
    const bufferSize = options.bufferSize ?? this.#options.eventBufferSize;
    return this.#hub.subscribe(
      filter,
      bufferSize === undefined ? options : { ...options, bufferSize },
    );
  }

  /**
   * Closes the connection at once, without logging off. Pending actions
   * reject with {@linkcode AmiConnectionError}; event iterators end once
   * their buffered events are read. Safe to call more than once.
   *
   * @returns When everything is released.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * await client.close();
   * console.assert(client.state === "closed");
   * ```
   */
  async close(): Promise<void> {
    this.#shutdown(undefined);
    await this.#closed;
  }

  /**
   * Logs off when logged in, then closes; errors while logging off are
   * ignored. Idempotent. This is what `await using` calls.
   *
   * @returns When everything is released.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * {
   *   await using client = await AmiClient.connect(server.url);
   *   await client.send({ Action: "Ping" });
   * } // logged off and closed here
   * console.assert(server.received.some((action) => action.name === "Logoff"));
   * ```
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#loggedIn && this.#state === "connected" && !this.#closing) {
      try {
        await this.logoff({ timeout: Math.min(this.#actionTimeout, 2_000) });
      } catch {
        // The connection may already be going; closing is what matters now.
      }
    }
    await this.close();
  }

  // ---- sending ----------------------------------------------------------

  #send(action: AmiAction, options: AmiSendOptions, internal: boolean): Promise<AmiMessage> {
    return this.#submit(action, options, internal, newResponseRequest);
  }

  /** Validates, registers and writes an action; waits for the connection when it is down. */
  #submit<T>(
    action: AmiAction,
    options: AmiSendOptions,
    internal: boolean,
    create: (settings: RequestSettings) => PendingRequest<T>,
  ): Promise<T> {
    try {
      if (this.#closing) throw new AmiConnectionError("the client is closed");
      const id = this.#actionIdFor(action);
      const text = serializeActionWithId(action, id);
      const request = create({
        id,
        action: action.Action,
        timeoutMs: options.timeout ?? this.#actionTimeout,
        signal: options.signal,
        deadlines: this.#deadlines,
      });
      if (internal || this.#state === "connected") {
        this.#write(text, request as PendingRequest<unknown>);
      } else if (this.#lifeline?.reconnect?.whileDisconnected === "fail") {
        request.fail(
          new AmiConnectionError(`${action.Action} not sent: the client is ${this.#state}`),
        );
      } else {
        this.#deferred.push({ text, request: request as PendingRequest<unknown> });
      }
      return request.promise;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #write(text: string, request: PendingRequest<unknown>): void {
    const connection = this.#connection;
    if (connection === undefined || !connection.open) {
      request.fail(new AmiConnectionError(`${request.action} not sent: the connection is down`));
      return;
    }
    if (this.#pending.has(request.id)) {
      // Two actions held while the link was down may have been given the same ActionID.
      request.fail(new TypeError(`the ActionID "${request.id}" is already in flight`));
      return;
    }
    request.register(this.#pending);
    connection.write(text);
  }

  #actionIdFor(action: AmiAction): string {
    const given = action.ActionID;
    if (given === undefined) return this.#idPrefix + (++this.#nextId).toString(36);
    if (typeof given !== "string" && typeof given !== "number") {
      throw new TypeError("the ActionID must be a string or a number");
    }
    const id = String(given);
    // Asterisk strips leading white space from values, so such an ID would never match.
    if (id.trim() !== id || id.length === 0) {
      throw new TypeError(
        `the ActionID ${JSON.stringify(id)} must be non-empty without outer spaces`,
      );
    }
    if (this.#pending.has(id)) throw new TypeError(`the ActionID "${id}" is already in flight`);
    return id;
  }

  /** Keeps what a reconnect must restore: filters and the event mask the user set. */
  #remember(action: AmiAction, response: AmiMessage): void {
    const name = action.Action.toLowerCase();
    if (name === "filter" && response.get("Response")?.toLowerCase() === "success") {
      const { ActionID: _, ...filter } = action;
      this.#filters.push(filter as AmiAction);
    } else if (name === "events") {
      const { ActionID: _, ...mask } = action;
      this.#eventMask = mask as AmiAction;
    }
  }

  // ---- receiving --------------------------------------------------------

  #onMessage = (message: AmiMessage): void => {
    switch (messageKind(message)) {
      case "event": {
        if (this.#pending.size > 0) {
          const id = messageActionId(message);
          if (id !== undefined && this.#pending.get(id)?.onEvent(message) === true) return;
        }
        this.#hub.publish(message);
        return;
      }
      case "response": {
        const id = messageActionId(message);
        const request = id === undefined ? undefined : this.#pending.get(id);
        if (request !== undefined) {
          request.onResponse(message);
        } else {
          this.#onProtocolError(
            new AmiProtocolError(
              id === undefined
                ? "a response without an ActionID was dropped: it cannot be matched to an action"
                : `a response for ActionID "${id}" was dropped: no action is waiting for it`,
              "unroutable-response",
              message,
            ),
          );
        }
        return;
      }
      default:
        this.#onProtocolError(
          new AmiProtocolError(
            `a frame that is neither a response nor an event was dropped (it starts with "${
              message.fields()[0]?.[0] ?? ""
            }")`,
            "unknown-frame",
            message,
          ),
        );
    }
  };

  #onProtocolError = (error: AmiProtocolError): void => {
    const hook = this.#options.onProtocolError;
    if (hook === undefined) return;
    try {
      hook(error);
    } catch (thrown) {
      queueMicrotask(() => {
        throw thrown;
      });
    }
  };

  // ---- the connection's life ---------------------------------------------

  #attach(transport: AmiTransport): Connection {
    const connection: Connection = new Connection(transport, {
      onMessage: this.#onMessage,
      onProtocolError: this.#onProtocolError,
      onClosed: (error) => this.#onConnectionClosed(connection, error),
      onWire: this.#options.onWire,
      buffered: () => this.#hub.buffered,
    }, { maxFrameBytes: this.#options.maxFrameBytes, banner: this.#options.banner });
    this.#connection = connection;
    connection.banner.then((banner) => this.#banner = banner, () => {});
    return connection;
  }

  #onConnectionClosed(connection: Connection, error: AmiError | undefined): void {
    if (connection !== this.#connection) return;
    clearTimeout(this.#keepaliveTimer);
    failAll(this.#pending, connectionLost(error));
    if (this.#closing || this.#reconnecting !== undefined) return;
    const lifeline = this.#lifeline;
    if (
      error === undefined || this.#loggingOff || lifeline?.reconnect === undefined ||
      this.#credentials === undefined || this.#state === "connecting"
    ) {
      this.#shutdown(this.#loggingOff ? undefined : error);
      return;
    }
    this.#hub.reconnected();
    this.#setState("disconnected", error);
    const reconnecting = this.#reconnect(lifeline, lifeline.reconnect, error);
    this.#reconnecting = reconnecting;
    reconnecting.finally(() => {
      if (this.#reconnecting === reconnecting) this.#reconnecting = undefined;
    });
  }

  async #reconnect(
    lifeline: Lifeline,
    policy: Required<AmiReconnectOptions>,
    cause: AmiError,
  ): Promise<void> {
    let lastError: AmiError = cause;
    let loginFailures = 0;
    for (let attempt = 1; !this.#closing; attempt++) {
      if (attempt > policy.maxAttempts) {
        this.#shutdown(
          new AmiConnectionError(`gave up reconnecting after ${policy.maxAttempts} attempts`, {
            cause: lastError,
          }),
        );
        return;
      }
      await this.#sleep(backoffDelay(policy, attempt));
      if (this.#closing) return;
      this.#setState("reconnecting");
      // An attempt that timed out must not attach a connection that completes late.
      const tried = { abandoned: false };
      try {
        await this.#withinConnectTimeout(async () => {
          const transport = await lifeline.dial();
          if (this.#closing || tried.abandoned) {
            transport.close?.();
            return;
          }
          const connection = this.#attach(transport);
          await connection.banner;
          await this.login(this.#credentials!);
          for (const filter of this.#filters) await this.#send(filter, {}, true);
          if (this.#eventMask !== undefined) await this.#send(this.#eventMask, {}, true);
          // It may have dropped again while the filters were going out.
          if (!connection.open) {
            throw new AmiConnectionError("the connection dropped again at once");
          }
        });
        if (this.#closing) return;
        // From here on a drop is handled as any other, by a new round of reconnecting.
        this.#reconnecting = undefined;
        this.#setState("connected");
        this.#startKeepalive();
        this.#flushDeferred();
        return;
      } catch (error) {
        tried.abandoned = true;
        lastError = error instanceof AmiConnectionError || error instanceof AmiTimeoutError ||
            error instanceof AmiAuthenticationError
          ? error
          : new AmiConnectionError(`reconnecting failed: ${String(error)}`, { cause: error });
        await this.#connection?.abort(lastError);
        failAll(this.#pending, connectionLost(lastError));
        if (this.#closing) return;
        if (lastError instanceof AmiAuthenticationError) {
          if (++loginFailures >= policy.maxLoginFailures) {
            this.#shutdown(lastError);
            return;
          }
        } else {
          loginFailures = 0;
        }
        this.#setState("disconnected", lastError);
      }
    }
  }

  #flushDeferred(): void {
    const deferred = this.#deferred;
    this.#deferred = [];
    for (const { text, request } of deferred) {
      if (!request.settled) this.#write(text, request);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wakeRetry = resolve;
      this.#retryTimer = setTimeout(resolve, ms);
    }).finally(() => {
      clearTimeout(this.#retryTimer);
      this.#wakeRetry = undefined;
    }) as Promise<void>;
  }

  async #withinConnectTimeout(task: () => Promise<void>): Promise<void> {
    const ms = this.#lifeline?.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AmiTimeoutError(`connecting and logging in took longer than ${ms} ms`)),
        ms,
      );
    });
    try {
      await Promise.race([task(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #startKeepalive(): void {
    const keepalive = this.#lifeline?.keepalive;
    const connection = this.#connection;
    if (keepalive === undefined || connection === undefined) return;
    clearTimeout(this.#keepaliveTimer);
    this.#keepaliveTimer = setTimeout(async () => {
      try {
        await this.#send({ Action: "Ping" }, { timeout: keepalive.timeout }, true);
        if (connection === this.#connection && connection.open) this.#startKeepalive();
      } catch (error) {
        if (error instanceof AmiTimeoutError && connection === this.#connection) {
          await connection.abort(
            new AmiTimeoutError(
              `the server did not answer a keepalive Ping within ${keepalive.timeout} ms`,
              { cause: error },
            ),
          );
        }
      }
    }, keepalive.interval);
  }

  #setState(state: AmiConnectionState, error?: AmiError): void {
    if (this.#state === state) return;
    this.#state = state;
    if (state === "reconnecting") this.#reconnects++;
    const change: AmiStateChange = { state, error };
    for (const listener of this.#stateListeners) listener(change);
    const hook = this.#options.onStateChange;
    if (hook !== undefined) {
      try {
        hook(change);
      } catch (thrown) {
        queueMicrotask(() => {
          throw thrown;
        });
      }
    }
  }

  /** Ends the client: fails what waits, ends consumers, releases the connection. */
  #shutdown(error: AmiError | undefined): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#closeError = error;
    this.#loggedIn = false;
    clearTimeout(this.#keepaliveTimer);
    this.#wakeRetry?.();
    const lost = connectionLost(error);
    failAll(this.#pending, lost);
    for (const { request } of this.#deferred) request.fail(lost);
    this.#deferred = [];
    this.#hub.close(error);
    const released = Promise.all([this.#connection?.close(), this.#reconnecting]);
    released.finally(() => {
      this.#setState("closed", this.#closeError);
      this.#resolveClosed(this.#closeError);
    });
  }
}

/**
 * Whether an action may change what a reconnect restores (`Filter` and
 * `Events`, in any case), so that its response must be looked at. Never
 * throws: a malformed action has already been turned into a rejection.
 */
function mayBeRemembered(action: AmiAction): boolean {
  try {
    const name: unknown = action.Action;
    if (typeof name !== "string" || name.length !== 6) return false;
    const lower = name.toLowerCase();
    return lower === "filter" || lower === "events";
  } catch {
    return false;
  }
}
