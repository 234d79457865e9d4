/**
 * Asterisk's event classes (the `perms` table of `main/manager.c`), the
 * `EventMask` value of the `Events` action (and `Events:` at login), and the
 * mask as Asterisk reads and applies it.
 *
 * Asterisk is unforgiving here: an unknown or capitalised class in
 * `EventMask` (`foo`, `Call`) answers `Response: Success` with
 * `Events: Off`, and the session silently receives nothing. So the typed API
 * refuses such a list before anything is sent.
 *
 * @module
 */

/**
 * One of Asterisk's event classes, as `EventMask` spells it (lower case).
 * Every event belongs to exactly one; the session receives it only when its
 * class is in the mask (and in the user's `read` permission).
 */
export type AmiEventClass =
  | "system"
  | "call"
  | "log"
  | "verbose"
  | "command"
  | "agent"
  | "user"
  | "config"
  | "dtmf"
  | "reporting"
  | "cdr"
  | "dialplan"
  | "originate"
  | "agi"
  | "cc"
  | "aoc"
  | "test"
  | "security"
  | "message";

/** Each class's flag (`EVENT_FLAG_*` in `include/asterisk/manager.h`), in Asterisk's order. */
const CLASS_FLAGS: Readonly<Record<AmiEventClass, number>> = {
  system: 1 << 0,
  call: 1 << 1,
  log: 1 << 2,
  verbose: 1 << 3,
  command: 1 << 4,
  agent: 1 << 5,
  user: 1 << 6,
  config: 1 << 7,
  dtmf: 1 << 8,
  reporting: 1 << 9,
  cdr: 1 << 10,
  dialplan: 1 << 11,
  originate: 1 << 12,
  agi: 1 << 13,
  cc: 1 << 15,
  aoc: 1 << 16,
  test: 1 << 17,
  security: 1 << 18,
  message: 1 << 30,
};

/** `INT_MAX`: the `all` class, and what a true value (`on`, `yes`) asks for. */
export const ALL_EVENT_CLASS_BITS = 0x7fffffff;

/**
 * Every event class, in Asterisk's order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AMI_EVENT_CLASSES } from "@x/ami";
 * assert.equal(AMI_EVENT_CLASSES.length, 19);
 * assert.ok(AMI_EVENT_CLASSES.includes("call"));
 * ```
 */
export const AMI_EVENT_CLASSES: readonly AmiEventClass[] = Object.freeze(
  Object.keys(CLASS_FLAGS) as AmiEventClass[],
);

const KNOWN: ReadonlySet<string> = new Set(AMI_EVENT_CLASSES);

/**
 * Checks a list of event classes, and returns it without repeats, in
 * Asterisk's order.
 *
 * @param classes The classes, spelled as {@linkcode AmiEventClass}.
 * @returns The classes, each once.
 * @throws {TypeError} naming the first class Asterisk does not know (it
 * would silently turn events off).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateEventClasses } from "@x/ami";
 * assert.deepEqual(validateEventClasses(["call", "system", "call"]), ["system", "call"]);
 * assert.throws(() => validateEventClasses(["Call"]), /Unknown event class "Call"/);
 * ```
 */
export function validateEventClasses(classes: readonly string[]): AmiEventClass[] {
  if (!Array.isArray(classes)) {
    throw new TypeError(`Invalid event classes ${String(classes)}: expected an array of names`);
  }
  for (const name of classes) {
    if (typeof name === "string" && KNOWN.has(name)) continue;
    const lower = typeof name === "string" ? name.toLowerCase() : "";
    const hint = KNOWN.has(lower) ? `; Asterisk's spelling is "${lower}"` : "";
    throw new TypeError(
      `Unknown event class ${JSON.stringify(name)}: Asterisk would silently turn events off ` +
        `for it${hint}. Known classes: ${AMI_EVENT_CLASSES.join(", ")}`,
    );
  }
  const wanted = new Set(classes);
  return AMI_EVENT_CLASSES.filter((name) => wanted.has(name));
}

/**
 * The `EventMask` value (for the `Events` action or `Events:` at login) that
 * selects exactly these classes: `off` for none.
 *
 * @param classes The classes.
 * @returns The value to send.
 * @throws {TypeError} for an unknown or wrongly cased class.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventMaskFor } from "@x/ami";
 * assert.equal(eventMaskFor(["call", "system"]), "system,call");
 * assert.equal(eventMaskFor([]), "off");
 * ```
 */
export function eventMaskFor(classes: readonly AmiEventClass[]): string {
  const valid = validateEventClasses(classes);
  return valid.length === 0 ? "off" : valid.join(",");
}

/**
 * The bits of a class list, as Asterisk's `get_perm` reads it, quirks
 * included: a comma-separated piece that is not the last matches every
 * class whose name starts with it (so `c,x` selects call, command, config,
 * cdr and cc, and an empty piece selects all), the last piece must be exact.
 */
function classListBits(list: string): number {
  const pieces = list.split(",");
  let bits = 0;
  for (const [label, flag] of [...Object.entries(CLASS_FLAGS), ["all", ALL_EVENT_CLASS_BITS]]) {
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      const last = i === pieces.length - 1;
      if (last ? piece === label : (label as string).startsWith(piece)) {
        bits |= flag as number;
        break;
      }
    }
  }
  return bits;
}

const TRUE_WORDS: ReadonlySet<string> = new Set(["yes", "true", "y", "t", "1", "on"]);
const FALSE_WORDS: ReadonlySet<string> = new Set(["no", "false", "n", "f", "0", "off"]);

/**
 * Reads an `EventMask` (or login `Events:`) value the way Asterisk 23 does
 * (`strings_to_mask`): digits are the mask itself, a false word is 0, a true
 * word every class, anything else a class list (unknown names add nothing).
 *
 * @param value The value, leading blanks already dropped.
 * @returns The mask bits, or `undefined` for an empty value (an error for
 * the `Events` action, "keep the read permission" at login).
 */
export function parseEventMaskBits(value: string): number | undefined {
  if (value === "") return undefined;
  if (/^[0-9]+$/.test(value)) return Number.parseInt(value, 10) | 0;
  const lower = value.toLowerCase();
  if (FALSE_WORDS.has(lower)) return 0;
  if (TRUE_WORDS.has(lower)) return ALL_EVENT_CLASS_BITS;
  return classListBits(value);
}

/**
 * The class bits of an event from its `Privilege` value (`call,all`): the
 * flags of the classes it names, `all` aside.
 *
 * @param privilege The `Privilege` value.
 * @returns The bits; delivery needs all of them in the session's mask.
 */
export function privilegeBits(privilege: string): number {
  let bits = 0;
  for (const piece of privilege.split(",")) {
    const name = piece.trim();
    if (KNOWN.has(name)) bits |= CLASS_FLAGS[name as AmiEventClass];
  }
  return bits;
}

/**
 * The classes of a mask, in Asterisk's order.
 *
 * @param bits A mask.
 * @returns The classes whose flag is set.
 */
export function eventClassesOf(bits: number): AmiEventClass[] {
  return AMI_EVENT_CLASSES.filter((name) => (bits & CLASS_FLAGS[name]) !== 0);
}
