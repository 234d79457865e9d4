/**
 * The event classes Asterisk knows, and the check of an `EventMask` value
 * against them, so a misspelt class is a usage error before connecting
 * rather than a mask Asterisk silently ignores.
 *
 * @module
 */

import { CliUsageError } from "./args.ts";

/**
 * The class names Asterisk's manager accepts in an event mask (its
 * `perms` table), compared as Asterisk compares them: case-sensitive.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AMI_EVENT_CLASSES } from "./event_classes.ts";
 * assert.ok(AMI_EVENT_CLASSES.includes("call"));
 * ```
 */
export const AMI_EVENT_CLASSES: readonly string[] = Object.freeze([
  "system",
  "call",
  "log",
  "verbose",
  "command",
  "agent",
  "user",
  "config",
  "dtmf",
  "reporting",
  "cdr",
  "dialplan",
  "originate",
  "agi",
  "cc",
  "aoc",
  "test",
  "security",
  "message",
  "all",
  "none",
]);

/** The words Asterisk reads as "all classes" or "none" (any case). */
const SWITCH_WORDS = new Set(["on", "off", "yes", "no", "true", "false", "y", "n", "t", "f"]);

/**
 * Checks an event mask as Asterisk reads it: a number, an on/off word
 * (`on`, `off`, `yes`, `no`, `true`, `false`, any case), or class names
 * separated by commas, without spaces.
 *
 * @param mask The mask given.
 * @param source Where it came from, for the message (`--classes`).
 * @returns The mask, unchanged.
 * @throws {CliUsageError} naming the first class Asterisk does not know.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkEventMask } from "./event_classes.ts";
 * assert.equal(checkEventMask("call,system", "--classes"), "call,system");
 * assert.throws(() => checkEventMask("calls", "--classes"), /Unknown event class "calls"/);
 * ```
 */
export function checkEventMask(mask: string, source: string): string {
  if (/^\d+$/.test(mask) || SWITCH_WORDS.has(mask.toLowerCase())) return mask;
  for (const name of mask.split(",")) {
    if (name === "") {
      throw new CliUsageError(
        `Empty class name in ${source} (classes are separated by commas)`,
        "events",
      );
    }
    if (!AMI_EVENT_CLASSES.includes(name)) {
      const lower = name.trim().toLowerCase();
      const hint = lower !== name && AMI_EVENT_CLASSES.includes(lower)
        ? `; did you mean "${lower}"? (lower case, no spaces)`
        : `; Asterisk knows ${AMI_EVENT_CLASSES.join(", ")}, or on and off`;
      throw new CliUsageError(
        `Unknown event class ${JSON.stringify(name)} in ${source}${hint}`,
        "events",
      );
    }
  }
  return mask;
}
