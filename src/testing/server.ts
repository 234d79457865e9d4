/**
 * {@linkcode AmiTestServer}: an in-process AMI server for tests, over real
 * TCP/TLS sockets or in-memory streams.
 *
 * @module
 */

import type { AmiMessage } from "../wire/message.ts";
import { ActionLog, type ActionMatcher } from "./action_log.ts";
import type { AmiTestFaults } from "./faults.ts";
import { type AmiTestAddress, type Link, memoryLink } from "./links.ts";
import { listenDeno, listenNode, onDeno } from "./listener.ts";
import { listenSpec } from "./listening.ts";
import { type AmiReplayOptions, createReplayPlayer, type ReplayPlayer } from "./replay.ts";
import { type AmiTestEvent, type AmiTestFields, toMessage } from "./replies.ts";
import {
  type AmiTestCommand,
  type AmiTestConnection,
  type AmiTestListenOptions,
  type AmiTestServerOptions,
  DEFAULT_BANNER,
} from "./server_options.ts";
import {
  type AmiTestHandler,
  type AmiTestSession,
  openSession,
  type SessionHost,
} from "./session.ts";
import { HandlerTable } from "./server_handlers.ts";
import { ListenerSet } from "./server_listeners.ts";
import { SessionRegistry } from "./session_registry.ts";

/**
 * An in-process AMI server for tests. It speaks the protocol as Asterisk
 * does (the banner, Challenge/Login with plain or MD5 secrets, `Permission
 * denied` before login, `Logoff`, `Ping`, `Events`, `Filter`, `Command`, the
 * error texts, responses in request order, event lists) and lets a test add
 * actions, emit events, inspect what clients sent and inject faults.
 *
 * Clients connect over real TCP (or TLS) with {@linkcode AmiTestServer.listen},
 * or in memory with {@linkcode AmiTestServer.connect}; both run the same
 * session code. {@linkcode AmiTestServer.close} (or `await using`) ends
 * everything it started.
 *
 * @example Serving a custom action over TCP
 * ```ts
 * import { AmiTestServer } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = new AmiTestServer({ users: { admin: "amp111" } });
 * server.handle("GetVar", (action) => ({ Variable: action.get("Variable")!, Value: "42" }));
 * const { port } = server.listen({ hostname: "127.0.0.1", port: 0 });
 * assert.equal(server.url, `ami://admin:amp111@127.0.0.1:${port}`);
 * ```
 *
 * @example Talking to it in memory
 * ```ts
 * import { AmiTestServer } from "@x/ami/testing";
 * import { AmiFrameParser, type AmiMessage } from "@x/ami";
 * import assert from "node:assert/strict";
 *
 * await using server = new AmiTestServer();
 * const { readable, writable } = server.connect();
 * const writer = writable.getWriter();
 * await writer.write(new TextEncoder().encode(
 *   "Action: Login\r\nUsername: admin\r\nSecret: amp111\r\nEvents: off\r\n\r\n" +
 *     "Action: Ping\r\nActionID: 1\r\n\r\n",
 * ));
 * const messages: AmiMessage[] = [];
 * const parser = new AmiFrameParser((m) => messages.push(m));
 * const reader = readable.getReader();
 * while (messages.length < 2) parser.push((await reader.read()).value!);
 * assert.equal(messages[0]!.get("Message"), "Authentication accepted");
 * assert.equal(messages[1]!.get("Ping"), "Pong");
 * await writer.close();
 * reader.releaseLock();
 * ```
 */
export class AmiTestServer implements AsyncDisposable {
  /**
   * The users and their secrets. Change it at any time; the next Login sees
   * the change.
   */
  readonly users: Record<string, string>;
  /**
   * Faults for every session, read each time they apply; change them at any
   * time. A session's own {@linkcode AmiTestSession.faults} win.
   */
  readonly faults: AmiTestFaults;
  /** How `Command` answers: `modern` or `legacy`. Change it at any time. */
  commandFormat: "modern" | "legacy";
  /** How long a failed Login waits before its answer, in milliseconds. */
  authFailureDelayMs: number;
  /** The first line each session sends. */
  banner: string;
  /**
   * When the server (its pretend Asterisk) started, in ms since the epoch:
   * the `Uptime` of the `FullyBooted` that follows a Login.
   */
  startedAt: number = Date.now();
  /**
   * Whether the pretend Asterisk is fully booted: only then does a Login
   * get a `FullyBooted` event after its response, as on Asterisk.
   */
  fullyBooted = true;

