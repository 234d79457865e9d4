/**
 * The NATS client, pinned in one place: `@x/ami/nats` is the only part of
 * the package that depends on it, so the core never resolves it.
 *
 * @module
 */

export {
  headers,
  type Msg,
  type MsgHdrs,
  nanos,
  type NatsConnection,
  type Status,
  type Subscription,
} from "npm:@nats-io/nats-core@3.4.0";
export {
  DiscardPolicy,
  jetstream,
  type JetStreamClient,
  type JetStreamManager,
  jetstreamManager,
  type PubAck,
  StorageType,
  type StreamConfig,
} from "npm:@nats-io/jetstream@3.4.0";
export { connect } from "npm:@nats-io/transport-node@3.4.0";
