/**
 * Automatic server-side selection (`serverFilters: "auto"`): from the
 * filters of the live event consumers, the include-only `Filter`s and the
 * smallest event mask that still deliver every event any consumer wants.
 * Pure functions; the client applies the result.
 *
 * How the client calls it:
 *
 * 1. Collect the filters of every live `events()` consumer, plus what the
 *    client needs itself (`"OriginateResponse"` while an `originate()` is
 *    pending, `["FullyBooted", "Shutdown"]` for restart detection), and call
 *    {@linkcode deriveServerSelection}. A consumer with no filter, a
 *    predicate, or a filter that cannot be told to the server makes the
 *    selection `everything`.
 * 2. Call {@linkcode growServerSelection} with what the session already has
 *    (`undefined` right after login) and the derived selection: send its
 *    `add` filters (`filter.toAction()`), then `Events` with its
 *    `eventMask`, and keep its `applied` for next time. Filters cannot be
 *    removed from a session, so the selection only grows; a new session
 *    (after a reconnect) starts again from step 1.
 * 3. Keep filtering in the client: the server's selection is a superset of
 *    what each consumer wants (header matches other than the first string
 *    one, `RegExp`s and repeated headers are checked only in the client).
 *
 * @module
 */

import { AMI_EVENT_CLASS_BY_NAME } from "../generated/catalog.ts";
import { AMI_EVENT_CLASSES, type AmiEventClass, eventMaskFor } from "./event_classes.ts";
import type { AmiEventFilter, AmiHeaderFilter } from "./events.ts";
import { type AmiServerFilter, serverFilter } from "./server_filter.ts";

/** What the server should send: include filters and event classes. */
export interface AmiServerSelection {
  /** Whether the server must send every event (no filters, mask `on`). */
  readonly everything: boolean;
  /** Include filters, one or more per wanted event name; empty when `everything`. */
  readonly filters: readonly AmiServerFilter[];
  /** The classes the mask must hold, or `"all"`. */
  readonly classes: readonly AmiEventClass[] | "all";
  /** The `EventMask` value: `on`, `off` or the classes. */
  readonly eventMask: string;
}

/** What to send to move a session from the selection it has to one that covers the wanted one. */
export interface AmiServerSelectionStep {
  /** Filters to add, in order, before the mask. */
  readonly add: readonly AmiServerFilter[];
  /** The `EventMask` to set after them. */
  readonly eventMask: string;
  /** What the session has once both are applied: pass it back next time. */
  readonly applied: AmiServerSelection;
}

/** A legacy include that matches every event: how a filtered session is opened up again. */
const CATCH_ALL = ".";

const NOTHING: AmiServerSelection = {
  everything: false,
  filters: [],
  classes: [],
  eventMask: "off",
};

const EVERYTHING: AmiServerSelection = {
  everything: true,
  filters: [],
  classes: "all",
  eventMask: "on",
};

/** The wire names of the catalog by lower-case name (a name may have several spellings). */
function catalogNames(): Map<string, string[]> {
  const byLower = new Map<string, string[]>();
  for (const name of Object.keys(AMI_EVENT_CLASS_BY_NAME)) {
    const lower = name.toLowerCase();
    byLower.set(lower, [...(byLower.get(lower) ?? []), name]);
  }
  return byLower;
}

/** Per wanted name: `undefined` for the whole event, or the header lines that would do. */
type Wants = Map<string, { all: boolean; header?: string; values: Set<string> }>;

/**
 * Derives the server-side selection that delivers everything the consumers
 * want (and maybe more, never less).
 *
 * @param consumers The filter of each consumer (`undefined`: every event).
 * @returns The include filters and the event mask.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deriveServerSelection } from "@x/ami";
 * const selection = deriveServerSelection([["Newchannel", "hangup"], { Event: "DialBegin" }]);
 * assert.deepEqual(selection.filters.map(String), [
 *   "action(include),name(Newchannel),method(none)",
 *   "action(include),name(Hangup),method(none)",
 *   "action(include),name(DialBegin),method(none)",
 * ]);
 * assert.equal(selection.eventMask, "call");
 * assert.equal(deriveServerSelection([(ev) => ev.name === "Hangup"]).everything, true);
 * ```
 */
export function deriveServerSelection(
  consumers: readonly (AmiEventFilter | undefined)[],
): AmiServerSelection {
  if (consumers.length === 0) return NOTHING;
  const wants: Wants = new Map();
  for (const consumer of consumers) {
    if (!collect(consumer, wants)) return EVERYTHING;
  }
  const known = catalogNames();
  const filters: AmiServerFilter[] = [];
  const classes = new Set<string>();
  for (const [lower, want] of wants) {
    const names = known.get(lower);
    if (names === undefined) {
      const filter = unknownNameFilter(lower);
      if (filter === undefined) return EVERYTHING;
      filters.push(filter);
      classes.add("");
      continue;
    }
    for (const name of names) {
      filters.push(...nameFilters(name, want));
      classes.add(AMI_EVENT_CLASS_BY_NAME[name] ?? "");
    }
  }
  return selection(filters, classes);
}

function selection(filters: AmiServerFilter[], classes: Set<string>): AmiServerSelection {
  const known = AMI_EVENT_CLASSES.filter((name) => classes.has(name));
  const all = known.length < [...classes].length;
  return {
    everything: false,
    filters,
    classes: all ? "all" : known,
    eventMask: all ? "on" : eventMaskFor(known),
  };
}