  readonly #handlers = new HandlerTable(() => this.commandFormat);
  readonly #sessions = new SessionRegistry();
  readonly #log = new ActionLog();
  readonly #listeners = new ListenerSet();
  readonly #stopping = new AbortController();
  readonly #host: SessionHost;
  #replay: ReplayPlayer | undefined;
  #closed: Promise<void> | undefined;

  /**
   * Creates a server. It listens nowhere until {@linkcode AmiTestServer.listen};
   * {@linkcode AmiTestServer.connect} works at once.
   *
   * @param options Users, banner, login delay, handlers, commands, faults.
   */
  constructor(options: AmiTestServerOptions = {}) {
    this.users = { ...(options.users ?? { admin: "amp111" }) };
    this.faults = { ...options.faults };
    this.commandFormat = options.commandFormat ?? "modern";
    this.authFailureDelayMs = options.authFailureDelayMs ?? 1000;
    this.banner = options.banner ?? DEFAULT_BANNER;
    for (const [name, handler] of Object.entries(options.handlers ?? {})) {
      this.handle(name, handler);
    }
    for (const [command, run] of Object.entries(options.commands ?? {})) {
      this.command(command, run);
    }
    this.#host = {
      banner: () => this.banner,
      users: () => this.users,
      authFailureDelayMs: () => this.authFailureDelayMs,
      faults: () => this.faults,
      replay: () => this.#replay,
      startedAt: () => this.startedAt,
      fullyBooted: () => this.fullyBooted,
      handlerFor: (name) => this.#handlers.handlerFor(name),
      record: (message) => this.#log.push(message),
      detach: (session) => this.#sessions.open.delete(session),
    };
  }

  /**
   * Creates a server that plays a recorded session to every client instead
   * of answering: the bytes of a `.server.raw` recording, optionally cut at
   * the recorded read boundaries and paced by the client's actions (see
   * {@linkcode AmiReplayOptions}). What clients send is still recorded.
   *
   * @param serverBytes The recorded bytes the server sent, banner first.
   * @param options Timeline and client recording for pacing.
   * @returns The server; listen or connect as usual.
   *
   * @example Replaying a recording to an in-memory client
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * const recorded = new TextEncoder().encode(
   *   "Asterisk Call Manager/13.0.0\r\nEvent: Shutdown\r\nShutdown: Cleanly\r\n\r\n",
   * );
   * await using server = AmiTestServer.replay(recorded, { closeAtEnd: true });
   * const { readable } = server.connect();
   * const received = new Uint8Array(await new Response(readable).arrayBuffer());
   * assert.deepEqual(received, recorded);
   * ```
   */
  static replay(serverBytes: Uint8Array, options: AmiReplayOptions = {}): AmiTestServer {
    const server = new AmiTestServer();
    server.#replay = createReplayPlayer(serverBytes, options);
    return server;
  }

  /**
   * The sessions that are open now, in connection order.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * server.connect();
   * assert.equal(server.sessions.length, 1);
   * ```
   */
  get sessions(): readonly AmiTestSession[] {
    return [...this.#sessions.open];
  }

  /**
   * Every frame every client sent, in arrival order.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * assert.equal(server.received.length, 0);
   * ```
   */
  get received(): readonly AmiMessage[] {
    return this.#log.messages;
  }

  /**
   * Aborts when the server starts closing. Pass it to waits inside handlers
   * so that closing the server ends them.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * const server = new AmiTestServer();
   * await server.close();
   * assert.ok(server.signal.aborted);
   * ```
   */
  get signal(): AbortSignal {
    return this.#stopping.signal;
  }

  /**
   * The port of the latest {@linkcode AmiTestServer.listen}.
   *
   * @throws {Error} when the server has not listened yet.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * server.listen();
   * assert.ok(server.port > 0);
   * ```
   */
  get port(): number {
    return this.#listeners.latest.port;
  }

  /**
   * A URL for the latest {@linkcode AmiTestServer.listen}, with the first
   * user's credentials: `ami://admin:amp111@127.0.0.1:PORT`, or `amis://…`
   * over TLS. Names and secrets are percent-encoded.
   *
   * @throws {Error} when the server has not listened yet.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer({ users: { bob: "s3cret" } });
   * server.listen();
   * assert.ok(server.url.startsWith("ami://bob:s3cret@127.0.0.1:"));
   * ```
   */
  get url(): string {
    const { hostname, port, tls } = this.#listeners.latest;
    const [user, secret] = Object.entries(this.users)[0] ?? [];
    const credentials = user === undefined
      ? ""
      : `${encodeURIComponent(user)}:${encodeURIComponent(secret ?? "")}@`;
    const host = hostname.includes(":") ? `[${hostname}]` : hostname;
    return `${tls ? "amis" : "ami"}://${credentials}${host}:${port}`;
  }

  /**
   * Adds or replaces the handler of an action (names ignore case). `Login`,
   * `Challenge`, `Logoff`, `Events` and `Filter` are part of the session and
   * cannot be replaced; `Ping` and `Command` can.
   *
   * @param action The action's name.
   * @param handler Answers it; see {@linkcode AmiTestReply}.
   * @returns The server, for chaining.
   *
   * @example An event list
   * ```ts
   * import { AmiTestServer, eventList } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer();
   * server.handle("CoreShowChannels", () =>
   *   eventList(
   *     [{ Event: "CoreShowChannel", Channel: "Local/100@default-00000000;1" }],
   *     { message: "Channels will follow" },
   *   ));
   * ```
   */
  handle(action: string, handler: AmiTestHandler): this {
    this.#handlers.handle(action, handler);
    return this;
  }

  /**
   * Adds a CLI command for the `Command` action. A string matches the command
   * line exactly (case and runs of spaces aside); a RegExp is tested against
   * it. An unknown command gets Asterisk's `No such command` error.
   *
   * @param command The command line, or a pattern.
   * @param run Returns the output, lines ending in `\n`.
   * @returns The server, for chaining.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   *
   * await using server = new AmiTestServer({ commandFormat: "legacy" });
   * server.command("core show version", () => "Asterisk 13.38.3 built by test\n");
   * server.command(/^core show channel (\S+)$/, (line) => ({
   *   output: `${line.split(" ")[3]} is not a known channel\n`,
   *   error: true,
   * }));
   * ```
   */
  command(command: string | RegExp, run: AmiTestCommand): this {
    this.#handlers.command(command, run);
    return this;
  }

  /**
   * Listens on TCP, or on TLS when `cert` and `key` are given. It may be
   * called more than once; {@linkcode AmiTestServer.port} and
   * {@linkcode AmiTestServer.url} describe the latest listener.
   *
   * @param options Where to listen; port 0 (the default) picks a free port.
   * @returns The bound address.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * await using server = new AmiTestServer();
   * const address = server.listen({ hostname: "127.0.0.1", port: 0 });
   * const conn = await Deno.connect({ hostname: "127.0.0.1", port: address.port });
   * conn.close();
   * ```
   */
  listen(options: AmiTestListenOptions = {}): AmiTestAddress {
    if (this.#closed !== undefined) throw new Error("The test server is closed");
    if (!onDeno()) {
      throw new Error(
        "AmiTestServer.listen() binds synchronously, which only Deno can do; " +
          "on Node.js use `await server.serve()`",
      );
    }
    return this.#listeners.add(listenDeno(listenSpec(options), this.#accept));
  }

  /**
   * Listens like {@linkcode AmiTestServer.listen}, on Deno and on Node.js
   * (over `node:net`, or `node:tls` with `cert` and `key`); resolves once
   * bound.
   *
   * @param options Where to listen; port 0 (the default) picks a free port.
   * @returns The bound address.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using server = new AmiTestServer({ users: { admin: "amp111" } });
   * const { port } = await server.serve({ port: 0 });
   * assert.equal(server.url, `ami://admin:amp111@127.0.0.1:${port}`);
   * ```
   */
  async serve(options: AmiTestListenOptions = {}): Promise<AmiTestAddress> {
    if (this.#closed !== undefined) throw new Error("The test server is closed");
    const spec = listenSpec(options);
    if (onDeno()) return this.#listeners.add(listenDeno(spec, this.#accept));
    const listening = await listenNode(spec, this.#accept);
    if (this.#closed !== undefined) {
      await listening.close();
      throw new Error("The test server is closed");
    }
    return this.#listeners.add(listening);
  }

  /**
   * Stops accepting connections (new connections are refused); open
   * sessions go on. Call {@linkcode AmiTestServer.listen} again to accept
   * again, on the same port if it is still free.
   *
   * @returns Resolves once every listener is closed.
   *
   * @example Making reconnects fail for a while
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   *
   * await using server = new AmiTestServer();
   * const { port } = server.listen();
   * await server.stopListening();
   * await Deno.connect({ hostname: "127.0.0.1", port }).then(
   *   (conn) => conn.close(),
   *   (error) => assert.ok(error instanceof Deno.errors.ConnectionRefused),
   * );
   * ```
   */
  async stopListening(): Promise<void> {
    await this.#listeners.closeAll();
  }

  /**
   * Connects a client in memory, with no socket: returns the stream pair to
   * hand to the client, and the session serving it.
   *
   * @returns The client's streams and the server's session.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * const { readable, writable, session } = server.connect();
   * const first = await readable.getReader().read();
   * assert.ok(new TextDecoder().decode(first.value).startsWith("Asterisk Call Manager/"));
   * await writable.close();
   * await session.closed;
   * ```
   */
  connect(): AmiTestConnection {
    if (this.#closed !== undefined) throw new Error("The test server is closed");
    const { client, server } = memoryLink();
    const session = this.#open(server);
    return { readable: client.readable, writable: client.writable, session };
  }

  /**
   * Broadcasts an event to every logged-in session whose event mask and
   * filters let it through. Events raised while a session is answering an
   * action are written after that answer, never inside it.
   *
   * @param event The event: fields (give `Privilege`, e.g. `call,all`, so
   *   masks apply), a message, or the frame's text.
   * @returns How many sessions it was sent to.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * const sent = server.emit({ Event: "PeerStatus", Privilege: "system,all", Peer: "PJSIP/100" });
   * assert.equal(sent, 0); // nobody is logged in
   * ```
   */
  emit(event: AmiTestEvent | AmiTestFields | AmiMessage | string): number {
    const message = toMessage(event);
    let sent = 0;
    for (const session of this.#sessions.open) if (session.emit(message)) sent++;
    return sent;
  }

  /**
   * Resolves with the n-th session this server ever opened (1 = the first),
   * waiting for it if needed. Rejects if the server closes first.
   *
   * @param n Which session, counting from 1 in connection order.
   * @returns The session.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * const waiting = server.waitForSession(2);
   * server.connect();
   * server.connect();
   * assert.equal((await waiting).id, 2);
   * ```
   */
  waitForSession(n = 1): Promise<AmiTestSession> {
    if (this.#closed !== undefined) this.#sessions.close(new Error("The test server is closed"));
    return this.#sessions.waitFor(n);
  }

  /**
   * Resolves with the `occurrence`-th frame (1 = first), from any session,
   * that matches; counts frames already received, and waits otherwise.
   * Rejects if the server closes first.
   *
   * @param matcher An action name (any case) or a test on the frame.
   * @param occurrence Which match, from 1.
   * @returns The frame.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * const { writable } = server.connect();
   * const login = server.waitForAction("Login");
   * const writer = writable.getWriter();
   * await writer.write(new TextEncoder().encode("Action: Login\r\nUsername: admin\r\nSecret: amp111\r\n\r\n"));
   * assert.equal((await login).get("Username"), "admin");
   * await writer.close();
   * ```
   */
  waitForAction(matcher: ActionMatcher, occurrence = 1): Promise<AmiMessage> {
    return this.#log.waitFor(matcher, occurrence);
  }

  /**
   * Stops listening and ends every session: what each has queued is written,
   * then its connection is closed. Pending waits reject; handlers' waits that
   * use {@linkcode AmiTestServer.signal} end. Calling it again returns the
   * same promise.
   *
   * @returns Resolves once everything has stopped.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * const server = new AmiTestServer();
   * server.listen();
   * server.connect();
   * await server.close();
   * assert.equal(server.sessions.length, 0);
   * ```
   */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  /**
   * Closes the server; see {@linkcode AmiTestServer.close}.
   *
   * @returns Resolves once everything has stopped.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * {
   *   await using server = new AmiTestServer();
   *   server.listen();
   * } // closed here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    this.#stopping.abort(new Error("The test server is closing"));
    await this.stopListening();
    await Promise.all([...this.#sessions.open].map((session) => session.close()));
    const error = new Error("The test server is closed");
    this.#log.close(error);
    this.#sessions.close(error);
  }

  /** Takes an accepted connection: a session, unless the server is closing. */
  readonly #accept = (link: Link): void => {
    if (this.#closed !== undefined) link.release();
    else this.#open(link);
  };

  #open(link: Link): AmiTestSession {
    const session = openSession(this.#host, link, this.#sessions.nextId);
    this.#sessions.add(session);
    return session;
  }
}
