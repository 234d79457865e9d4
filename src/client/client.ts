/**
 * {@linkcode AmiClient}: the public face of the client, a facade over its
 * parts (wired in `core.ts`): the action registry (ActionIDs, answers,
 * deadlines), the session on the current connection (routing), the event
 * fan-out, one state machine for the client's life, and, for clients made
 * by `connect()`, the supervisor (keepalive, reconnection, held actions).
 *
 * @module
 */

import type { AmiError } from "../errors.ts";
import { AmiTimeoutError } from "../errors.ts";
import type { AmiEventFilter } from "../events/event_filter.ts";
import type { AmiEventsOptions, AmiEventStream } from "../events/event_stream.ts";
import type { AmiGap } from "../events/gap.ts";
import { type AmiEventClass, eventMaskFor } from "../events/event_classes.ts";
import type { AmiServerFilter } from "../events/server_filter.ts";
import { withTimeout } from "../_util/timeouts.ts";
import { createLiveView, type LiveView } from "../live/live_view.ts";
import type { LiveOptions } from "../live/options.ts";
import type { AmiTransport } from "../transport/types.ts";
import type {
  AmiActionInput,
  AmiEvent,
  AmiEventOf,
  AmiListCompleteOf,
  AmiListItemOf,
  AmiOriginateInput,
  AmiResponse,
  AmiResponseOf,
} from "../types/maps.ts";
import type { AmiAction } from "../wire/encoder.ts";
import { ClientCore, singleResponse } from "./core.ts";
import { type AmiList, type AmiListResult, StreamedList } from "./list.ts";
import { logIn } from "./login.ts";
import {
  type AmiClientOptions,
  type AmiClientStats,
  type AmiConnectOptions,
  type AmiLoginOptions,
  type AmiSendOptions,
  parseAmiUrl,
} from "./options.ts";
import { ListRequest, OriginateRequest } from "./requests.ts";
import { changesRestoredState } from "./session_state.ts";
import type { AmiConnectionState, AmiStateChange } from "./state.ts";
import { type ReconnectPlan, reconnectPlanOf } from "./supervisor.ts";

export type { AmiConnectionState, AmiStateChange } from "./state.ts";
export type { AmiClientStats, AmiSendOptions } from "./options.ts";

/**
 * The options `connect()` hands the constructor: the user's settings and
 * how to dial again. Only this module makes them, so only `connect()` makes
 * a supervised client.
 */
class DialledOptions {
  readonly settings: AmiClientOptions;
  readonly plan: ReconnectPlan;

  constructor(settings: AmiClientOptions, plan: ReconnectPlan) {
    this.settings = settings;
    this.plan = plan;
  }
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
 * import assert from "node:assert/strict";
 * import { AmiClient } from "@x/ami";
 * import { AmiTestServer } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer();
 * server.listen();
 * // In production: AmiClient.connect("ami://admin:amp111@pbx.example.net:5038")
 * await using client = await AmiClient.connect(server.url);
 * const pong = await client.send({ Action: "Ping" });
 * assert.equal(pong.Ping, "Pong");
 * ```
 *
 * @example Over any stream pair (here the in-process test server)
 * ```ts
 * import assert from "node:assert/strict";
 * import { AmiClient } from "@x/ami";
 * import { AmiTestServer } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer({ users: { admin: "amp111" } });
 * await using client = new AmiClient(server.connect());
 * await client.login({ username: "admin", secret: "amp111" });
 * assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
 * ```
 */
export class AmiClient implements AsyncDisposable {
  readonly #core: ClientCore;

  /**
   * Creates a client over an open transport. Log in with
   * {@linkcode AmiClient.login}; {@linkcode AmiClient.connect} does all of
   * it over TCP or TLS.
   *
   * @param transport The byte streams to the server (a `Deno.Conn` is one).
   * @param options Timeouts, limits and hooks.
   */
  constructor(transport: AmiTransport, options: AmiClientOptions = {}) {
    const dialled = options instanceof DialledOptions ? options : undefined;
    this.#core = new ClientCore(transport, dialled?.settings ?? options, dialled?.plan);
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
   * import assert from "node:assert/strict";
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url, {
   *   reconnect: true,
   *   keepalive: { interval: 30_000 },
   * });
   * assert.equal(client.state, "connected");
   * ```
   */
  static async connect(
    target: string | URL | AmiConnectOptions,
    options: Partial<AmiConnectOptions> = {},
  ): Promise<AmiClient> {
    const settings: AmiConnectOptions = typeof target === "string" || target instanceof URL
      ? { ...parseAmiUrl(target), ...options }
      : { ...target, ...options };
    const plan = reconnectPlanOf(settings);
    const connectTimeout = plan.connectTimeout;
    const transport = await plan.dial();
    const client = new AmiClient(transport, new DialledOptions(settings, plan) as AmiClientOptions);
    const core = client.#core;
    try {
      await withTimeout(
        core.restore(core.session),
        connectTimeout,
        () =>
          new AmiTimeoutError(`Connecting and logging in took longer than ${connectTimeout} ms`),
      );
    } catch (error) {
      await client.close();
      throw error;
    }
    if (core.life.to("connected")) core.supervisor!.up(core.session);
    return client;
  }

