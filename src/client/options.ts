/**
 * Options of the client, and `ami://` URLs.
 *
 * @module
 */

import type { AmiStateChange } from "./state.ts";
import type { AmiProtocolError } from "../errors.ts";
import type { AmiEndpoint, AmiTlsOptions } from "../transport/open_transport.ts";
import type { AmiWireFrame } from "../wire/wire_tap.ts";

/** The default time an action may take before it fails: 10 s. */
export const DEFAULT_ACTION_TIMEOUT_MS = 10_000;
/** The default time connecting, reading the banner and logging in may take: 10 s. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Options of an {@linkcode AmiClient}, whatever its transport.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AmiClientOptions, formatWireFrame } from "@x/ami";
 * const options: AmiClientOptions = {
 *   actionTimeout: 5_000,
 *   onWire: (frame) => void formatWireFrame(frame),
 * };
 * assert.equal(options.actionTimeout, 5_000);
 * ```
 */
export interface AmiClientOptions {
  /** Default time, in ms, an action may take; `Infinity` for none. Defaults to 10 s. */
  actionTimeout?: number;
  /** The largest frame accepted from the server, in bytes; defaults to 1 MiB. */
  maxFrameBytes?: number;
  /**
   * The most text (about bytes) of actions waiting to be written while the
   * server does not read; past it, actions fail at once with
   * `AmiWriteQueueFullError`. Defaults to 8 MiB.
   */
  maxWriteQueueBytes?: number;
  /** Default buffer size of `events()` consumers; defaults to 1024 events. */
  eventBufferSize?: number;
  /**
   * How many events read before the first `events()` consumer exists wait
   * for it, so that `connect()` then `events()` loses nothing; defaults to
   * 1024, `0` drops them. When more came, the first consumer gets an
   * `AmiGap("overflow")` after them (with `gaps: true`) or an
   * `AmiConsumerOverflowError` after them: never silence.
   */
  heldEvents?: number;
  /**
   * `auto`: the client adds include `Filter`s and sets the smallest event
   * mask for what its consumers (and pending `originate()`s) want, so the
   * server sends less; what a filter cannot say is still filtered in the
   * client. The selection grows as consumers come and is rebuilt on each new
   * connection. Needs `write=system`; without it the client falls back to
   * the mask alone and says so (`stats.serverFilters` is `"fallback"`, and
   * `onProtocolError` gets a `filter-refused`). Defaults to `off`.
   */
  serverFilters?: "auto" | "off";
  /** Whether the server sends the `Asterisk Call Manager/…` line first; defaults to `true`. */
  banner?: boolean;
  /**
   * Sees every frame sent and received. Use {@linkcode formatWireFrame} to log safely.
   * If it throws, the frame goes on as usual and what it threw is reported to
   * `onProtocolError` (kind `hook-error`).
   */
  onWire?: (frame: AmiWireFrame) => void;
  /**
   * Told about frames that were skipped or could not be routed, and about
   * other hooks that threw (kind `hook-error`); the session goes on. If it
   * throws itself, that is only counted (`stats.hookErrors`).
   */
  onProtocolError?: (error: AmiProtocolError) => void;
  /**
   * Told of each change of the connection's state; see also `client.stateChanges()`.
   * If it throws, the change happens all the same and what it threw is
   * reported to `onProtocolError` (kind `hook-error`).
   */
  onStateChange?: (change: AmiStateChange) => void;
}

/**
 * Where the server-side filtering of `serverFilters: "auto"` stands, in
 * `client.stats.serverFilters`: `off` (not asked for), `auto` (the client
 * adds include filters for its consumers), or `fallback` (the server refused
 * a `Filter`, for instance for a user without `write=system`: the client
 * sets only the event mask and filters the rest itself; each refusal is also
 * reported to `onProtocolError` with kind `filter-refused`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiServerFilterStatus } from "@x/ami";
 * const status: AmiServerFilterStatus = "fallback";
 * assert.notEqual(status, "auto");
 * ```
 */
export type AmiServerFilterStatus = "off" | "auto" | "fallback";

