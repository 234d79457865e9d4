/**
 * {@linkcode AmiTestServer}: an in-process AMI server for tests, over real
 * TCP/TLS sockets or in-memory streams.
 *
 * @module
 */

import type { AmiMessage } from "../wire/message.ts";
import { ActionLog, type ActionMatcher } from "./action_log.ts";
import type { AmiTestFaults } from "./faults.ts";
import { type AmiStreamPair, connLink, type Link, memoryLink } from "./links.ts";
import {
  type AmiTestEvent,
  type AmiTestFields,
  rawReply,
  timestamp,
  toMessage,
} from "./replies.ts";
import type { AmiTestReply } from "./replies.ts";
import { type AmiReplayOptions, createReplayPlayer } from "./replay.ts";
import {
  type AmiTestHandler,
  type AmiTestSession,
  openSession,
  type ReplayPlayer,
  type SessionHost,
} from "./session.ts";

/** The banner Asterisk 12 to 23 send: the AMI protocol version, not Asterisk's. */
export const DEFAULT_BANNER = "Asterisk Call Manager/13.0.0";

/**
 * What a CLI command registered with {@linkcode AmiTestServer.command}
 * answers: its output text, or the output and whether the command failed.
 *
 * @example
 * ```ts
 * import type { AmiTestCommandResult } from "@x/ami/testing";
 * const failed: AmiTestCommandResult = { output: "Usage: core show channel <channel>\n", error: true };
 * console.assert(failed.error);
 * ```
 */
export interface AmiTestCommandResult {
  /** The CLI output, lines ending in `\n`. */
  output: string;
  /** Whether the command failed (`Response: Error`). */
  error?: boolean;
}

/**
 * Runs one CLI command for the `Command` action: gets the command line as
 * sent and the session, returns the output.
 *
 * @example
 * ```ts
 * import type { AmiTestCommand } from "@x/ami/testing";
 * const version: AmiTestCommand = () => "Asterisk 23.0.0 built by test\n";
 * console.assert(typeof version === "function");
 * ```
 */
export type AmiTestCommand = (
  command: string,
  session: AmiTestSession,
) => string | AmiTestCommandResult | Promise<string | AmiTestCommandResult>;

/**
 * The options of {@linkcode AmiTestServer}.
 *
 * @example
 * ```ts
 * import type { AmiTestServerOptions } from "@x/ami/testing";
 * const options: AmiTestServerOptions = {
 *   users: { admin: "amp111" },
 *   authFailureDelayMs: 5,
 *   commandFormat: "legacy",
 * };
 * console.assert(options.commandFormat === "legacy");
 * ```
 */
export interface AmiTestServerOptions {
  /** Users and their secrets; defaults to `{ admin: "amp111" }`. */
  users?: Record<string, string>;
  /** The first line sent on connect; defaults to {@linkcode DEFAULT_BANNER}. */
  banner?: string;
  /**
   * How long a failed Login waits before `Authentication failed`; defaults to
   * 1000 ms, as Asterisk. Tests set it small.
   */
  authFailureDelayMs?: number;
  /**
   * How `Command` answers: `modern` (one `Output:` field per line, Asterisk
   * 14 and later) or `legacy` (`Response: Follows` … `--END COMMAND--`,
   * Asterisk 13 and older). Defaults to `modern`.
   */
  commandFormat?: "modern" | "legacy";
  /** Action handlers by action name; see {@linkcode AmiTestServer.handle}. */
  handlers?: Record<string, AmiTestHandler>;
  /** CLI commands for `Command`; see {@linkcode AmiTestServer.command}. */
  commands?: Record<string, AmiTestCommand>;
  /** Faults for every session; see {@linkcode AmiTestFaults}. */
  faults?: AmiTestFaults;
}

/**
 * Where {@linkcode AmiTestServer.listen} listens. With `cert` and `key` it
 * serves TLS.
 *
 * @example
 * ```ts
 * import type { AmiTestListenOptions } from "@x/ami/testing";
 * const options: AmiTestListenOptions = { hostname: "127.0.0.1", port: 0 };
 * console.assert(options.port === 0);
 * ```
 */
export interface AmiTestListenOptions {
  /** The address to bind; defaults to `127.0.0.1`. */
  hostname?: string;
  /** The port; defaults to 0, any free port. */
  port?: number;
  /** A PEM certificate chain: serve TLS. */
  cert?: string;
  /** The PEM private key for `cert`. */
  key?: string;
}

/**
 * A client's in-memory connection from {@linkcode AmiTestServer.connect}:
 * the stream pair to give the client, and the server's session for it.
 *
 * @example
 * ```ts
 * import { AmiTestServer, type AmiTestConnection } from "@x/ami/testing";
 * await using server = new AmiTestServer();
 * const connection: AmiTestConnection = server.connect();
 * console.assert(connection.session.transport === "memory");
 * ```
 */