  /**
   * The server's banner line (`Asterisk Call Manager/13.0.0`), once read.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * assert.equal(client.banner, "Asterisk Call Manager/13.0.0");
   * ```
   */
  get banner(): string | undefined {
    return this.#core.session.bannerLine;
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
    return this.#core.life.state;
  }

  /**
   * Whether a login succeeded and no logoff followed.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * assert.ok(client.loggedIn);
   * ```
   */
  get loggedIn(): boolean {
    return this.#core.session.loggedIn && !this.#core.life.ending;
  }

  /**
   * Counters for monitoring: actions waiting for an answer, actions waiting
   * for the connection to come back, event consumers, events buffered for
   * them, and reconnect attempts so far.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * const ping = client.send({ Action: "Ping" });
   * assert.equal(client.stats.pendingActions, 1);
   * await ping;
   * assert.equal(client.stats.pendingActions, 0);
   * ```
   */
  get stats(): AmiClientStats {
    const core = this.#core;
    return {
      pendingActions: core.registry.size,
      waitingActions: core.supervisor?.held ?? 0,
      eventConsumers: core.hub.size,
      bufferedEvents: core.hub.buffered,
      reconnectAttempts: core.supervisor?.attempts ?? 0,
      hookErrors: core.hookErrors,
      serverFilters: core.selection.status,
    };
  }