/**
 * Per-action options.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiSendOptions } from "@x/ami";
 * const options: AmiSendOptions = { timeout: 2_000, signal: new AbortController().signal };
 * assert.equal(options.timeout, 2_000);
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
 * import assert from "node:assert/strict";
 * import type { AmiClientStats } from "@x/ami";
 * const idle: AmiClientStats = {
 *   pendingActions: 0,
 *   waitingActions: 0,
 *   eventConsumers: 0,
 *   bufferedEvents: 0,
 *   reconnectAttempts: 0,
 *   hookErrors: 0,
 *   serverFilters: "off",
 * };
 * assert.equal(idle.pendingActions, 0);
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
  /** User hooks (`onWire`, `onStateChange`, `onProtocolError`) that threw; see `AmiClientOptions`. */
  readonly hookErrors: number;
  /** Where `serverFilters: "auto"` stands: `off`, `auto`, or `fallback` after a refused `Filter`. */
  readonly serverFilters: AmiServerFilterStatus;
}

/**
 * How to log in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiLoginOptions } from "@x/ami";
 * const login: AmiLoginOptions = { username: "admin", secret: "amp111", events: "call,system" };
 * assert.equal(login.auth, undefined); // MD5 by default
 * ```
 */
export interface AmiLoginOptions {
  /** The manager user (`[admin]` in manager.conf). */
  username: string;
  /** Its secret. Never written to errors or wire-tap output. */
  secret: string;
  /** `md5` (default): challenge-response, the secret never crosses the wire; or `plain`. */
  auth?: "md5" | "plain";
  /**
   * The `Events` value sent with `Login`: `true`/`"on"` for all the user may
   * read, `false`/`"off"` for none, or a class list such as `"call,system"`.
   * Left out, Asterisk sends all events.
   */
  events?: boolean | string;
}

/**
 * Automatic reconnection: exponential backoff with jitter, capped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiReconnectOptions } from "@x/ami";
 * const reconnect: AmiReconnectOptions = { initialDelay: 500, maxDelay: 30_000, maxLoginFailures: 3 };
 * assert.equal(reconnect.maxDelay, 30_000);
 * ```
 */
export interface AmiReconnectOptions {
  /** Delay before the first attempt, in ms; defaults to 250. */
  initialDelay?: number;
  /** Largest delay between attempts, in ms; defaults to 30 000. */
  maxDelay?: number;
  /** Growth of the delay per failed attempt; defaults to 2. */
  factor?: number;
  /** Random share of each delay, 0 to 1, so that many clients do not retry at once; defaults to 0.2. */
  jitter?: number;
  /**
   * Attempts before giving up; defaults to `Infinity`. A connection counts
   * as up (and the count starts again) once it carried a frame after the
   * login or stayed up 5 s; one that drops sooner, silent, is one more
   * attempt, and the backoff keeps growing.
   */
  maxAttempts?: number;
  /** Refused logins in a row before giving up (the password changed?); defaults to 3. */
  maxLoginFailures?: number;
  /**
   * What an action sent while the connection is down does: `wait` (default)
   * until it is back, within the action's timeout, or `fail` at once.
   */
  whileDisconnected?: "wait" | "fail";
}

/**
 * Keepalive: a `Ping` every `interval` ms; a server that does not answer
 * within `timeout` ms is taken for dead (a half-open socket reports no error
 * by itself) and the connection is dropped, and replaced when reconnection
 * is on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiKeepaliveOptions } from "@x/ami";
 * const keepalive: AmiKeepaliveOptions = { interval: 15_000, timeout: 5_000 };
 * assert.equal(keepalive.interval, 15_000);
 * ```
 */
export interface AmiKeepaliveOptions {
  /** Time between pings, in ms; defaults to 30 000. */
  interval?: number;
  /** Time a ping may take, in ms; defaults to 10 000. */
  timeout?: number;
}

/**
 * Options of {@linkcode AmiClient.connect}: where, who, and how to stay up.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiConnectOptions } from "@x/ami";
 * const options: AmiConnectOptions = {
 *   hostname: "127.0.0.1",
 *   port: 5038,
 *   username: "admin",
 *   secret: "amp111",
 *   reconnect: true,
 *   keepalive: { interval: 20_000 },
 * };
 * assert.equal(options.port, 5038);
 * ```
 */
