/**
 * A typed builder for Asterisk's `Filter` action (`Operation: Add`), the
 * filters a session's events pass on the server before they cross the
 * network. Every filter is checked as it is built, exactly as Asterisk 23
 * would read it: what Asterisk refuses, or would read differently from what
 * was written, is a `TypeError` here, and nothing with CR or LF can reach
 * the wire.
 *
 * @module
 */

import type { AmiAnyString } from "../types/fields.ts";
import type { AmiEventMap } from "../types/maps.ts";
import type { AmiMessage } from "../wire/message.ts";
import {
  type AmiServerFilterMethod,
  type AmiServerFilterRule,
  parseServerFilter,
} from "./server_filter_match.ts";

export type { AmiServerFilterMethod } from "./server_filter_match.ts";

/** An event name: one of the catalog's (completed as you type) or any other string. */
export type AmiServerFilterEventName = Extract<keyof AmiEventMap, string> | AmiAnyString;

/** The documented fields of the event `N`, for `header(...)`; any other string is accepted too. */
export type AmiServerFilterHeader<N extends string> =
  | (N extends keyof AmiEventMap ? Extract<
      keyof {
        [K in keyof AmiEventMap[N] as string extends K ? never : number extends K ? never : K]: 0;
      },
      string
    >
    : never)
  | AmiAnyString;

/** The `Filter` action a filter is added with (ready for `client.send`). */
export type AmiServerFilterAction = {
  /** Always `Filter`. */
  readonly Action: "Filter";
  /** Always `Add`: Asterisk can neither list nor remove a session's filters. */
  readonly Operation: "Add";
  /** The pattern; absent when the filter has none. */
  readonly Filter?: string;
  /** The criteria; absent for a legacy filter. */
  readonly MatchCriteria?: string;
};

interface Parts {
  readonly action: "include" | "exclude";
  readonly name: string | undefined;
  readonly header: string | undefined;
  readonly method: AmiServerFilterMethod;
  readonly pattern: string;
  readonly legacy: boolean;
}

/** Characters a name or header cannot hold: Asterisk splits criteria on them or strips them. */
// deno-lint-ignore no-control-regex
const BAD_TOKEN = /[\x00-\x20\x7f,()]/;
// deno-lint-ignore no-control-regex
const LINE_BREAK = /[\r\n\x00]/;

/**
 * One server-side event filter, immutable: each step returns a new one.
 * Build it with {@linkcode serverFilter}; hand it to the client, or send
 * {@linkcode AmiServerFilter.toAction} yourself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serverFilter } from "@x/ami";
 * const filter = serverFilter.include("Newchannel").header("Channel").startsWith("PJSIP/");
 * assert.deepEqual(filter.toAction(), {
 *   Action: "Filter",
 *   Operation: "Add",
 *   MatchCriteria: "action(include),name(Newchannel),header(Channel),method(starts_with)",
 *   Filter: "PJSIP/",
 * });
 * ```
 */
export class AmiServerFilter<N extends string = string> {
  /** Whether a match lets the event through (`include`) or stops it (`exclude`). */
  readonly action: "include" | "exclude";
  /** The event name it is limited to, if any (case-sensitive on the server). */
  readonly eventName: string | undefined;
  /** The header whose lines it tests, if any; otherwise the whole event text. */
  readonly headerName: string | undefined;
  /** How the pattern is compared; `none` tests only that the name or header is there. */
  readonly method: AmiServerFilterMethod;
  /** The pattern (`""` with `none`). */
  readonly pattern: string;
  /** Whether it is a legacy filter (a bare POSIX ERE over the whole event text). */
  readonly legacy: boolean;
  readonly #rule: AmiServerFilterRule;

  /** @internal Use {@linkcode serverFilter}. */
  constructor(parts: Parts) {
    this.action = parts.action;
    this.eventName = parts.name;
    this.headerName = parts.header;
    this.method = parts.method;
    this.pattern = parts.pattern;
    this.legacy = parts.legacy;
    this.#rule = check(this.matchCriteria, this.filter, this.#describe());
  }

