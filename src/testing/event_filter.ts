/**
 * Which broadcast events a test session receives: the event mask set by
 * `Events:` at Login or the `Events` action, and the filters added by the
 * `Filter` action, both as Asterisk applies them.
 *
 * @module
 */

import type { AmiMessage } from "../wire/message.ts";

/**
 * A session's event mask: `"on"` (every class), `"off"` (none) or the set of
 * classes it asked for (`call`, `system`, …), lower case.
 */
export type EventMask = "on" | "off" | ReadonlySet<string>;

/**
 * Parses the value of `Events:` (Login) or `EventMask:` (the `Events`
 * action). Returns `undefined` for an empty value.
 */
export function parseEventMask(value: string | undefined): EventMask | undefined {
  const text = value?.trim().toLowerCase() ?? "";
  if (text === "") return undefined;
  if (text === "on" || text === "yes" || text === "true" || text === "all") return "on";
  if (text === "off" || text === "no" || text === "false") return "off";
  if (/^\d+$/.test(text)) return Number(text) === 0 ? "off" : "on";
  const classes = new Set(text.split(",").map((name) => name.trim()).filter((name) => name));
  if (classes.has("all")) return "on";
  return classes.size === 0 ? "off" : classes;
}

/** The mask as Asterisk would describe it: `on`, `off` or the classes. */
export function describeEventMask(mask: EventMask): string {
  return typeof mask === "string" ? mask : [...mask].join(",");
}

/**
 * Whether an event passes a mask. The event's classes come from its
 * `Privilege` field (`call,all`); an event without one passes any mask but
 * `off`.
 */
export function maskAllows(mask: EventMask, event: AmiMessage): boolean {
  if (mask === "off") return false;
  if (mask === "on") return true;
  const privilege = event.get("Privilege");
  if (privilege === undefined) return true;
  for (const name of privilege.toLowerCase().split(",")) {
    if (mask.has(name.trim())) return true;
  }
  return false;
}

/** One filter added by the `Filter` action. */
export interface EventFilter {
  /** Whether a match lets the event through (`include`) or stops it (`exclude`). */
  readonly action: "include" | "exclude";
  /** Tests one event. */
  readonly matches: (event: AmiMessage) => boolean;
}

/** The message Asterisk gives for a `Filter` it cannot read. */
export const FILTER_FORMAT_ERROR =
  "Filter was formatted incorrectly.  Check the syntax of the filter given.";

type Method = "regex" | "exact" | "starts_with" | "ends_with" | "contains" | "none";
const METHODS = new Set<string>(["regex", "exact", "starts_with", "ends_with", "contains", "none"]);

/**
 * Builds a filter from the `Filter` and `MatchCriteria` headers of a `Filter`
 * action. A legacy filter (no `MatchCriteria`) is a regular expression over
 * the whole event, negated by a leading `!`. With `MatchCriteria`, the
 * comma-separated `action(include|exclude)`, `name(Event)`, `header(Name)`
 * and `method(regex|exact|starts_with|ends_with|contains|none)` select what
 * `Filter` is compared with. Throws with {@linkcode FILTER_FORMAT_ERROR} when
 * the filter cannot be read.
 */
export function parseEventFilter(
  filter: string | undefined,
  matchCriteria: string | undefined,
): EventFilter {
  if (matchCriteria === undefined || matchCriteria.trim() === "") {
    if (filter === undefined || filter === "") throw new Error(FILTER_FORMAT_ERROR);
    const exclude = filter.startsWith("!");
    const pattern = compile(exclude ? filter.slice(1) : filter);
    return {
      action: exclude ? "exclude" : "include",
      matches: (event) => pattern.test(eventText(event)),
    };
  }
  let action: "include" | "exclude" = "include";
  let name: string | undefined;
  let header: string | undefined;
  let method: Method | undefined;
  for (const token of matchCriteria.split(",")) {
    const match = /^\s*([a-z_]+)\((.*)\)\s*$/i.exec(token);
    if (match === null) throw new Error(FILTER_FORMAT_ERROR);
    const [, key, argument] = match as unknown as [string, string, string];
    switch (key.toLowerCase()) {
      case "action":
        if (argument !== "include" && argument !== "exclude") throw new Error(FILTER_FORMAT_ERROR);
        action = argument;
        break;
      case "name":
        name = argument;
        break;
      case "header":
        header = argument;
        break;
      case "method":
        if (!METHODS.has(argument)) throw new Error(FILTER_FORMAT_ERROR);
        method = argument as Method;
        break;
      default:
        throw new Error(FILTER_FORMAT_ERROR);
    }
  }
  const value = filter ?? "";
  const how: Method = method ?? (value === "" ? "none" : "regex");
  const test = valueTest(how, value);
  return {
    action,
    matches(event) {
      if (name !== undefined && event.name.toLowerCase() !== name.toLowerCase()) return false;
      if (header === undefined) return test(eventText(event));
      const field = event.get(header);
      return field !== undefined && test(field);
    },
  };
}

/**
 * Whether an event passes a session's filters: with no filters, every event;
 * with include filters, only events one of them matches; and never an event
 * an exclude filter matches.
 */
export function filtersAllow(filters: readonly EventFilter[], event: AmiMessage): boolean {
  if (filters.length === 0) return true;
  let hasInclude = false;
  let included = false;
  for (const filter of filters) {
    if (filter.action === "include") {
      hasInclude = true;
      if (!included && filter.matches(event)) included = true;
    } else if (filter.matches(event)) {
      return false;
    }
  }
  return !hasInclude || included;
}

function valueTest(method: Method, value: string): (text: string) => boolean {
  switch (method) {
    case "regex": {
      const pattern = compile(value);
      return (text) => pattern.test(text);
    }
    case "exact":
      return (text) => text === value;
    case "starts_with":
      return (text) => text.startsWith(value);
    case "ends_with":
      return (text) => text.endsWith(value);
    case "contains":
      return (text) => text.includes(value);
    case "none":
      return () => true;
  }
}

function compile(source: string): RegExp {
  try {
    return new RegExp(source, "m");
  } catch {
    throw new Error(FILTER_FORMAT_ERROR);
  }
}

/** The event's text as a filter sees it: its lines, without the closing empty line. */
function eventText(event: AmiMessage): string {
  return event.toString().replace(/(\r\n)+$/, "");
}