  /**
   * Settles when the client has closed and released everything: with the
   * error that closed it, or `undefined` for a close that was asked for. It
   * never rejects.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * await client.close();
   * const reason = await client.closed;
   * assert.equal(reason, undefined); // closed as asked, not by an error
   * ```
   */
  get closed(): Promise<AmiError | undefined> {
    return this.#core.closed;
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
    yield* this.#core.life.changes(options.signal);
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
   * import assert from "node:assert/strict";
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer({ users: { admin: "amp111" } });
   * await using client = new AmiClient(server.connect());
   * await client.login({ username: "admin", secret: "amp111", events: "call,system" });
   * assert.ok(client.loggedIn);
   * ```
   */
  async login(options: AmiLoginOptions): Promise<AmiResponse> {
    const core = this.#core;
    const session = core.session;
    core.selection.down();
    const response = await logIn(
      (action) => core.sendNow(action, {}),
      core.selection.loginOptions(options, false),
    );
    session.setLoggedIn(true);
    await core.selection.restore();
    return response as AmiResponse;
  }

  /**
   * Logs off (`Response: Goodbye`), then closes the client.
   *
   * @param options Timeout and signal for the `Logoff` action.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * await client.logoff();
   * assert.equal(client.state, "closed");
   * ```
   */
  async logoff(options: AmiSendOptions = {}): Promise<void> {
    this.#core.life.to("loggingOff");
    try {
      await this.#core.sendNow({ Action: "Logoff" }, options);
      this.#core.session.setLoggedIn(false);
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
   * import assert from "node:assert/strict";
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * server.handle("Getvar", () => ({ Value: "PJSIP/trunk" }));
   * await using client = await AmiClient.connect(server.url);
   * const { Value } = await client.send({ Action: "Getvar", Variable: "GLOBAL(TRUNK)" });
   * assert.equal(Value, "PJSIP/trunk");
   * ```
   */
  send<N extends string>(
    action: AmiActionInput<N>,
    options: AmiSendOptions = {},
  ): Promise<AmiResponseOf<N>> {
    // The user sets the mask: the client stops setting it for its consumers.
    if (String(action?.Action).toLowerCase() === "events") this.#core.selection.userSetsMask();
    const sent = this.#core.sendWhenConnected(action, options, singleResponse);
    const state = this.#core.supervisor?.plan.state;
    // Only Filter and Events change what a reconnect restores; any other answer goes as it is.
    if (state === undefined || !changesRestoredState(action)) {
      return sent as Promise<AmiResponseOf<N>>;
    }
    return sent.then((response) => {
      state.record(action, response);
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
    const result = await this.#core.sendWhenConnected(
      action,
      options,
      (settings) => new ListRequest(settings, { stream: false }),
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
    let request: ListRequest;
    try {
      const prepared = this.#core.prepare(
        action,
        options,
        (settings) => new ListRequest(settings, { stream: true }),
      );
      request = prepared.request;
      this.#core.dispatch(prepared.text, request);
    } catch (error) {
      // A list that was never sent: iterating it throws why.
      request = new ListRequest(this.#core.settings("", action, {}), { stream: true });
      request.fail(error);
    }
    return new StreamedList(request);
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
   * import assert from "node:assert/strict";
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * server.command("core show uptime", () => "System uptime: 5 minutes\n");
   * await using client = await AmiClient.connect(server.url);
   * const lines = await client.command("core show uptime");
   * assert.equal(lines[0], "System uptime: 5 minutes");
   * ```
   */
  async command(command: string, options: AmiSendOptions = {}): Promise<string[]> {
    const response = await this.#core.sendWhenConnected(
      { Action: "Command", Command: command },
      options,
      singleResponse,
    );
    return response.getAll("Output");
  }

  /**
   * Originates a call with `Async: true` and resolves with its
   * `OriginateResponse` event once the call was answered (or rejects when
   * it failed). The event is delivered to event consumers as well.
   *
   * @param action The `Originate` action's parameters: no `Action` needed, and any `Async`
   *   given is replaced by `Async: true`.
   * @param options `timeout` covers the whole wait; it defaults to the
   *   action timeout plus the action's own `Timeout` (30 s when unset).
   * @returns The `OriginateResponse` event with `Response: Success`.
   * @throws {AmiActionError} when Asterisk refuses the action, or the call
   *   fails (`Response: Failure`; the event is in `response`).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
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
   *   Channel: "PJSIP/100",
   *   Context: "from-internal",
   *   Exten: "200",
   *   Priority: 1,
   * });
   * assert.equal(done.Uniqueid, "1.1");
   * ```
   */
  originate(
    action: AmiOriginateInput,
    options: AmiSendOptions = {},
  ): Promise<AmiEventOf<"OriginateResponse">> {
    const answerMs = Number(action.Timeout ?? 30_000);
    const timeout = options.timeout ??
      this.#core.actionTimeout + (Number.isFinite(answerMs) ? answerMs : 30_000);
    const selection = this.#core.selection;
    // OriginateResponse is an event: the server must send it, so the selection covers it first.
    selection.originateStarts();
    const done = this.#core.sendWhenConnected(
      withAsync(action),
      { ...options, timeout },
      (settings) => new OriginateRequest(settings),
    ) as Promise<AmiEventOf<"OriginateResponse">>;
    done.then(() => selection.originateDone(), () => selection.originateDone());
    return done;
  }

  /**
   * Opens a live view of the PBX: channels, bridges and calls (and, when
   * asked, queues, devices and hints), kept equal to the PBX from a
   * snapshot and the event stream. Resolves once the first snapshot is
   * applied; the same as {@linkcode createLiveView}`(client, options)`.
   *
   * @param options What to follow and how much to keep.
   * @returns The view; dispose of it to stop following.
   *
   * @example
   * ```ts
   * import { AmiClient } from "@x/ami";
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
   * pbx.server.listen();
   * await pbx.originate({ Channel: "PJSIP/100", Application: "Wait" });
   * await using client = await AmiClient.connect(pbx.server.url);
   * await using live = await client.live();
   * assert.equal(live.status, "live");
   * assert.equal(live.snapshot().channels.size, 1);
   * ```
   */
  live(options: LiveOptions = {}): Promise<LiveView> {
    return createLiveView(this, options);
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
   * // The first consumer turns the server's events on; an answer to a later action means it is done.
   * await client.send({ Action: "Ping" });
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
    const { stream, selected } = this.#subscribe(filter, options);
    // Failures are reported (a refused filter) or redone by the next session (a drop).
    selected.catch(() => {});
    return stream;
  }

  /**
   * Iterates events, like {@linkcode AmiClient.events}, and resolves once
   * the server acknowledged the selection that covers them (the event mask
   * and, with `serverFilters: "auto"`, the filters): every event the server
   * sends from then on that passes `filter` reaches the stream. The consumer
   * is registered before anything is asked of the server, so nothing the
   * selection brings in is missed. While the connection is down, it
   * resolves once the next one is restored.
   *
   * @param filter A name, names, header matches or a predicate.
   * @param options Buffer size, gap handling, abort signal.
   * @returns The stream, once the server covers it.
   * @throws {AmiConnectionError} when the client closes first (the stream is stopped).
   *
   * @example Know from when an event is covered, then cause it
   * ```ts
   * import assert from "node:assert/strict";
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url, { serverFilters: "auto" });
   * await using hangups = await client.subscribe("Hangup");
   * // The server filters for Hangup and sends call events now: this one is delivered.
   * server.emit({ Event: "Hangup", Privilege: "call,all", Channel: "PJSIP/100-00000001" });
   * server.emit({ Event: "VarSet", Privilege: "dialplan,all", Variable: "X" }); // not sent
   * const { value } = await hangups.next();
   * assert.equal(value?.Channel, "PJSIP/100-00000001");
   * assert.equal(client.stats.serverFilters, "auto");
   * ```
   */
  subscribe<N extends string = string>(
    filter: AmiEventFilter<N> | undefined,
    options: AmiEventsOptions & { gaps: true },
  ): Promise<AmiEventStream<AmiEventOf<N> | AmiGap>>;
  /**
   * Iterates events once the server covers them (see the overload with `gaps: true`).
   *
   * @param filter A name, names, header matches or a predicate.
   * @param options Buffer size, abort signal.
   * @returns The stream, once the server covers it.
   */
  subscribe<N extends string = string>(
    filter?: AmiEventFilter<N>,
    options?: AmiEventsOptions & { gaps?: false },
  ): Promise<AmiEventStream<AmiEventOf<N>>>;
  async subscribe(
    filter?: AmiEventFilter,
    options: AmiEventsOptions = {},
  ): Promise<AmiEventStream<AmiEvent> | AmiEventStream<AmiEvent | AmiGap>> {
    const { stream, selected } = this.#subscribe(filter, options);
    try {
      await selected;
    } catch (error) {
      await stream.return();
      throw error;
    }
    return stream;
  }

  /** Registers a consumer, then asks the server for what it needs. */
  #subscribe(
    filter: AmiEventFilter | undefined,
    options: AmiEventsOptions,
  ): { stream: AmiEventStream<AmiEvent | AmiGap>; selected: Promise<void> } {
    const bufferSize = options.bufferSize ?? this.#core.options.eventBufferSize;
    const stream = this.#core.hub.subscribe<AmiEvent | AmiGap>(
      filter,
      bufferSize === undefined ? options : { ...options, bufferSize },
    );
    return { stream, selected: this.#core.selection.update() };
  }

