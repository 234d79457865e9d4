/**
 * Asterisk's session event filters, evaluated exactly as Asterisk 23 does
 * (`manager_add_filter`, `filter_cmp_fn` and `should_send_event` in
 * `main/manager.c`). One implementation serves the client (to know what the
 * server will send) and the test server (to send just that).
 *
 * - A legacy filter (no `MatchCriteria`) is a POSIX ERE over the whole event
 *   text, `Event:` line and CRLFs included; a leading `!` makes it exclude.
 * - With `MatchCriteria`, the criteria are split on spaces, commas and `)`;
 *   options are known by prefix (`action`, `name`, `header`, `method`) and
 *   the last of a kind wins. The method defaults to `none`, which needs an
 *   empty pattern; every other method needs one.
 * - `name(E)` compares Asterisk's string hash of the event name (so it is
 *   case-sensitive, and a colliding name matches too). `header(H)` tests
 *   every line that begins with exactly `H:`, after the blanks that follow
 *   the colon, skipping lines whose value is empty.
 * - No filter sends everything; include filters alone send what one of them
 *   matches; exclude filters alone send what none matches; both need a match
 *   of an include and none of an exclude.
 *
 * @module
 */

import { compilePosixEre, PosixRegexError } from "./posix_regex.ts";

/** How a filter compares its pattern, as spelled in `method(...)`. */
export type AmiServerFilterMethod =
  | "none"
  | "exact"
  | "starts_with"
  | "ends_with"
  | "contains"
  | "regex";

/** One filter as Asterisk holds it after `Filter` accepted it. */
export interface AmiServerFilterRule {
  /** Whether a match stops the event (`true`) or lets it through. */
  readonly exclude: boolean;
  /** The event name of `name(...)`, or `undefined` for any event. */
  readonly name: string | undefined;
  /** The line prefix of `header(...)`, colon included, or `undefined` for the whole text. */
  readonly header: string | undefined;
  /** How the pattern is compared. */
  readonly method: AmiServerFilterMethod;
  /** The pattern, after the `!` and the leading blanks Asterisk drops. */
  readonly pattern: string;
  /** {@linkcode asteriskStringHash} of the name, or 0 when the name is not checked. */
  readonly nameHash: number;
  /**
   * Whether the filter matches an event's text, its name aside.
   *
   * @param text The event's full text as sent.
   */
  matchesText(text: string): boolean;
  /**
   * Whether the filter matches an event.
   *
   * @param name The event's name (the value of its `Event:` line).
   * @param text The event's full text as sent, `Event:` line and closing empty line included.
   */
  matches(name: string, text: string): boolean;
}

/** Why Asterisk refuses a `Filter` action, with its answer's `Message`. */
export type AmiServerFilterRefusal =
  | { readonly reason: "format"; readonly message: string; readonly detail: string }
  | { readonly reason: "compile"; readonly message: string; readonly detail: string };

/** Asterisk's `Message` for a filter it cannot read. */
export const FILTER_FORMAT_ERROR =
  "Filter was formatted incorrectly.  Check the syntax of the filter given.";
/** Asterisk's `Message` for a regular expression glibc does not compile. */
export const FILTER_COMPILE_ERROR =
  "Filter did not compile.  Check the syntax of the filter given.";

/**
 * Asterisk's `ast_str_hash` (djb2 with xor, kept to 31 bits): what
 * `name(...)` is compared by.
 *
 * @param text An event name.
 * @returns Its hash.
 */
export function asteriskStringHash(text: string): number {
  let hash = 5381;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return asteriskStringHashUtf8(text);
    hash = (Math.imul(hash, 33) ^ code) >>> 0;
  }
  return hash & 0x7fffffff;
}

function asteriskStringHashUtf8(text: string): number {
  let hash = 5381;
  for (const byte of new TextEncoder().encode(text)) hash = (Math.imul(hash, 33) ^ byte) >>> 0;
  return hash & 0x7fffffff;
}

/** Drops leading characters below 33, as `ast_skip_blanks` does. */
export function skipBlanks(text: string): string {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) < 33) i++;
  return text.slice(i);
}

/** `ast_strip`: drops characters below 33 at both ends. */
function strip(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) < 33) end--;
  return skipBlanks(text.slice(0, end));
}

/**
 * Reads a `Filter` action's `Filter` and `MatchCriteria` values the way
 * Asterisk 23 does. Pass the values as Asterisk reads them: `""` for an
 * absent header, leading blanks dropped (`astman_get_header`).
 *
 * @param filter The `Filter` value.
 * @param matchCriteria The `MatchCriteria` value.
 * @returns The filter, or why Asterisk refuses it.
 */
export function parseServerFilter(
  filter: string,
  matchCriteria: string,
): AmiServerFilterRule | AmiServerFilterRefusal {
  let pattern = filter;
  let exclude = false;
  if (pattern.startsWith("!")) {
    exclude = true;
    pattern = pattern.slice(1);
  }
  if (matchCriteria === "") {
    if (pattern === "") return refuse("format", "a legacy filter needs a pattern");
    return compileRule({ exclude, name: undefined, header: undefined, method: "regex", pattern });
  }
  const options = readCriteria(matchCriteria + ")");
  if ("reason" in options) return options;
  exclude = options.exclude ?? exclude;
  const { name, header, method = "none", found } = options;
  if (!found) return refuse("format", "no action, name, header or method option");
  if (pattern === "" && method !== "none") {
    return refuse("format", `method "${method}" needs a pattern`);
  }
  if (pattern !== "" && method === "none") {
    return refuse("format", 'method "none" takes no pattern (name a method)');
  }
  if (name === undefined && header === undefined && method === "none") {
    return refuse("format", "no name or header and no pattern");
  }
  return compileRule({ exclude, name, header, method, pattern });
}

