/**
 * {@linkcode AmiPool}: many PBXs, each with a client of its own kept
 * connected, one merged event stream, actions routed by PBX name.
 *
 * @module
 */

import type { AmiClient, AmiSendOptions } from "../client/client.ts";
import type { AmiConnectionState } from "../client/state.ts";
import type { AmiListResult } from "../client/list.ts";
import { AmiConnectionError } from "../errors.ts";
import type { LiveView } from "../live/live_view.ts";
import type { LiveOptions } from "../live/options.ts";
import type { AmiEventFilter, AmiGap } from "../events/events.ts";
import type {
  AmiActionInput,
  AmiEventOf,
  AmiListCompleteOf,
  AmiListItemOf,
  AmiResponseOf,
} from "../types/maps.ts";
import type { AmiPoolMemberStats } from "./member.ts";
import { MemberTable } from "./member_table.ts";
import type { AmiPoolOptions, AmiPoolStateChange, AmiPoolTarget } from "./options.ts";
import { StateFeed } from "./state_feed.ts";
import { type AmiPoolEventsOptions, AmiPoolEventStream } from "./pool_events.ts";

/**
 * Many PBXs as one: a client per PBX, each connected (and reconnected) on
 * its own, so that a PBX that is down or refuses the login never holds up
 * the others; one merged, tagged event stream; actions routed by name.
 *
 * A PBX whose first connect fails is retried with backoff, as is one whose
 * client gives up reconnecting; {@linkcode AmiPool.stats} says how each is
 * doing. `await using` (or {@linkcode AmiPool.close}) logs off from all.
 *
 * @example Two PBXs, one stream, actions by name
 * ```ts
 * import { AmiPool } from "@x/ami";
 * import { AmiTestServer } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * await using a = new AmiTestServer();
 * await using b = new AmiTestServer();
 * a.listen();
 * b.listen();
 * await using pool = new AmiPool({ pbxs: { "pbx-a": a.url, "pbx-b": b.url } });
 * await pool.ready();
 * await using hangups = pool.events("Hangup");
 * // The stream turns each PBX's events on; an answer to a later action means it is done.
 * await pool.send("pbx-b", { Action: "Ping" });
 * b.emit({ Event: "Hangup", Channel: "PJSIP/200-00000002" });
 * const { value } = await hangups.next();
 * assert.equal(value?.pbx, "pbx-b");
 * assert.equal((await pool.send("pbx-a", { Action: "Ping" })).Ping, "Pong");
 * assert.equal(pool.stats["pbx-a"]?.state, "connected");
 * ```
 */
export class AmiPool implements AsyncDisposable {
  readonly #members: MemberTable;
  readonly #streams = new Set<AmiPoolEventStream<unknown>>();
  readonly #states = new StateFeed();
  #closing: Promise<void> | undefined;