  /**
   * Adds a server-side filter (Asterisk's `Filter` action): the server then
   * sends only what the session's filters let through. Restored after a
   * reconnect, before the event mask. Needs `write=system` for the user.
   *
   * @param filter Built with {@linkcode serverFilter}.
   * @param options Timeout and abort signal.
   * @returns The server's `Success` response.
   * @throws {AmiActionError} when the server refuses the filter.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { AmiClient, serverFilter } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * const response = await client.addServerFilter(serverFilter.include("Hangup"));
   * assert.equal(response.Response, "Success");
   * ```
   */
  addServerFilter(filter: AmiServerFilter, options: AmiSendOptions = {}): Promise<AmiResponse> {
    return this.send(filter.toAction(), options) as Promise<AmiResponse>;
  }

  /**
   * Sets the event classes the server sends (the `Events` action). Checked
   * first: an unknown or wrongly cased class (`calls`, `Call`) rejects with a
   * `TypeError` and nothing is sent, where Asterisk would silently turn
   * events off. Restored after a reconnect.
   *
   * @param classes The classes, `[]` for none.
   * @param options Timeout and abort signal.
   * @returns The server's response.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * await client.setEventClasses(["call", "system"]);
   * await assert.rejects(client.setEventClasses(["Call" as "call"]), TypeError);
   * ```
   */
  setEventClasses(
    classes: readonly AmiEventClass[],
    options: AmiSendOptions = {},
  ): Promise<AmiResponse> {
    let mask: string;
    try {
      mask = eventMaskFor(classes);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.send({ Action: "Events", EventMask: mask }, options) as Promise<AmiResponse>;
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
   * import assert from "node:assert/strict";
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using client = await AmiClient.connect(server.url);
   * await client.close();
   * assert.equal(client.state, "closed");
   * ```
   */
  async close(): Promise<void> {
    this.#core.shutdown(undefined);
    await this.#core.closed;
  }

  /**
   * Logs off when logged in, then closes; errors while logging off are
   * ignored. Idempotent. This is what `await using` calls.
   *
   * @returns When everything is released.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { AmiClient } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * {
   *   await using client = await AmiClient.connect(server.url);
   *   await client.send({ Action: "Ping" });
   * } // logged off and closed here
   * assert.ok(server.received.some((action) => action.name === "Logoff"));
   * ```
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.loggedIn && this.#core.life.phase === "connected") {
      try {
        await this.logoff({ timeout: Math.min(this.#core.actionTimeout, 2_000) });
      } catch {
        // The connection may already be going; closing is what matters now.
      }
    }
    await this.close();
  }
}

/** The `Originate` action with `Async: true`, whatever the caller wrote as `Action` or `Async`. */
function withAsync(action: AmiOriginateInput): AmiAction {
  const copy: AmiAction = { Action: "Originate" };
  for (const [key, value] of Object.entries(action)) {
    const lower = key.toLowerCase();
    if (lower !== "async" && lower !== "action") copy[key] = value;
  }
  copy.Async = "true";
  return copy;
}
