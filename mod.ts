/**
 * A client for the Asterisk Manager Interface (AMI): correct on every frame
 * Asterisk sends, typed, bounded in memory, and fast.
 *
 * @example Ping a server and tail hangups
 * ```ts ignore
 * import { AmiClient } from "@x/ami";
 *
 * await using client = await AmiClient.connect("ami://admin:amp111@127.0.0.1:5038");
 * const pong = await client.send({ Action: "Ping" });
 * console.log(pong.Ping);
 * for await (const ev of client.events({ Event: "Hangup" })) console.log(ev.Channel);
 * ```
 *
 * @module
 */

export {
  AmiClient,
  type AmiConnectionState,
  type AmiSendOptions,
  type AmiStateChange,
} from "./src/client.ts";
export {
  type AmiEventFilter,
  type AmiEventsOptions,
  AmiEventStream,
  AmiGap,
  type AmiHeaderFilter,
  DEFAULT_EVENT_BUFFER_SIZE,
} from "./src/events.ts";
export { AmiList, type AmiListResult } from "./src/list.ts";
export {
  type AmiClientOptions,
  type AmiConnectOptions,
  type AmiKeepaliveOptions,
  type AmiLoginOptions,
  type AmiReconnectOptions,
  DEFAULT_ACTION_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  parseAmiUrl,
} from "./src/options.ts";
export {
  type AmiEndpoint,
  type AmiTlsOptions,
  type AmiTransport,
  openTransport,
} from "./src/transport.ts";
export { type AmiWireFrame, formatWireFrame } from "./src/wire_tap.ts";
export * from "./src/errors.ts";
export { type AmiFieldValue, AmiMessage, type AmiMessageKind } from "./src/message.ts";
export {
  AmiDecoderStream,
  AmiFrameParser,
  type AmiParserOptions,
  DEFAULT_MAX_FRAME_BYTES,
} from "./src/parser.ts";
export {
  type AmiAction,
  encodeAction,
  MAX_ACTION_HEADERS,
  MAX_ACTION_ID_LENGTH,
  serializeAction,
} from "./src/encoder.ts";
export type {
  AmiActionInput,
  AmiActionMap,
  AmiEvent,
  AmiEventMap,
  AmiEventOf,
  AmiFields,
  AmiListItemOf,
  AmiResponse,
  AmiResponseOf,
} from "./src/types.ts";