export interface AmiConnectOptions extends AmiClientOptions, AmiLoginOptions {
  /** Host name or address; defaults to `127.0.0.1`. */
  hostname?: string;
  /** Port; defaults to 5038, or 5039 with TLS. */
  port?: number;
  /** TLS (`amis://`): `true`, or options such as extra root certificates. */
  tls?: boolean | AmiTlsOptions;
  /** Time, in ms, to connect, read the banner and log in; defaults to 10 s. */
  connectTimeout?: number;
  /** Reconnect when the connection drops: `true` for the defaults, or options. Off by default. */
  reconnect?: boolean | AmiReconnectOptions;
  /** Ping the server to find dead connections: `true` for the defaults, or options. Off by default. */
  keepalive?: boolean | AmiKeepaliveOptions;
}

/**
 * Reads an `ami://user:secret@host:port` (or `amis://` for TLS) URL into
 * connect options. Query parameters: `events` (`on`, `off` or a class list),
 * `auth` (`md5` or `plain`). User and secret are percent-decoded.
 *
 * @param url The URL.
 * @returns The options it describes.
 * @throws {TypeError} for another scheme, or a URL without user or secret.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseAmiUrl } from "@x/ami";
 * const options = parseAmiUrl("ami://admin:amp%40111@pbx.local?events=off");
 * assert.ok(options.secret === "amp@111" && options.port === 5038 && options.events === "off");
 * ```
 */
export function parseAmiUrl(url: string | URL): AmiConnectOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError("Not a valid URL: expected ami://user:secret@host:port");
  }
  const tls = parsed.protocol === "amis:";
  if (!tls && parsed.protocol !== "ami:") {
    throw new TypeError(`Unsupported scheme "${parsed.protocol}": use ami:// or amis://`);
  }
  if (parsed.username === "" || parsed.password === "") {
    throw new TypeError("The URL needs a user and a secret: ami://user:secret@host:port");
  }
  const options: AmiConnectOptions = {
    hostname: parsed.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1",
    port: parsed.port === "" ? (tls ? 5039 : 5038) : Number(parsed.port),
    username: decodeURIComponent(parsed.username),
    secret: decodeURIComponent(parsed.password),
  };
  if (tls) options.tls = true;
  const events = parsed.searchParams.get("events");
  if (events !== null) options.events = events;
  const auth = parsed.searchParams.get("auth");
  if (auth !== null) {
    if (auth !== "md5" && auth !== "plain") {
      throw new TypeError(`Unsupported auth "${auth}": use md5 or plain`);
    }
    options.auth = auth;
  }
  return options;
}

/** The endpoint part of connect options, with defaults. */
export function endpointOf(options: AmiConnectOptions): AmiEndpoint {
  const tls = options.tls ?? false;
  const endpoint: AmiEndpoint = {
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? (tls === false ? 5038 : 5039),
  };
  if (tls !== false) endpoint.tls = tls;
  return endpoint;
}

/** The login part of connect options. */
export function loginOf(options: AmiConnectOptions): AmiLoginOptions {
  const login: AmiLoginOptions = { username: options.username, secret: options.secret };
  if (options.auth !== undefined) login.auth = options.auth;
  if (options.events !== undefined) login.events = options.events;
  return login;
}

/** Reconnect options with defaults applied, or `undefined` when off. */
export function reconnectSettings(
  option: boolean | AmiReconnectOptions | undefined,
): Required<AmiReconnectOptions> | undefined {
  if (option === undefined || option === false) return undefined;
  const given = option === true ? {} : option;
  return {
    initialDelay: given.initialDelay ?? 250,
    maxDelay: given.maxDelay ?? 30_000,
    factor: given.factor ?? 2,
    jitter: Math.min(1, Math.max(0, given.jitter ?? 0.2)),
    maxAttempts: given.maxAttempts ?? Infinity,
    maxLoginFailures: given.maxLoginFailures ?? 3,
    whileDisconnected: given.whileDisconnected ?? "wait",
  };
}

/** Keepalive options with defaults applied, or `undefined` when off. */
export function keepaliveSettings(
  option: boolean | AmiKeepaliveOptions | undefined,
): Required<AmiKeepaliveOptions> | undefined {
  if (option === undefined || option === false) return undefined;
  const given = option === true ? {} : option;
  return { interval: given.interval ?? 30_000, timeout: given.timeout ?? 10_000 };
}