  /** The `MatchCriteria` value, or `undefined` for a legacy filter. */
  get matchCriteria(): string | undefined {
    if (this.legacy) return undefined;
    let criteria = `action(${this.action})`;
    if (this.eventName !== undefined) criteria += `,name(${this.eventName})`;
    if (this.headerName !== undefined) criteria += `,header(${this.headerName})`;
    return criteria + `,method(${this.method})`;
  }

  /** The `Filter` value (`""` when there is no pattern). */
  get filter(): string {
    return this.legacy && this.action === "exclude" ? "!" + this.pattern : this.pattern;
  }

  /**
   * Limits the filter to the lines of one header (case-sensitive, every
   * repeated line tested, lines with an empty value never match). Alone it
   * means "the header is there with a value".
   *
   * @param header The header name, spelled as Asterisk sends it.
   * @returns The new filter.
   * @throws {TypeError} if it already has a header or pattern, or the name cannot be sent.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { serverFilter } from "@x/ami";
   * const filter = serverFilter.include("Hangup").header("Cause");
   * assert.equal(filter.matchCriteria, "action(include),name(Hangup),header(Cause),method(none)");
   * ```
   */
  header(header: AmiServerFilterHeader<N>): AmiServerFilter<N> {
    if (this.legacy || this.headerName !== undefined || this.method !== "none") {
      throw new TypeError(`Filter "${this}" already has a header or a pattern`);
    }
    return new AmiServerFilter({ ...this.#parts(), header: token("header", header) });
  }

  /**
   * The value (or the whole event text, without `header`) equals `value`.
   *
   * @param value The exact value.
   * @returns The new filter.
   * @throws {TypeError} see {@linkcode AmiServerFilter.regex}.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { serverFilter } from "@x/ami";
   * const filter = serverFilter.include().header("Queue").equals("support");
   * assert.equal(filter.toAction().Filter, "support");
   * ```
   */
  equals(value: string): AmiServerFilter<N> {
    return this.#withPattern("exact", value);
  }

  /**
   * The value starts with `prefix`.
   *
   * @param prefix The prefix.
   * @returns The new filter.
   * @throws {TypeError} see {@linkcode AmiServerFilter.regex}.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { serverFilter } from "@x/ami";
   * assert.equal(serverFilter.include("Newchannel").header("Channel").startsWith("PJSIP/").method, "starts_with");
   * ```
   */
  startsWith(prefix: string): AmiServerFilter<N> {
    return this.#withPattern("starts_with", prefix);
  }

  /**
   * The value ends with `suffix`.
   *
   * @param suffix The suffix.
   * @returns The new filter.
   * @throws {TypeError} see {@linkcode AmiServerFilter.regex}.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { serverFilter } from "@x/ami";
   * assert.equal(serverFilter.include("Hangup").header("Channel").endsWith(";1").method, "ends_with");
   * ```
   */
  endsWith(suffix: string): AmiServerFilter<N> {
    return this.#withPattern("ends_with", suffix);
  }

  /**
   * The value contains `part`.
   *
   * @param part The text looked for.
   * @returns The new filter.
   * @throws {TypeError} see {@linkcode AmiServerFilter.regex}.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { serverFilter } from "@x/ami";
   * assert.equal(serverFilter.include().contains("Local/").matchCriteria, "action(include),method(contains)");
   * ```
   */
  contains(part: string): AmiServerFilter<N> {
    return this.#withPattern("contains", part);
  }

  /**
   * The value matches a POSIX extended regular expression (glibc's, as
   * Asterisk compiles it: `\n` is the letter `n`, use `[[:cntrl:]]` for a
   * line end; `.` crosses lines).
   *
   * @param expression The ERE source.
   * @returns The new filter.
   * @throws {TypeError} if the filter already has a pattern, or the pattern
   * is empty, holds CR, LF or NUL, starts with `!` or a blank (Asterisk
   * drops those), or does not compile.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { serverFilter } from "@x/ami";
   * const causes = serverFilter.include("Hangup").header("Cause").regex("^(16|17)$");
   * assert.equal(causes.method, "regex");
   * assert.throws(() => causes.equals("16"), TypeError);
   * ```
   */
  regex(expression: string): AmiServerFilter<N> {
    return this.#withPattern("regex", expression);
  }

  /**
   * Whether Asterisk would let this one filter match an event (ignoring the
   * other filters of the session).
   *
   * @param event The event, as received or built.
   * @returns Whether it matches.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { AmiMessage, serverFilter } from "@x/ami";
   * const event = AmiMessage.fromString("Event: Hangup\r\nCause: 16\r\n\r\n");
   * assert.equal(serverFilter.include("Hangup").header("Cause").equals("16").matches(event), true);
   * assert.equal(serverFilter.include("hangup").matches(event), false);
   * ```
   */
  matches(event: AmiMessage): boolean {
    return this.#rule.matches(event.name, event.toString());
  }

  /** @internal The rule as the shared matcher holds it. */
  get rule(): AmiServerFilterRule {
    return this.#rule;
  }

  /**
   * The `Filter` action that adds this filter.
   *
   * @returns The action, ready for `client.send`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { serverFilter } from "@x/ami";
   * assert.deepEqual(serverFilter.legacy("Event: Hangup").toAction(), {
   *   Action: "Filter",
   *   Operation: "Add",
   *   Filter: "Event: Hangup",
   * });
   * ```
   */
  toAction(): AmiServerFilterAction {
    const criteria = this.matchCriteria;
    return {
      Action: "Filter",
      Operation: "Add",
      ...(criteria === undefined ? {} : { MatchCriteria: criteria }),
      ...(this.filter === "" ? {} : { Filter: this.filter }),
    };
  }

  /** The filter as `MatchCriteria` and `Filter`, for messages and logs. */
  toString(): string {
    return this.#describe();
  }

  #describe(): string {
    const criteria = this.matchCriteria;
    return criteria === undefined ? this.filter : `${criteria} ${this.filter}`.trimEnd();
  }

  #parts(): Parts {
    const { action, method, pattern, legacy } = this;
    return { action, name: this.eventName, header: this.headerName, method, pattern, legacy };
  }

