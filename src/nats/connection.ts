/**
 * What the bridge uses of a NATS connection, as plain types: a
 * `NatsConnection` of `@nats-io/nats-core` 3.x has all of it.
 *
 * @module
 */

/**
 * A request as the bridge reads it.
 *
 * @example
 * ```ts
 * import type { AmiNatsMsg } from "@x/ami/nats";
 * import assert from "node:assert/strict";
 * const msg: AmiNatsMsg = { subject: "ami.a.action.Ping", reply: "_INBOX.1", string: () => "{}", respond: () => true };
 * assert.equal(msg.string(), "{}");
 * ```
 */
export interface AmiNatsMsg {
  /** The subject it was sent to. */
  readonly subject: string;
  /** Where to answer. */
  readonly reply?: string | undefined;
  /** The body as text. */
  string(): string;
  /** Answers. */
  respond(data?: Uint8Array): boolean;
}

/**
 * A subscription as the bridge ends it.
 *
 * @example
 * ```ts
 * import type { AmiNatsSubscription } from "@x/ami/nats";
 * import assert from "node:assert/strict";
 * const sub: AmiNatsSubscription = { unsubscribe: () => {}, drain: () => Promise.resolve() };
 * assert.equal(typeof sub.drain, "function");
 * ```
 */
export interface AmiNatsSubscription {
  /** Ends it at once. */
  unsubscribe(): void;
  /** Ends it once the messages it holds are handled. */
  drain(): Promise<void>;
}

/**
 * What the bridge needs of a NATS connection: pass a `NatsConnection`
 * (from `connect()` of `@nats-io/transport-node`, 3.x) that reconnects
 * forever (`maxReconnectAttempts: -1`).
 *
 * @example
 * ```ts
 * import type { AmiNatsConnection } from "@x/ami/nats";
 * import assert from "node:assert/strict";
 * const closed: Pick<AmiNatsConnection, "isClosed"> = { isClosed: () => true };
 * assert.ok(closed.isClosed());
 * ```
 */
export interface AmiNatsConnection {
  /** The server's limits, once connected. */
  readonly info?: { readonly max_payload: number } | undefined;
  /** Whether it is closed for good. */
  isClosed(): boolean;
  /** Its status changes (`disconnect`, `reconnect`, …). */
  status(): AsyncIterable<{ readonly type: string }>;
  /** Subscribes. */
  subscribe(
    subject: string,
    options: { queue?: string; callback?: (error: Error | null, msg: AmiNatsMsg) => void },
  ): AmiNatsSubscription;
}

/**
 * Publishes one message to JetStream and resolves with JetStream's ack;
 * the bridge's default wraps `jetstream(nats).publish`. The same `msgId`
 * comes with every retry of a message.
 *
 * @example
 * ```ts
 * import type { AmiJetStreamPublish } from "@x/ami/nats";
 * import assert from "node:assert/strict";
 * const seen = new Set<string>();
 * const inMemory: AmiJetStreamPublish = (_subject, _payload, { msgId }) => {
 *   const duplicate = seen.has(msgId);
 *   seen.add(msgId);
 *   return Promise.resolve({ duplicate });
 * };
 * const options = { msgId: "a:1:1", headers: [], timeout: 1_000 };
 * assert.equal((await inMemory("ami.a.evt.Ping", "", options)).duplicate, false);
 * assert.equal((await inMemory("ami.a.evt.Ping", "", options)).duplicate, true);
 * ```
 */
export type AmiJetStreamPublish = (
  subject: string,
  payload: string,
  options: {
    readonly msgId: string;
    readonly headers: readonly (readonly [string, string])[];
    readonly timeout: number;
  },
) => Promise<{ readonly duplicate: boolean }>;
