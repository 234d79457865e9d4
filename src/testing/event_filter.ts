/**
 * Which broadcast events a test session receives: the event mask set by
 * `Events:` at Login or the `Events` action, and the filters added by the
 * `Filter` action, both read and applied exactly as Asterisk 23 does, by the
 * same code the client uses (`src/events/event_classes.ts`,
 * `src/events/server_filter_match.ts`).
 *
 * @module
 */

import type { AmiMessage } from "../wire/message.ts";
import {
  ALL_EVENT_CLASS_BITS,
  eventClassesOf,
  parseEventMaskBits,
  privilegeBits,
} from "../events/event_classes.ts";
import {
  type AmiServerFilterRule,
  parseServerFilter,
  serverFiltersAllow,
  skipBlanks,
} from "../events/server_filter_match.ts";

export { FILTER_COMPILE_ERROR, FILTER_FORMAT_ERROR } from "../events/server_filter_match.ts";

/** A session's event mask: the class bits Asterisk keeps (`send_events`). */
export type EventMask = number;

/** The mask of a session that asked for every class (`on`, or no `Events:` at login). */
export const EVERY_EVENT_CLASS: EventMask = ALL_EVENT_CLASS_BITS;

/**
 * Parses the value of `Events:` (Login) or `EventMask:` (the `Events`
 * action) as Asterisk's `strings_to_mask` does: `Call` or `foo` select
 * nothing. Returns `undefined` for an empty value.
 */
export function parseEventMask(value: string | undefined): EventMask | undefined {
  return parseEventMaskBits(skipBlanks(value ?? ""));
}

/** The mask as text: `on` (every class), `off` (none) or the classes (`system,call`). */
export function describeEventMask(mask: EventMask): string {
  if (mask === 0) return "off";
  if ((mask & ALL_EVENT_CLASS_BITS) === ALL_EVENT_CLASS_BITS) return "on";
  return eventClassesOf(mask).join(",");
}

/**
 * Whether an event passes a mask: all the classes of its `Privilege` field
 * (`call,all`) must be in it. An event without one passes any mask but `off`.
 */
export function maskAllows(mask: EventMask, event: AmiMessage): boolean {
  if (mask === 0) return false;
  const privilege = event.get("Privilege");
  if (privilege === undefined) return true;
  const needed = privilegeBits(privilege);
  return (mask & needed) === needed;
}

/** One filter added by the `Filter` action. */
export type EventFilter = AmiServerFilterRule;

/**
 * Builds a filter from the `Filter` and `MatchCriteria` headers of a `Filter`
 * action, as Asterisk 23 reads them. Throws an `Error` whose message is
 * Asterisk's answer when it refuses the filter.
 */
export function parseEventFilter(
  filter: string | undefined,
  matchCriteria: string | undefined,
): EventFilter {
  const parsed = parseServerFilter(skipBlanks(filter ?? ""), skipBlanks(matchCriteria ?? ""));
  if ("reason" in parsed) throw new Error(parsed.message);
  return parsed;
}

/** Whether an event passes a session's filters, as Asterisk's `should_send_event` decides. */
export function filtersAllow(filters: readonly EventFilter[], event: AmiMessage): boolean {
  if (filters.length === 0) return true;
  return serverFiltersAllow(filters, event.name, event.toString());
}
