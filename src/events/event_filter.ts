/**
 * Which events a consumer wants ({@linkcode AmiEventFilter}), compiled once
 * into one function so that matching an event allocates nothing.
 *
 * @module
 */

import type { AmiEvent } from "../types/fields.ts";
import type { AmiMessage } from "../wire/message.ts";

/**
 * Which events a consumer wants:
 * - a name or a list of names (`"Hangup"`, `["Newchannel", "Hangup"]`),
 *   compared without regard to case;
 * - an object of header matches, all of which must hold: a string matches
 *   the header's first value exactly, a list matches any of its strings, a
 *   `RegExp` is tested against it (`{ Event: "Hangup", Channel: /^PJSIP\// }`);
 *   `Event` compares without regard to case;
 * - or a predicate, which reads fields as properties (`(ev) => ev.Event === "Hangup"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiEventFilter } from "@x/ami";
 * const filter: AmiEventFilter = { Event: ["Newchannel", "Hangup"], Context: "from-internal" };
 * assert.equal(typeof filter, "object");
 * ```
 */
export type AmiEventFilter<N extends string = string> =
  | N
  | readonly N[]
  | AmiHeaderFilter<N>
  | ((event: AmiEvent) => boolean);

/**
 * Header matches for {@linkcode AmiEventFilter}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiHeaderFilter } from "@x/ami";
 * const filter: AmiHeaderFilter = { Event: "Hangup", Cause: ["16", "17"] };
 * assert.equal(filter.Event, "Hangup");
 * ```
 */
export type AmiHeaderFilter<N extends string = string> =
  & { readonly Event?: N | readonly N[] }
  & { readonly [header: string]: string | readonly string[] | RegExp | undefined };

/** A compiled filter: the event and its name in lower case. */
export type Matcher = (event: AmiMessage, lowerName: string) => boolean;

/** The matcher of a consumer without a filter; the hub skips calling it. */
export function takeAll(): boolean {
  return true;
}

/** Turns a filter into one function, once, so matching costs no allocation. */
export function compileFilter(filter: AmiEventFilter | undefined): Matcher {
  if (filter === undefined) return takeAll;
  // Every AmiMessage reads its fields as properties: the predicate gets the event as typed.
  if (typeof filter === "function") return (event) => filter(event as AmiEvent);
  if (typeof filter === "string") {
    const wanted = filter.toLowerCase();
    return (_event, name) => name === wanted;
  }
  if (Array.isArray(filter)) {
    const wanted = new Set((filter as readonly string[]).map((name) => name.toLowerCase()));
    return (_event, name) => wanted.has(name);
  }
  const checks: Matcher[] = [];
  for (const [key, expected] of Object.entries(filter as AmiHeaderFilter)) {
    if (expected === undefined) continue;
    if (key.toLowerCase() === "event" && !(expected instanceof RegExp)) {
      checks.push(compileFilter(expected as string | readonly string[]));
    } else if (expected instanceof RegExp) {
      checks.push((event) => {
        const value = event.get(key);
        expected.lastIndex = 0;
        return value !== undefined && expected.test(value);
      });
    } else if (typeof expected === "string") {
      checks.push((event) => event.get(key) === expected);
    } else {
      const allowed = new Set(expected);
      checks.push((event) => allowed.has(event.get(key) as string));
    }
  }
  return (event, name) => {
    for (const check of checks) if (!check(event, name)) return false;
    return true;
  };
}