  #withPattern(method: AmiServerFilterMethod, value: string): AmiServerFilter<N> {
    if (this.legacy || this.method !== "none") {
      throw new TypeError(`Filter "${this}" already has a pattern`);
    }
    return new AmiServerFilter({ ...this.#parts(), method, pattern: pattern(value) });
  }
}

/** The part of a filter without a name: give it a header or a pattern. */
export type AmiServerFilterStart = Pick<
  AmiServerFilter,
  "header" | "equals" | "startsWith" | "endsWith" | "contains" | "regex"
>;

function token(what: "name" | "header", value: string): string {
  if (typeof value !== "string" || value === "" || BAD_TOKEN.test(value)) {
    throw new TypeError(
      `Invalid ${what} ${JSON.stringify(value)}: it must be non-empty, without blanks, ` +
        'control characters, ",", "(" or ")"',
    );
  }
  return value;
}

function pattern(value: string): string {
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`Invalid pattern ${JSON.stringify(value)}: it must be non-empty`);
  }
  if (LINE_BREAK.test(value)) {
    throw new TypeError(`Invalid pattern ${JSON.stringify(value)}: it holds CR, LF or NUL`);
  }
  if (value.charCodeAt(0) < 33) {
    throw new TypeError(
      `Invalid pattern ${JSON.stringify(value)}: Asterisk drops its leading blanks`,
    );
  }
  if (value.startsWith("!")) {
    throw new TypeError(
      `Invalid pattern ${JSON.stringify(value)}: Asterisk drops a leading "!"; ` +
        'use regex("[!]...") to match one',
    );
  }
  return value;
}

/** Runs the built filter through the shared parser: what Asterisk refuses is refused here. */
function check(
  matchCriteria: string | undefined,
  filter: string,
  description: string,
): AmiServerFilterRule {
  const parsed = parseServerFilter(filter, matchCriteria ?? "");
  if ("reason" in parsed) {
    throw new TypeError(`Asterisk would refuse filter "${description}": ${parsed.detail}`);
  }
  return parsed;
}

/** A filter that has no name yet: complete only once it has a header or a pattern. */
class NamelessFilter implements AmiServerFilterStart {
  readonly #action: "include" | "exclude";

  constructor(action: "include" | "exclude") {
    this.#action = action;
  }