  /**
   * Creates the pool and starts connecting to every PBX; it does not wait.
   * Use {@linkcode AmiPool.ready} to wait.
   *
   * @param options The PBXs and options for all of them.
   * @throws {TypeError} for an invalid name or URL.
   */
  constructor(options: AmiPoolOptions = {}) {
    this.#members = new MemberTable(options.defaults ?? {}, {
      attached: (member, client, epoch) => {
        for (const stream of this.#streams) stream.attach(member.name, client, epoch);
      },
      changed: (member, change) => {
        this.#states.publish({ pbx: member.name, ...change });
      },
    });
    this.#members.startAll(options.pbxs ?? {});
  }

  /**
   * The PBX names, in the order they were added.
   *
   * @example
   * ```ts
   * import { AmiPool } from "@x/ami";
   * import assert from "node:assert/strict";
   * await using pool = new AmiPool();
   * assert.deepEqual(pool.names, []);
   * ```
   */
  get names(): string[] {
    return this.#members.names;
  }

  /**
   * State and counters of every PBX, by name.
   *
   * @example
   * ```ts
   * import { AmiPool } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using pool = new AmiPool({ pbxs: { main: server.url } });
   * await pool.ready();
   * assert.equal(pool.stats.main?.connects, 1);
   * ```
   */
  get stats(): Record<string, AmiPoolMemberStats> {
    return this.#members.stats();
  }

  /**
   * The state of one PBX's connection.
   *
   * @param pbx The PBX's name.
   * @returns Its state.
   * @throws {RangeError} when no PBX has that name.
   *
   * @example
   * ```ts
   * import { AmiPool } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using pool = new AmiPool({ pbxs: { main: server.url } });
   * await pool.ready();
   * assert.equal(pool.state("main"), "connected");
   * ```
   */
  state(pbx: string): AmiConnectionState {
    return this.#members.get(pbx).state;
  }

  /**
   * The client of one PBX while it has one (connected or reconnecting), for
   * what the pool does not route itself.
   *
   * @param pbx The PBX's name.
   * @returns The client, or `undefined` while the PBX is down.
   * @throws {RangeError} when no PBX has that name.
   *
   * @example
   * ```ts
   * import { AmiPool } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using pool = new AmiPool({ pbxs: { main: server.url } });
   * await pool.ready();
   * assert.equal(pool.client("main")?.loggedIn, true);
   * ```
   */
  client(pbx: string): AmiClient | undefined {
    return this.#members.get(pbx).client;
  }

  /**
   * Opens a live view of one PBX (see {@linkcode AmiClient.live}): its
   * channels, bridges and calls, kept equal to the PBX across reconnects of
   * that PBX's client.
   *
   * @param pbx The PBX's name.
   * @param options What the view follows and keeps.
   * @returns The view, once its first snapshot is applied.
   * @throws {RangeError} when no PBX has that name.
   * @throws {AmiConnectionError} when the PBX has not connected yet (await
   *   {@linkcode AmiPool.ready} first).
   *
   * @example
   * ```ts
   * import { AmiPool } from "@x/ami";
   * import { SimulatedPbx } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
   * pbx.server.listen();
   * await pbx.originate({ Channel: "PJSIP/100", Application: "Wait" });
   * await using pool = new AmiPool({ pbxs: { main: pbx.server.url } });
   * await pool.ready();
   * await using live = await pool.live("main");
   * assert.equal(live.snapshot().channels.size, 1);
   * ```
   */
  async live(pbx: string, options: LiveOptions = {}): Promise<LiveView> {
    const client = this.client(pbx);
    if (client === undefined) {
      throw new AmiConnectionError(`PBX "${pbx}" has not connected yet: await pool.ready() first`);
    }
    return await client.live(options);
  }

  /**
   * Adds a PBX and starts connecting to it.
   *
   * @param pbx Its name: 1 to 64 letters, digits, `_` or `-`.
   * @param target Its URL or connect options.
   * @throws {TypeError} for an invalid name or URL, or a name already in the pool.
   *
   * @example
   * ```ts
   * import { AmiPool } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using pool = new AmiPool();
   * pool.add("late", server.url);
   * await pool.ready();
   * assert.deepEqual(pool.names, ["late"]);
   * ```
   */
  add(pbx: string, target: AmiPoolTarget): void {
    if (this.#closing !== undefined) throw new TypeError("The pool is closed");
    this.#members.add(pbx, target);
  }

  /**
   * Removes a PBX: its events stop, its client logs off and closes.
   *
   * @param pbx The PBX's name.
   * @returns When its client is closed.
   * @throws {RangeError} when no PBX has that name.
   *
   * @example
   * ```ts
   * import { AmiPool } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using pool = new AmiPool({ pbxs: { old: server.url } });
   * await pool.remove("old");
   * assert.deepEqual(pool.names, []);
   * ```
   */
  async remove(pbx: string): Promise<void> {
    const member = this.#members.take(pbx);
    for (const stream of this.#streams) stream.detachPbx(pbx);
    await member.close();
  }

  /**
   * Resolves once enough PBXs are connected: all of them, or `atLeast`.
   *
   * @param options `atLeast` PBXs (default: all); `signal` stops waiting.
   * @returns When enough are connected.
   * @throws the signal's reason when it is aborted first.
   *
   * @example
   * ```ts
   * import { AmiPool } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using pool = new AmiPool({ pbxs: { up: server.url, down: "ami://u:p@127.0.0.1:9" } });
   * await pool.ready({ atLeast: 1, signal: AbortSignal.timeout(5_000) });
   * ```
   */
  ready(options: { atLeast?: number; signal?: AbortSignal } = {}): Promise<void> {
    return this.#states.waitUntil(() => {
      const wanted = options.atLeast ?? this.#members.size;
      let connected = 0;
      for (const member of this.#members.values()) if (member.state === "connected") connected++;
      return connected >= wanted;
    }, options.signal);
  }

  /**
   * Follows the state of every PBX: yields each change from now on, tagged
   * with the PBX, until the pool closes or `signal` aborts.
   *
   * @param options `signal` ends the iteration.
   * @returns An iterator of changes.
   *
   * @example
   * ```ts
   * import { AmiPool } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using pool = new AmiPool();
   * const changes = pool.stateChanges();
   * const first = changes.next();
   * pool.add("main", server.url);
   * assert.deepEqual((await first).value, { pbx: "main", state: "connected", error: undefined });
   * await changes.return(undefined);
   * ```
   */
  stateChanges(
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<AmiPoolStateChange, undefined> {
    return this.#states.changes(options.signal);
  }

  /**
   * Iterates the events of every PBX as `{ pbx, epoch, seq, event }`. Each
   * PBX's events come in its order; PBXs are taken in turn. Each PBX has a
   * bounded buffer of its own (`bufferSize`). With `gaps: true`, an
   * {@linkcode AmiGap} in `event` marks where a PBX's events were lost (its
   * buffer overflowed, or its connection dropped and came back); without it,
   * such a loss ends the iteration with the error.
   *
   * @param filter Which events, as for `client.events()`.
   * @param options Buffer size per PBX, gap handling, abort signal.
   * @returns An async iterator of tagged events.
   *
   * @example
   * ```ts
   * import { AmiGap, AmiPool } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using pool = new AmiPool({ pbxs: { main: server.url } });
   * await pool.ready();
   * const stream = pool.events("UserEvent", { gaps: true });
   * await pool.send("main", { Action: "Ping" }); // answered once the server sends the events
   * server.emit({ Event: "UserEvent", UserEvent: "hello" });
   * for await (const { pbx, seq, event } of stream) {
   *   if (event instanceof AmiGap) continue; // resynchronise pbx here
   *   assert.equal(pbx, "main");
   *   assert.equal(event.UserEvent, "hello");
   *   assert.equal(seq, event.seq); // the client's own number, counted from the login's frames
   *   break;
   * }
   * ```
   */
  events<N extends string = string>(
    filter: AmiEventFilter<N> | undefined,
    options: AmiPoolEventsOptions & { gaps: true },
  ): AmiPoolEventStream<AmiEventOf<N> | AmiGap>;
  /**
   * Iterates the events of every PBX (see the overload with `gaps: true`).
   *
   * @param filter Which events, as for `client.events()`.
   * @param options Buffer size per PBX, abort signal.
   * @returns An async iterator of tagged events.
   */
  events<N extends string = string>(
    filter?: AmiEventFilter<N>,
    options?: AmiPoolEventsOptions & { gaps?: false },
  ): AmiPoolEventStream<AmiEventOf<N>>;
  events(
    filter?: AmiEventFilter,
    options: AmiPoolEventsOptions = {},
  ): AmiPoolEventStream<unknown> {
    const stream = new AmiPoolEventStream<unknown>(
      filter,
      options,
      (done) => this.#streams.delete(done),
    );
    if (this.#closing !== undefined) {
      stream.finish();
      return stream;
    }
    this.#streams.add(stream);
    for (const member of this.#members.values()) {
      const { client, epoch } = member;
      if (client !== undefined && epoch !== undefined) stream.attach(member.name, client, epoch);
    }
    return stream;
  }

  /**
   * Sends an action to one PBX.
   *
   * @param pbx The PBX's name.
   * @param action The action.
   * @param options Timeout and abort signal.
   * @returns The response.
   * @throws {RangeError} when no PBX has that name.
   * @throws {AmiConnectionError} when the PBX has no client now (its first
   *   connect has not succeeded, or it is between clients).
   * @throws what `client.send()` throws.
   *
   * @example
   * ```ts
   * import { AmiPool } from "@x/ami";
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using server = new AmiTestServer();
   * server.listen();
   * await using pool = new AmiPool({ pbxs: { main: server.url } });
   * await pool.ready();
   * assert.equal((await pool.send("main", { Action: "Ping" })).Ping, "Pong");
   * await assert.rejects(pool.send("other", { Action: "Ping" }), RangeError);
   * ```
   */
  send<N extends string>(
    pbx: string,
    action: AmiActionInput<N>,
    options?: AmiSendOptions,
  ): Promise<AmiResponseOf<N>> {
    try {
      return this.#members.connectedClient(pbx).send(action, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Sends a list action to one PBX and resolves with the whole list.
   *
   * @param pbx The PBX's name.
   * @param action The action.
   * @param options Timeout and abort signal.
   * @returns The response, the items and the closing event.
   * @throws as {@linkcode AmiPool.send} does.
   *
   * @example
   * ```ts
   * import { AmiPool } from "@x/ami";
   * import { AmiTestServer, eventList } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using server = new AmiTestServer();
   * server.handle("CoreShowChannels", () => eventList([{ Event: "CoreShowChannel", Channel: "PJSIP/1-1" }]));
   * server.listen();
   * await using pool = new AmiPool({ pbxs: { main: server.url } });
   * await pool.ready();
   * const { items } = await pool.sendList("main", { Action: "CoreShowChannels" });
   * assert.equal(items[0]?.Channel, "PJSIP/1-1");
   * ```
   */
  sendList<N extends string>(
    pbx: string,
    action: AmiActionInput<N>,
    options?: AmiSendOptions,
  ): Promise<AmiListResult<AmiListItemOf<N>, AmiResponseOf<N>, AmiListCompleteOf<N>>> {
    try {
      return this.#members.connectedClient(pbx).sendList(action, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Logs off from every PBX and closes; event streams end. Idempotent.
   *
   * @returns When every client is closed.
   *
   * @example
   * ```ts
   * import { AmiPool } from "@x/ami";
   * import assert from "node:assert/strict";
   * const pool = new AmiPool();
   * await pool.close();
   * assert.throws(() => pool.add("late", "ami://u:p@127.0.0.1"), TypeError);
   * ```
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /**
   * Closes, as {@linkcode AmiPool.close} does; what `await using` calls.
   *
   * @returns When every client is closed.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    for (const stream of [...this.#streams]) stream.finish();
    const members = this.#members.takeAll();
    await Promise.all(members.map((member) => member.close()));
    this.#states.close();
  }
}
