/**
 * {@linkcode AmiTestSession}: one client connection to an
 * {@linkcode AmiTestServer}, behaving as an Asterisk manager session does.
 *
 * @module
 */

import type { AmiMessage } from "../wire/message.ts";
import { AmiFrameParser } from "../wire/parser.ts";
import { ActionLog, type ActionMatcher } from "./action_log.ts";
import { describeEventMask } from "./event_filter.ts";
import type { AmiTestFaults } from "./faults.ts";
import {
  type AmiTestAddress,
  type AmiTestTransport,
  ConnectionResetError,
  type Link,
} from "./links.ts";
import {
  type AmiTestFields,
  type AmiTestReply,
  fieldPairs,
  renderFields,
  toMessage,
} from "./replies.ts";
import type { ReplayPlayer, ReplayTarget } from "./replay.ts";
import { SessionAnswers } from "./session_answers.ts";
import { SessionOutput } from "./session_output.ts";
import { type ProtocolHost, SessionProtocol } from "./session_protocol.ts";

const encoder = new TextEncoder();

/**
 * Answers one action. It gets the action as received and the session it came
 * on, and returns (or resolves with) the answer; see
 * {@linkcode AmiTestReply} for the forms an answer may take. Responses are
 * written in request order, whatever the handlers take.
 *
 * @example
 * ```ts
 * import { AmiTestServer, type AmiTestHandler } from "@x/ami/testing";
 *
 * const getVar: AmiTestHandler = (action) => ({
 *   Variable: action.get("Variable") ?? "",
 *   Value: "42",
 * });
 * await using server = new AmiTestServer({ handlers: { GetVar: getVar } });
 * ```
 */
export type AmiTestHandler = (
  action: AmiMessage,
  session: AmiTestSession,
) => AmiTestReply | Promise<AmiTestReply>;

/**
 * What a session needs from its server: the settings it reads each time they
 * apply (a test may change them at any time), and the server's handlers and
 * records. Internal.
 */
export interface SessionHost extends ProtocolHost {
  banner(): string;
  faults(): AmiTestFaults;
  replay(): ReplayPlayer | undefined;
  handlerFor(lowerCaseName: string): AmiTestHandler | undefined;
  record(message: AmiMessage): void;
  detach(session: AmiTestSession): void;
}

/** Proves a session is made by {@linkcode openSession}: module-private. */
const OPEN_SESSION: unique symbol = Symbol("openSession");

/** Opens a session over a link and starts it. Internal: used by the server. */
export function openSession(host: SessionHost, link: Link, id: number): AmiTestSession {
  return new AmiTestSession(OPEN_SESSION, host, link, id);
}

/**
 * One client connection to an {@linkcode AmiTestServer}. It behaves like an
 * Asterisk manager session: banner, Challenge and Login (plain or MD5),
 * `Permission denied` before login, `Logoff`, the event mask and filters, and
 * responses strictly in request order. It also records what the client sent
 * and takes fault injection.
 *
 * Sessions are made by the server; get them from
 * {@linkcode AmiTestServer.sessions} or {@linkcode AmiTestServer.waitForSession}.
 *
 * @example Closing a client's connection from the server side
 * ```ts
 * import { AmiTestServer } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = new AmiTestServer();
 * const client = server.connect();
 * const session = await server.waitForSession();
 * assert.equal(session.authenticated, false);
 * await session.close();
 * const reader = client.readable.getReader();
 * let text = "";
 * for (let r = await reader.read(); !r.done; r = await reader.read()) {
 *   text += new TextDecoder().decode(r.value);
 * }
 * assert.equal(text, "Asterisk Call Manager/13.0.0\r\n");
 * ```
 */
export class AmiTestSession {
  /** The session's number on its server, from 1, in connection order. */
  readonly id: number;
  /** How the client is connected. */
  readonly transport: AmiTestTransport;
  /** The client's address, over TCP or TLS. */
  readonly remoteAddr: AmiTestAddress | undefined;
  /**
   * This session's own faults, over the server's; see
   * {@linkcode AmiTestFaults}. Change them at any time.
   */
  faults: AmiTestFaults = {};

  readonly #host: SessionHost;
  readonly #link: Link;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #output: SessionOutput;
  readonly #parser: AmiFrameParser;
  readonly #log = new ActionLog();
  readonly #protocol: SessionProtocol;
  /** Aborts the work of answering actions (waits, delays) when the session ends. */
  readonly #work = new AbortController();
  readonly #closed: Promise<void>;
  #resolveClosed: () => void = () => {};
  #readLoop: Promise<void> = Promise.resolve();
  readonly #answers: SessionAnswers;
  #ending = false;