export interface AmiTestConnection extends AmiStreamPair {
  /** The server's end. */
  readonly session: AmiTestSession;
}

interface Listening {
  readonly listener: Deno.Listener;
  readonly accepting: Promise<void>;
}

interface SessionWaiter {
  remaining: number;
  readonly resolve: (session: AmiTestSession) => void;
  readonly reject: (error: Error) => void;
}

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

  readonly #handlers = new Map<string, AmiTestHandler>();
  readonly #commands: { match: string | RegExp; run: AmiTestCommand }[] = [];
  readonly #sessions = new Set<AmiTestSession>();
  readonly #everySession: AmiTestSession[] = [];
  #sessionWaiters: SessionWaiter[] = [];
  readonly #log = new ActionLog();
  readonly #listening: Listening[] = [];
  readonly #stopping = new AbortController();
  readonly #startedAt = Date.now();
  readonly #host: SessionHost;
  #replay: ReplayPlayer | undefined;
  #closed: Promise<void> | undefined;
  #address: { hostname: string; port: number; tls: boolean } | undefined;

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
    // deno-lint-ignore no-this-alias
    const server = this;
    this.#host = {
      get banner() {
        return server.banner;
      },
      get users() {
        return server.users;
      },
      get authFailureDelayMs() {
        return server.authFailureDelayMs;
      },
      get faults() {
        return server.faults;
      },
      get replay() {
        return server.#replay;
      },
      startedAt: this.#startedAt,
      handlerFor: (name) => this.#handlers.get(name) ?? this.#builtIn(name),
      record: (message) => this.#log.push(message),
      detach: (session) => this.#sessions.delete(session),
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
   * await using server = new AmiTestServer();
   * server.connect();
   * console.assert(server.sessions.length === 1);
   * ```
   */
  get sessions(): readonly AmiTestSession[] {
    return [...this.#sessions];
  }

  /**
   * Every frame every client sent, in arrival order.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * await using server = new AmiTestServer();
   * console.assert(server.received.length === 0);
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
   * const server = new AmiTestServer();
   * await server.close();
   * console.assert(server.signal.aborted);
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
   * await using server = new AmiTestServer();
   * server.listen();
   * console.assert(server.port > 0);
   * ```
   */
  get port(): number {
    return this.#listeningAddress().port;
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
   * await using server = new AmiTestServer({ users: { bob: "s3cret" } });
   * server.listen();
   * console.assert(server.url.startsWith("ami://bob:s3cret@127.0.0.1:"));
   * ```
   */
  get url(): string {
    const { hostname, port, tls } = this.#listeningAddress();
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
    const name = action.trim().toLowerCase();
    if (RESERVED.has(name)) {
      throw new TypeError(
        `the ${action} action is built into every session and cannot be replaced`,
      );
    }
    this.#handlers.set(name, handler);
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
    this.#commands.unshift({
      match: typeof command === "string" ? normalizeCommand(command) : command,
      run,
    });
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
  listen(options: AmiTestListenOptions = {}): Deno.NetAddr {
    if (this.#closed !== undefined) throw new Error("the test server is closed");
    const hostname = options.hostname ?? "127.0.0.1";
    const port = options.port ?? 0;
    const tls = options.cert !== undefined || options.key !== undefined;
    const listener: Deno.Listener = tls
      ? Deno.listenTls({
        hostname,
        port,
        cert: options.cert ?? "",
        key: options.key ?? "",
        transport: "tcp",
      })
      : Deno.listen({ hostname, port, transport: "tcp" });
    const address = listener.addr as Deno.NetAddr;
    this.#listening.push({ listener, accepting: this.#accept(listener, tls) });
    this.#address = { hostname: address.hostname, port: address.port, tls };
    return address;
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
   * await using server = new AmiTestServer();
   * const { port } = server.listen();
   * await server.stopListening();
   * await Deno.connect({ hostname: "127.0.0.1", port }).then(
   *   (conn) => conn.close(),
   *   (error) => console.assert(error instanceof Deno.errors.ConnectionRefused),
   * );
   * ```
   */
  async stopListening(): Promise<void> {
    const listening = this.#listening.splice(0);
    for (const { listener } of listening) {
      try {
        listener.close();
      } catch {
        // Already closed.
      }
    }
    await Promise.all(listening.map(({ accepting }) => accepting));
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
   * await using server = new AmiTestServer();
   * const { readable, writable, session } = server.connect();
   * const first = await readable.getReader().read();
   * console.assert(new TextDecoder().decode(first.value).startsWith("Asterisk Call Manager/"));
   * await writable.close();
   * await session.closed;
   * ```
   */
  connect(): AmiTestConnection {
    if (this.#closed !== undefined) throw new Error("the test server is closed");
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
   * await using server = new AmiTestServer();
   * const sent = server.emit({ Event: "PeerStatus", Privilege: "system,all", Peer: "PJSIP/100" });
   * console.assert(sent === 0); // nobody is logged in
   * ```
   */
  emit(event: AmiTestEvent | AmiTestFields | AmiMessage | string): number {
    const message = toMessage(event);
    let sent = 0;
    for (const session of this.#sessions) if (session.emit(message)) sent++;
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
   * await using server = new AmiTestServer();
   * const waiting = server.waitForSession(2);
   * server.connect();
   * server.connect();
   * console.assert((await waiting).id === 2);
   * ```
   */
  waitForSession(n = 1): Promise<AmiTestSession> {
    const index = Math.max(1, Math.floor(n));
    const existing = this.#everySession[index - 1];
    if (existing !== undefined) return Promise.resolve(existing);
    if (this.#closed !== undefined) return Promise.reject(new Error("the test server is closed"));
    return new Promise((resolve, reject) => {
      this.#sessionWaiters.push({ remaining: index - this.#everySession.length, resolve, reject });
    });
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
   * await using server = new AmiTestServer();
   * const { writable } = server.connect();
   * const login = server.waitForAction("Login");
   * const writer = writable.getWriter();
   * await writer.write(new TextEncoder().encode("Action: Login\r\nUsername: admin\r\nSecret: amp111\r\n\r\n"));
   * console.assert((await login).get("Username") === "admin");
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
   * const server = new AmiTestServer();
   * server.listen();
   * server.connect();
   * await server.close();
   * console.assert(server.sessions.length === 0);
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
    this.#stopping.abort(new Error("the test server is closing"));
    await this.stopListening();
    await Promise.all([...this.#sessions].map((session) => session.close()));
    const error = new Error("the test server is closed");
    this.#log.close(error);
    const waiters = this.#sessionWaiters;
    this.#sessionWaiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  async #accept(listener: Deno.Listener, tls: boolean): Promise<void> {
    try {
      for await (const conn of listener) {
        if (this.#closed !== undefined) {
          conn.close();
          continue;
        }
        this.#open(connLink(conn, tls ? "tls" : "tcp"));
      }
    } catch {
      // The listener was closed.
    }
  }

  #open(link: Link): AmiTestSession {
    const session = openSession(this.#host, link, this.#everySession.length + 1);
    this.#everySession.push(session);
    if (!session.isClosed) this.#sessions.add(session);
    this.#sessionWaiters = this.#sessionWaiters.filter((waiter) => {
      if (--waiter.remaining > 0) return true;
      waiter.resolve(session);
      return false;
    });
    return session;
  }

  #listeningAddress(): { hostname: string; port: number; tls: boolean } {
    if (this.#address === undefined) {
      throw new Error("the test server is not listening; call listen() first");
    }
    return this.#address;
  }

  #builtIn(name: string): AmiTestHandler | undefined {
    switch (name) {
      case "ping":
        return () => ({ Ping: "Pong", Timestamp: timestamp() });
      case "command":
        return (action, session) => this.#runCommand(action, session);
      default:
        return undefined;
    }
  }

  async #runCommand(action: AmiMessage, session: AmiTestSession): Promise<AmiTestReply> {
    const line = (action.get("Command") ?? "").trim();
    if (line === "") throw new Error("No command provided");
    const normalized = normalizeCommand(line);
    let result: AmiTestCommandResult | undefined;
    for (const { match, run } of this.#commands) {
      const matches = typeof match === "string" ? match === normalized : match.test(line);
      if (!matches) continue;
      const output = await run(line, session);
      result = typeof output === "string" ? { output } : output;
      break;
    }
    if (result === undefined) {
      const words = line.split(/\s+/);
      const hint = words.slice(0, Math.max(1, words.length - 1)).join(" ");
      result = {
        output: `No such command '${line}' (type 'core show help ${hint}' for other possible ` +
          "commands)\n",
        error: true,
      };
    }
    const rawId = action.get("ActionID")?.trimStart();
    const actionId = rawId === undefined || rawId === "" ? undefined : rawId;
    if (this.commandFormat === "legacy") {
      return rawReply(
        "Response: Follows\r\nPrivilege: Command\r\n" +
          (actionId === undefined ? "" : `ActionID: ${actionId}\r\n`) +
          result.output + "--END COMMAND--\r\n\r\n",
      );
    }
    const output = result.output.endsWith("\n") ? result.output.slice(0, -1) : result.output;
    return {
      Response: result.error ? "Error" : "Success",
      Message: "Command output follows",
      Output: output === "" && result.output === "" ? [] : output.split("\n"),
    };
  }
}

/** Actions every session answers itself. */
const RESERVED = new Set(["login", "challenge", "logoff", "events", "filter"]);

function normalizeCommand(command: string): string {
  return command.trim().replace(/\s+/g, " ").toLowerCase();
}