  header(header: string): AmiServerFilter {
    return this.#make({ header: token("header", header) });
  }
  equals(value: string): AmiServerFilter {
    return this.#make({ method: "exact", pattern: pattern(value) });
  }
  startsWith(prefix: string): AmiServerFilter {
    return this.#make({ method: "starts_with", pattern: pattern(prefix) });
  }
  endsWith(suffix: string): AmiServerFilter {
    return this.#make({ method: "ends_with", pattern: pattern(suffix) });
  }
  contains(part: string): AmiServerFilter {
    return this.#make({ method: "contains", pattern: pattern(part) });
  }
  regex(expression: string): AmiServerFilter {
    return this.#make({ method: "regex", pattern: pattern(expression) });
  }

  #make(parts: Partial<Parts>): AmiServerFilter {
    return new AmiServerFilter({
      action: this.#action,
      name: undefined,
      header: undefined,
      method: "none",
      pattern: "",
      legacy: false,
      ...parts,
    });
  }
}

function begin(action: "include" | "exclude", name?: string): AmiServerFilter | NamelessFilter {
  if (name === undefined) return new NamelessFilter(action);
  return new AmiServerFilter({
    action,
    name: token("name", name),
    header: undefined,
    method: "none",
    pattern: "",
    legacy: false,
  });
}

/** Starts an include or exclude filter: for one event name, or (without) for any event. */
export interface AmiServerFilterStarter {
  /** For any event: give it a header or a pattern next. */
  (): AmiServerFilterStart;
  /** For the event named `name` (case-sensitive on the server): complete as it is. */
  <N extends AmiServerFilterEventName>(name: N): AmiServerFilter<N>;
}

/** The builder behind {@linkcode serverFilter}. */
export interface AmiServerFilterBuilder {
  /** An include filter: with any include filter, only matching events are sent. */
  readonly include: AmiServerFilterStarter;
  /** An exclude filter: matching events are never sent. Asterisk cannot remove it later. */
  readonly exclude: AmiServerFilterStarter;
  /**
   * A legacy filter: a POSIX extended regular expression over the whole
   * event text (`Event:` line and CRLFs included; `.` crosses lines, `^`
   * and `$` anchor the whole text, `[[:cntrl:]]` matches the CR).
   *
   * @param expression The ERE source.
   * @param action Whether matches are let through (default) or stopped.
   * @returns The filter.
   * @throws {TypeError} if it is empty, holds CR, LF or NUL, starts with `!`
   * or a blank, or does not compile.
   */
  legacy(expression: string, action?: "include" | "exclude"): AmiServerFilter;
}

/**
 * Builds server-side event filters for Asterisk's `Filter` action, checked
 * as Asterisk 23 reads them (see {@linkcode AmiServerFilter}).
 *
 * @example Include, exclude and legacy filters
 * ```ts
 * import assert from "node:assert/strict";
 * import { AmiMessage, serverFilter } from "@x/ami";
 *
 * const pjsip = serverFilter.include("Newchannel").header("Channel").startsWith("PJSIP/");
 * const event = AmiMessage.fromString("Event: Newchannel\r\nChannel: PJSIP/100-1\r\n\r\n");
 * assert.equal(pjsip.matches(event), true);
 *
 * assert.deepEqual(serverFilter.exclude("VarSet").toAction(), {
 *   Action: "Filter",
 *   Operation: "Add",
 *   MatchCriteria: "action(exclude),name(VarSet),method(none)",
 * });
 * assert.equal(serverFilter.legacy("^Event: Hangup[[:cntrl:]]").filter, "^Event: Hangup[[:cntrl:]]");
 * assert.throws(() => serverFilter.include("Hangup").header("Cause").equals("16\r\nX: y"), TypeError);
 * assert.throws(() => serverFilter.legacy("(unclosed"), TypeError);
 * ```
 */
export const serverFilter: AmiServerFilterBuilder = {
  include: ((name?: string) => begin("include", name)) as AmiServerFilterStarter,
  exclude: ((name?: string) => begin("exclude", name)) as AmiServerFilterStarter,
  legacy(expression: string, action: "include" | "exclude" = "include"): AmiServerFilter {
    if (action !== "include" && action !== "exclude") {
      throw new TypeError(`Invalid action ${JSON.stringify(action)}: use "include" or "exclude"`);
    }
    return new AmiServerFilter({
      action,
      name: undefined,
      header: undefined,
      method: "regex",
      pattern: pattern(expression),
      legacy: true,
    });
  },
};
