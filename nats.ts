/**
 * `@x/ami/nats`: a bridge from many PBXs to NATS JetStream. Every event of
 * every PBX of an `AmiPool` goes to `ami.<pbx>.evt.<Event>`, at
 * least once and in order per PBX, with explicit gap messages on
 * `ami.<pbx>.gap` where events were lost; actions are served over NATS
 * request/reply on `ami.<pbx>.action.<Action>`, so NATS permissions decide
 * who may send which action.
 *
 * This entry point depends on the NATS client from npm
 * (`@nats-io/nats-core`, `@nats-io/jetstream`, pinned); the rest of
 * `@x/ami` does not.
 *
 * @example
 * ```ts ignore
 * import { AmiPool } from "@x/ami";
 * import { AmiNatsBridge } from "@x/ami/nats";
 * import { connect } from "npm:@nats-io/transport-node@3.4.0";
 *
 * await using pool = new AmiPool({
 *   pbxs: { "pbx-a": Deno.env.get("PBX_A_URL")!, "pbx-b": Deno.env.get("PBX_B_URL")! },
 * });
 * const nats = await connect({ servers: "127.0.0.1:4222", maxReconnectAttempts: -1 });
 * const bridge = await AmiNatsBridge.start({ pool, nats });
 * Deno.addSignalListener("SIGTERM", async () => {
 *   await bridge.close({ flushTimeout: 5_000 });
 *   await nats.drain();
 *   await pool.close();
 * });
 * ```
 *
 * @module
 */

export type { AmiBridgeGap } from "./src/nats/messages.ts";
export {
  type AmiBridgePbxStats,
  AmiNatsBridge,
  type AmiNatsBridgeOptions,
} from "./src/nats/bridge.ts";
export type { AmiActionErrorType, AmiActionReply } from "./src/nats/actions.ts";
export type {
  AmiJetStreamPublish,
  AmiNatsConnection,
  AmiNatsMsg,
  AmiNatsSubscription,
} from "./src/nats/connection.ts";
export {
  AmiStreamMismatchError,
  type AmiStreamSettings,
  DEFAULT_STREAM_NAME,
  streamSubjects,
} from "./src/nats/stream.ts";
export { type AmiSubjects, amiSubjects, subjectToken } from "./src/nats/subjects.ts";
// Everything of `@x/ami` too, so that one import gives the pool and the bridge.
export * from "./mod.ts";
