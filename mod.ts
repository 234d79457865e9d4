/**
 * A client for the Asterisk Manager Interface (AMI): correct on every frame
 * Asterisk sends, typed, bounded in memory, and fast.
 *
 * @example Ping a server and tail hangups
 * ```ts
 * import assert from "node:assert/strict";
 * import { AmiClient } from "@x/ami";
 * import { AmiTestServer } from "@x/ami/testing";
 *
 * // A stand-in for Asterisk; with a real one: AmiClient.connect("ami://admin:amp111@pbx:5038")
 * await using server = new AmiTestServer();
 * server.listen();
 *
 * await using client = await AmiClient.connect(server.url);
 * const pong = await client.send({ Action: "Ping" });
 * assert.equal(pong.Ping, "Pong");
 *
 * // Resolves once the server sends the events (the client logs in with events off).
 * const hangups = await client.subscribe({ Event: "Hangup" });
 * server.emit({ Event: "Hangup", Channel: "PJSIP/100-00000001", Cause: "16" });
 * for await (const ev of hangups) {
 *   console.log(ev.Channel, ev.Cause);
 *   break;
 * }
 * // leaving the scope logs off and closes the socket
 * ```
 *
 * @module
 */

export {
  AmiClient,
  type AmiClientStats,
  type AmiConnectionState,
  type AmiSendOptions,
  type AmiStateChange,
} from "./src/client/client.ts";
export {
  type AmiEventFilter,
  type AmiEventsOptions,
  type AmiEventStream,
  AmiGap,
  type AmiHeaderFilter,
  type AmiOutage,
  DEFAULT_EVENT_BUFFER_SIZE,
} from "./src/events/events.ts";
export * from "./src/events/server_filter.ts";
export * from "./src/events/auto_selection.ts";
export {
  AMI_EVENT_CLASSES,
  type AmiEventClass,
  eventMaskFor,
  validateEventClasses,
} from "./src/events/event_classes.ts";
export { type AmiList, type AmiListResult } from "./src/client/list.ts";
export {
  type AmiClientOptions,
  type AmiConnectOptions,
  type AmiKeepaliveOptions,
  type AmiLoginOptions,
  type AmiReconnectOptions,
  type AmiServerFilterStatus,
  DEFAULT_ACTION_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  parseAmiUrl,
} from "./src/client/options.ts";
export {
  type AmiEndpoint,
  type AmiTlsOptions,
  type AmiTransport,
  openTransport,
} from "./src/transport/open_transport.ts";
export { type AmiWireFrame, formatWireFrame } from "./src/wire/wire_tap.ts";
export * from "./src/errors.ts";
export { type AmiFieldValue, AmiMessage, type AmiMessageKind } from "./src/wire/message.ts";
export {
  AmiFrameParser,
  type AmiParserOptions,
  DEFAULT_MAX_FRAME_BYTES,
} from "./src/wire/parser.ts";
export { AmiDecoderStream } from "./src/wire/decoder_stream.ts";
export {
  type AmiAction,
  encodeAction,
  MAX_ACTION_HEADERS,
  MAX_ACTION_ID_LENGTH,
  serializeAction,
} from "./src/wire/encoder.ts";
export type {
  AmiActionChoice,
  AmiActionInput,
  AmiActionMap,
  AmiActionSpec,
  AmiActionValue,
  AmiAnyString,
  AmiEvent,
  AmiEventFields,
  AmiEventMap,
  AmiEventOf,
  AmiFields,
  AmiKnownEvent,
  AmiListCompleteOf,
  AmiListItemOf,
  AmiListResponseFields,
  AmiOriginateInput,
  AmiParsedMessage,
  AmiResponse,
  AmiResponseFields,
  AmiResponseOf,
} from "./src/types/maps.ts";
export type * from "./src/generated/catalog.ts";
export * from "./src/pool/mod.ts";
export type {
  LiveBridge,
  LiveBridgeChange,
  LiveCall,
  LiveCallChange,
  LiveCallState,
  LiveChange,
  LiveChannel,
  LiveChannelChange,
  LiveParty,
  LiveRemovalCause,
  LiveResyncChange,
  LiveSnapshot,
  LiveStatus,
} from "./src/live/types.ts";
export type {
  LiveDeviceChange,
  LiveHint,
  LiveQueue,
  LiveQueueCaller,
  LiveQueueChange,
  LiveQueueMember,
} from "./src/live/queue_types.ts";
export type { LiveOptions, LiveRetainOptions } from "./src/live/options.ts";
export { createLiveView, LiveView } from "./src/live/live_view.ts";
export type { LiveSource } from "./src/live/source.ts";
export type { LiveChangesOptions } from "./src/live/change_feed.ts";