/** Adds one consumer's wants; `false` when it cannot be expressed on the server. */
function collect(consumer: AmiEventFilter | undefined, wants: Wants): boolean {
  if (consumer === undefined || typeof consumer === "function") return false;
  if (typeof consumer === "string") return want(wants, consumer);
  if (Array.isArray(consumer)) return (consumer as readonly string[]).every((n) => want(wants, n));
  const header = consumer as AmiHeaderFilter;
  const eventKey = Object.keys(header).find((key) => key.toLowerCase() === "event");
  const event = eventKey === undefined ? undefined : header[eventKey];
  if (event === undefined || event instanceof RegExp) return false;
  const names = typeof event === "string" ? [event] : event as readonly string[];
  const refinement = firstStringHeader(header);
  return names.every((name) => want(wants, name, refinement));
}

/** The first header match besides `Event` that the server can check: its name and values. */
function firstStringHeader(
  header: AmiHeaderFilter,
): { header: string; values: readonly string[] } | undefined {
  for (const [key, expected] of Object.entries(header)) {
    if (key.toLowerCase() === "event" || expected === undefined || expected instanceof RegExp) {
      continue;
    }
    const values = typeof expected === "string" ? [expected] : expected as readonly string[];
    if (values.length > 0 && values.every((v) => typeof v === "string" && v !== "")) {
      return { header: key, values };
    }
  }
  return undefined;
}

function want(
  wants: Wants,
  name: unknown,
  refinement?: { header: string; values: readonly string[] },
): boolean {
  if (typeof name !== "string" || name === "") return false;
  const lower = name.toLowerCase();
  const entry = wants.get(lower) ?? { all: false, values: new Set<string>() };
  wants.set(lower, entry);
  if (
    refinement === undefined || (entry.header !== undefined && entry.header !== refinement.header)
  ) {
    entry.all = true;
  } else {
    entry.header = refinement.header;
    for (const value of refinement.values) entry.values.add(value);
  }
  return true;
}

/**
 * The includes for one catalog name: the whole event, or only the events
 * whose header (any case, as the client compares it) has one of the values.
 */
function nameFilters(
  name: string,
  want: { all: boolean; header?: string; values: Set<string> },
): AmiServerFilter[] {
  const whole = serverFilter.include(name);
  if (want.all || want.header === undefined) return [whole];
  const key = caseFolded(want.header);
  const values = [...want.values].map(ereLiteral);
  if (key === undefined || values.some((v) => v === undefined)) return [whole];
  // A line "<header>: <value>" anywhere in the event (the CR before it is a control character).
  return [whole.regex(`[[:cntrl:]]${key}:[[:blank:]]*(${values.join("|")})[[:cntrl:]]`)];
}

/** An include on the `Event` line, in any case, for a name the catalog does not know. */
function unknownNameFilter(lower: string): AmiServerFilter | undefined {
  const name = caseFolded(lower);
  return name === undefined ? undefined : serverFilter.include().header("Event").regex(`^${name}$`);
}

/** An ERE matching the ASCII text in any case (`[Hh][Aa]...`); `undefined` if it cannot. */
function caseFolded(text: string): string | undefined {
  let out = "";
  for (const char of text) {
    if (!/^[\x21-\x7e]$/.test(char) || char === ":") return undefined;
    const lower = char.toLowerCase();
    const upper = char.toUpperCase();
    out += lower !== upper ? `[${upper}${lower}]` : ereLiteral(char);
  }
  return out;
}

/** An ERE matching exactly this text; `undefined` if it holds control characters. */
function ereLiteral(text: string): string | undefined {
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(text)) return undefined;
  return text.replace(/[.[\]()*+?{}|^$\\]/g, "\\$&");
}

/**
 * The step from the selection a session has to one that also covers the
 * wanted one. Filters are never removed (Asterisk cannot), so this only adds:
 * new includes, or a catch-all include when the wanted selection is
 * everything while the session is filtered; the mask is the union of both.
 *
 * @param applied What the session has, or `undefined` after login (nothing).
 * @param wanted What the consumers need now ({@linkcode deriveServerSelection}).
 * @returns The filters to add, the mask to set, and the resulting selection.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deriveServerSelection, growServerSelection } from "@x/ami";
 * const first = growServerSelection(undefined, deriveServerSelection(["Hangup"]));
 * assert.equal(first.add.length, 1);
 * assert.equal(first.eventMask, "call");
 * const second = growServerSelection(first.applied, deriveServerSelection([undefined]));
 * assert.deepEqual(second.add.map(String), ["."]);
 * assert.equal(second.eventMask, "on");
 * ```
 */
export function growServerSelection(
  applied: AmiServerSelection | undefined,
  wanted: AmiServerSelection,
): AmiServerSelectionStep {
  const have = applied ?? NOTHING;
  const haveKeys = new Set(have.filters.map(String));
  const openedUp = have.everything || haveKeys.has(CATCH_ALL);
  let add: AmiServerFilter[] = [];
  if (wanted.everything) {
    if (have.filters.length > 0 && !openedUp) add = [serverFilter.legacy(CATCH_ALL)];
  } else if (!openedUp) {
    add = wanted.filters.filter((filter) => !haveKeys.has(String(filter)));
  }
  const classes = have.classes === "all" || wanted.classes === "all"
    ? "all" as const
    : AMI_EVENT_CLASSES.filter((c) => have.classes.includes(c) || wanted.classes.includes(c));
  const filters = [...have.filters, ...add];
  const everything = have.everything || (wanted.everything && filters.length === 0);
  const eventMask = classes === "all" ? "on" : eventMaskFor(classes);
  return { add, eventMask, applied: { everything, filters, classes, eventMask } };
}