  /**
   * Sessions are made by the server (see {@linkcode AmiTestServer.connect}
   * and {@linkcode AmiTestServer.listen}); this constructor refuses anyone
   * else.
   *
   * @param token The server's private token.
   * @param host What the session needs from its server.
   * @param link The connection.
   * @param id The session's number on its server.
   */
  constructor(token: symbol, host: SessionHost, link: Link, id: number) {
    if (token !== OPEN_SESSION) {
      throw new TypeError(
        "AmiTestSession is made by AmiTestServer; use server.connect() or listen()",
      );
    }
    this.#host = host;
    this.#link = link;
    this.id = id;
    this.transport = link.transport;
    this.remoteAddr = link.remoteAddr;
    this.#closed = new Promise((resolve) => this.#resolveClosed = resolve);
    this.#reader = link.readable.getReader();
    this.#output = new SessionOutput(link.writable, () => this.#faults(), () => {
      if (!this.#ending) void this.#end(true);
    });
    this.#parser = new AmiFrameParser((message) => this.#onFrame(message), {
      banner: false,
      maxFrameBytes: 1024 * 1024,
    });
    this.#protocol = new SessionProtocol(host, {
      faults: () => this.#faults(),
      signal: this.#work.signal,
      emit: (message) => void this.emit(message),
    });
    this.#answers = new SessionAnswers({
      protocol: this.#protocol,
      signal: this.#work.signal,
      faults: () => this.#faults(),
      handlerFor: (name) => {
        const handler = host.handlerFor(name);
        return handler && ((action) => handler(action, this));
      },
      ending: () => this.#ending,
      write: (bytes) => void this.#write(bytes),
      end: (abort) => void this.#end(abort),
    });
    this.#start();
  }

  /**
   * Whether the client has logged in.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * server.connect();
   * assert.ok(!(await server.waitForSession()).authenticated);
   * ```
   */
  get authenticated(): boolean {
    return this.#protocol.authenticated;
  }

  /**
   * The user the client logged in as, once it has.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * server.connect();
   * assert.equal((await server.waitForSession()).username, undefined);
   * ```
   */
  get username(): string | undefined {
    return this.#protocol.username;
  }

  /**
   * The event mask: `on`, `off`, or the classes asked for (`call,system`).
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * server.connect();
   * assert.equal((await server.waitForSession()).eventMask, "on");
   * ```
   */
  get eventMask(): string {
    return describeEventMask(this.#protocol.mask);
  }

  /**
   * The `Filter` actions accepted on this session, in order.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * server.connect();
   * assert.equal((await server.waitForSession()).filters.length, 0);
   * ```
   */
  get filters(): readonly AmiMessage[] {
    return this.#protocol.filterActions;
  }

  /**
   * Every frame the client sent on this session, in order.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * server.connect();
   * assert.equal((await server.waitForSession()).received.length, 0);
   * ```
   */
  get received(): readonly AmiMessage[] {
    return this.#log.messages;
  }

  /**
   * How many bytes the session has written so far.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer({ banner: "Asterisk Call Manager/5.0.0" });
   * server.connect();
   * const session = await server.waitForSession();
   * await session.send("");
   * assert.equal(session.bytesSent, 29);
   * ```
   */
  get bytesSent(): number {
    return this.#output.bytesSent;
  }

  /**
   * Whether the session has ended or is ending.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * server.connect();
   * const session = await server.waitForSession();
   * await session.close();
   * assert.ok(session.isClosed);
   * ```
   */
  get isClosed(): boolean {
    return this.#ending;
  }

  /**
   * Resolves once the session has ended, whoever ended it.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * await using server = new AmiTestServer();
   * const client = server.connect();
   * const session = await server.waitForSession();
   * await client.writable.close(); // the client hangs up
   * await session.closed;
   * ```
   */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /**
   * Writes raw bytes to the client now, ahead of any held events, split as
   * the faults say. Text is sent as UTF-8; fields and messages are written as
   * frames as they are. Nothing is checked, so this is the way to send
   * garbage, a cut-short frame or a response nobody asked for.
   *
   * @param data What to write.
   * @returns Whether it was written (`false` once the connection is gone).
   *
   * @example Sending half a frame, then closing
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * await using server = new AmiTestServer();
   * server.connect();
   * const session = await server.waitForSession();
   * await session.send("Event: Hangup\r\nChan");
   * await session.close();
   * ```
   */
  send(data: string | Uint8Array | AmiMessage | AmiTestFields): Promise<boolean> {
    let bytes: Uint8Array;
    if (typeof data === "string") bytes = encoder.encode(data);
    else if (data instanceof Uint8Array) bytes = data;
    else bytes = encoder.encode(renderFields(fieldPairs(data), undefined));
    return this.#write(bytes);
  }

  /**
   * Delivers an event to this session alone, as a broadcast event would be:
   * only after login, only if the event mask and filters let it through, and
   * never in the middle of a response (it is held until the action being
   * answered is done).
   *
   * @param event The event.
   * @returns Whether the event passed and was queued.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * server.connect();
   * const session = await server.waitForSession();
   * assert.equal(session.emit({ Event: "Reload", Privilege: "system,all" }), false);
   * ```
   */
  emit(event: AmiMessage | AmiTestFields | string): boolean {
    const message = toMessage(event);
    if (!this.#protocol.authenticated || this.#ending || this.#faults().silent) return false;
    if (!this.#protocol.allows(message)) return false;
    this.#answers.event(message.toBytes());
    return true;
  }

  /**
   * Resolves with the `occurrence`-th frame (1 = first) this session
   * received that matches, counting those already received; waits for it
   * otherwise. Rejects if the session ends first.
   *
   * @param matcher An action name (any case) or a test on the frame.
   * @param occurrence Which match to wait for, from 1.
   * @returns The frame.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * const client = server.connect();
   * const session = await server.waitForSession();
   * const writer = client.writable.getWriter();
   * await writer.write(new TextEncoder().encode("Action: Ping\r\n\r\n"));
   * assert.equal((await session.waitForAction("ping")).name, "Ping");
   * await writer.close();
   * ```
   */
  waitForAction(matcher: ActionMatcher, occurrence = 1): Promise<AmiMessage> {
    return this.#log.waitFor(matcher, occurrence);
  }

  /**
   * Ends the session cleanly: what is already queued is written, then the
   * connection is closed. Actions still being answered are dropped.
   *
   * @returns Resolves once the session has ended.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * import assert from "node:assert/strict";
   * await using server = new AmiTestServer();
   * server.connect();
   * await (await server.waitForSession()).close();
   * assert.equal(server.sessions.length, 0);
   * ```
   */
  close(): Promise<void> {
    if (!this.#ending) void this.#end(false);
    return this.#closed;
  }

  /**
   * Resets the connection at once: nothing queued is written. An in-memory
   * client's reads fail with an error; a socket is closed without waiting.
   *
   * @returns Resolves once the session has ended.
   *
   * @example
   * ```ts
   * import { AmiTestServer } from "@x/ami/testing";
   * await using server = new AmiTestServer();
   * const client = server.connect();
   * await (await server.waitForSession()).abort();
   * const reader = client.readable.getReader();
   * await reader.read().then(() => {}, () => {}); // the banner, or the reset
   * ```
   */
  abort(): Promise<void> {
    if (!this.#ending) void this.#end(true);
    return this.#closed;
  }

  #faults(): AmiTestFaults {
    return { ...this.#host.faults(), ...this.faults };
  }

  #start(): void {
    if (this.#faults().closeOnConnect) {
      void this.#end(false);
      return;
    }
    this.#readLoop = this.#read();
    const replay = this.#host.replay();
    if (replay !== undefined) {
      void replay.play(this.#replayTarget()).catch(() => this.abort());
    } else {
      void this.#write(encoder.encode(this.#host.banner() + "\r\n"));
    }
  }

  async #read(): Promise<void> {
    try {
      while (true) {
        const { done, value } = await this.#reader.read();
        if (done) break;
        this.#parser.push(value);
      }
    } catch {
      // The connection broke or was closed under the read; either way it is over.
    }
    // An unfinished action at the end is dropped, as Asterisk drops it.
    this.#parser.end();
    if (!this.#ending) void this.#end(false);
  }

  #onFrame(message: AmiMessage): void {
    this.#log.push(message);
    this.#host.record(message);
    if (this.#ending || this.#host.replay() !== undefined || this.#faults().silent) return;
    this.#answers.push(message);
  }

  #write(bytes: Uint8Array): Promise<boolean> {
    if (this.#ending) return Promise.resolve(false);
    return this.#output.write(bytes);
  }

  async #end(abort: boolean): Promise<void> {
    this.#ending = true;
    this.#answers.clear();
    this.#work.abort(new ConnectionResetError());
    await (abort ? this.#output.abort() : this.#output.close());
    await this.#reader.cancel().catch(() => {});
    this.#link.release();
    await this.#readLoop;
    this.#log.close(new Error(`Session ${this.id} has ended`));
    this.#host.detach(this);
    this.#resolveClosed();
  }

  #replayTarget(): ReplayTarget {
    return {
      signal: this.#work.signal,
      write: (bytes) => {
        if (this.#ending) return Promise.resolve(false);
        return this.#write(bytes);
      },
      waitForFrame: (n) => this.#log.waitFor(() => true, n),
      close: () => this.close(),
    };
  }
}