interface Criteria {
  exclude?: boolean;
  name?: string;
  header?: string;
  method?: AmiServerFilterMethod;
  found: boolean;
}

const METHODS: ReadonlySet<string> = new Set([
  "none",
  "exact",
  "starts_with",
  "ends_with",
  "contains",
  "regex",
]);

/** The option loop of `manager_add_filter`: `strtok_r(criteria, " ,)")`, known by prefix. */
function readCriteria(criteria: string): Criteria | AmiServerFilterRefusal {
  const result: Criteria = { found: false };
  for (const option of strip(criteria).split(/[ ,)]+/)) {
    if (option === "") continue;
    const open = option.indexOf("(");
    const value = open < 0 ? undefined : strip(option.slice(open + 1));
    if (option.startsWith("action")) {
      if (value !== "include" && value !== "exclude") {
        return refuse("format", `"action" must be include or exclude, not "${option}"`);
      }
      result.exclude = value === "exclude";
    } else if (option.startsWith("name") || option.startsWith("header")) {
      // Asterisk reads past a missing "(" here (undefined behaviour); refusing is the safe answer.
      if (value === undefined || value === "") return refuse("format", `"${option}" is empty`);
      if (option.startsWith("name")) result.name = value;
      else result.header = value.endsWith(":") ? value : value + ":";
    } else if (option.startsWith("method")) {
      if (value === undefined || !METHODS.has(value)) {
        return refuse("format", `unknown method in "${option}"`);
      }
      result.method = value as AmiServerFilterMethod;
    } else {
      return refuse("format", `unknown option "${option}"`);
    }
    result.found = true;
  }
  return result;
}

function refuse(reason: "format" | "compile", detail: string): AmiServerFilterRefusal {
  return {
    reason,
    message: reason === "format" ? FILTER_FORMAT_ERROR : FILTER_COMPILE_ERROR,
    detail,
  };
}

type RuleParts = Omit<AmiServerFilterRule, "matches" | "matchesText" | "nameHash">;

function compileRule(parts: RuleParts): AmiServerFilterRule | AmiServerFilterRefusal {
  let test: (value: string) => boolean;
  try {
    test = valueTest(parts.method, parts.pattern);
  } catch (error) {
    if (error instanceof PosixRegexError) return refuse("compile", error.message);
    throw error;
  }
  // Asterisk skips the name check when the name hashes to 0.
  const nameHash = parts.name === undefined ? 0 : asteriskStringHash(parts.name);
  const header = parts.header;
  const matchesText = header === undefined
    ? test
    : (text: string) => headerMatches(text, header, test);
  return {
    ...parts,
    nameHash,
    matchesText,
    matches(name: string, text: string): boolean {
      if (nameHash !== 0 && name !== parts.name && asteriskStringHash(name) !== nameHash) {
        return false;
      }
      return matchesText(text);
    },
  };
}

/** `filter_cmp_fn` for `header(...)`: any line starting with the header, empty values skipped. */
function headerMatches(text: string, header: string, test: (value: string) => boolean): boolean {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (text.startsWith(header, start)) {
      const value = skipBlanks(text.slice(start + header.length, lineEnd));
      if (value !== "" && test(value)) return true;
    }
    start = end + 1;
  }
  return false;
}

function valueTest(method: AmiServerFilterMethod, pattern: string): (value: string) => boolean {
  switch (method) {
    case "regex": {
      const expression = compilePosixEre(pattern);
      return (value) => expression.test(value);
    }
    case "exact":
      return (value) => value === pattern;
    case "starts_with":
      return (value) => value.startsWith(pattern);
    case "ends_with":
      return (value) => value.endsWith(pattern);
    case "contains":
      return (value) => value.includes(pattern);
    case "none":
      return () => true;
  }
}

/**
 * Whether Asterisk sends an event to a session with these filters
 * (`should_send_event`).
 *
 * @param rules The session's filters, in the order they were added.
 * @param name The event's name.
 * @param text The event's full text as sent.
 * @returns Whether the event is sent.
 */
export function serverFiltersAllow(
  rules: readonly AmiServerFilterRule[],
  name: string,
  text: string,
): boolean {
  if (rules.length === 0) return true;
  const hash = asteriskStringHash(name);
  let hasInclude = false;
  let included = false;
  for (const rule of rules) {
    if (rule.exclude) continue;
    hasInclude = true;
    if ((rule.nameHash === 0 || rule.nameHash === hash) && rule.matchesText(text)) {
      included = true;
      break;
    }
  }
  if (hasInclude && !included) return false;
  for (const rule of rules) {
    if (!rule.exclude || (rule.nameHash !== 0 && rule.nameHash !== hash)) continue;
    if (rule.matchesText(text)) return false;
  }
  return true;
}
