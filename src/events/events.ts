/**
 * The events API as users see it: consumers, their filters and options,
 * and gap markers. The fan-out behind it is {@linkcode EventHub}.
 *
 * @module
 */

export { type AmiEventFilter, type AmiHeaderFilter } from "./event_filter.ts";
export {
  type AmiEventsOptions,
  type AmiEventStream,
  DEFAULT_EVENT_BUFFER_SIZE,
} from "./event_stream.ts";
export { AmiGap, type AmiOutage } from "./gap.ts";
export { EventHub } from "./event_hub.ts";
