/**
 * The action encoder: an action object to the bytes of one AMI frame, with
 * the checks that keep a user's value from ever injecting a header.
 *
 * @module
 */

import type { AmiFieldValue } from "./message.ts";

/** The most headers Asterisk reads from one action (`AST_MAX_MANHEADERS`). */
export const MAX_ACTION_HEADERS = 128;
/** The longest ActionID accepted. */
export const MAX_ACTION_ID_LENGTH = 69;

/**
 * An action to send: `Action` names it; every other key is a header. An
 * array writes the key once per element, in order (`Variable`); `undefined`
 * leaves the key out.
 *
 * @example
 * ```ts
 * import type { AmiAction } from "@x/ami";
 * import assert from "node:assert/strict";
 * const action: AmiAction = {
 *   Action: "Originate",
 *   Channel: "PJSIP/100",
 *   Variable: ["A=1", "B=2"],
 *   Async: true,
 * };
 * assert.equal(action.Action, "Originate");
 * ```
 */
export interface AmiAction {
  /** The action's name, e.g. `Ping`. */
  Action: string;
  /** Any other header. */
  [header: string]: AmiFieldValue | readonly AmiFieldValue[] | undefined;
}

const encoder = new TextEncoder();
const FORBIDDEN_IN_KEY = /[\r\n\0:\s]/;

/**
 * Whether a value holds CR, LF (which end or split a line on the wire) or
 * NUL (which ends a C string). One scan of the characters: cheaper than a
 * regular expression for the short values actions carry.
 */
function breaksLine(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 13 && (code === 13 || code === 10 || code === 0)) return true;
  }
  return false;
}

/**
 * Serializes an action to the text of one frame: `Action` first, then
 * `ActionID` if given, then the other headers in order, then the empty line.
 *
 * @param action The action.
 * @returns The frame's text.
 * @throws {TypeError} naming the field, when a key or value holds CR, LF or
 * NUL, a key holds `:` or white space or is empty, `Action` is missing or
 * empty, a value is not a string, number or boolean, there are more than
 * {@linkcode MAX_ACTION_HEADERS} headers, or `ActionID` is longer than
 * {@linkcode MAX_ACTION_ID_LENGTH} characters.
 *
 * @example
 * ```ts
 * import { serializeAction } from "@x/ami";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   serializeAction({ Action: "Setvar", Variable: "X", Value: "a: b" }),
 *   "Action: Setvar\r\nVariable: X\r\nValue: a: b\r\n\r\n",
 * );
 * assert.throws(() => serializeAction({ Action: "Ping", X: "1\r\nAction: Logoff" }), TypeError);
 * ```
 */
export function serializeAction(action: AmiAction): string {
  return serializeActionWithId(action, undefined);
}

/**
 * {@linkcode serializeAction}, with the ActionID given apart: `id`, when
 * set, is written in place of the action's own `ActionID`, so the caller
 * need not copy the action to change it. Internal: used by the client.
 */
export function serializeActionWithId(action: AmiAction, id: string | undefined): string {
  if (typeof action !== "object" || action === null) {
    throw new TypeError("An action must be an object with an Action field");
  }
  const name = action.Action;
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError('The "Action" field must be a non-empty string');
  }
  let text = "Action: " + checkValue("Action", name) + "\r\n";
  let headers = 1;
  const actionId = id ?? action.ActionID;
  if (actionId !== undefined) {
    const checked = checkValue("ActionID", single("ActionID", actionId));
    if (checked.length > MAX_ACTION_ID_LENGTH) {
      throw new TypeError(
        `The "ActionID" field is ${checked.length} characters long; the limit is ${MAX_ACTION_ID_LENGTH}`,
      );
    }
    text += "ActionID: " + checked + "\r\n";
    headers++;
  }
  // Own keys only: `for…in` also visits enumerable fields inherited from a prototype. (It
  // builds no array of keys, as Object.keys would for every action.)
  for (const key in action) {
    if (key === "Action" || key === "ActionID" || !Object.hasOwn(action, key)) continue;
    const value = action[key];
    if (value === undefined) continue;
    checkKey(key);
    if ((key.length === 6 || key.length === 8) && /^action(id)?$/i.test(key)) {
      // Asterisk reads header names without regard to case: this would be a second Action or ActionID.
      throw new TypeError(
        `The header "${key}" repeats "Action" or "ActionID" in another case; spell it exactly`,
      );
    }
    if (Array.isArray(value)) {
      for (const item of value as readonly AmiFieldValue[]) {
        text += key + ": " + checkValue(key, stringify(key, item)) + "\r\n";
        headers++;
      }
    } else {
      text += key + ": " + checkValue(key, stringify(key, value as AmiFieldValue)) + "\r\n";
      headers++;
    }
  }
  if (headers > MAX_ACTION_HEADERS) {
    throw new TypeError(
      `The action "${name}" has ${headers} headers; Asterisk reads at most ${MAX_ACTION_HEADERS}`,
    );
  }
  return text + "\r\n";
}

/**
 * Encodes an action to the UTF-8 bytes of one frame; see
 * {@linkcode serializeAction} for the order and the checks.
 *
 * @param action The action.
 * @returns The frame's bytes.
 * @throws {TypeError} when a field is not fit for the wire.
 *
 * @example
 * ```ts
 * import { encodeAction } from "@x/ami";
 * import assert from "node:assert/strict";
 * const bytes = encodeAction({ Action: "Ping", ActionID: "1" });
 * assert.equal(new TextDecoder().decode(bytes), "Action: Ping\r\nActionID: 1\r\n\r\n");
 * ```
 */
export function encodeAction(action: AmiAction): Uint8Array {
  return encoder.encode(serializeAction(action));
}

function checkKey(key: string): void {
  if (key.length === 0 || !plainAsciiKey(key) && FORBIDDEN_IN_KEY.test(key)) {
    throw new TypeError(
      `The header name ${JSON.stringify(key)} is not allowed: ` +
        "header names must be non-empty and hold no colon, white space, CR, LF or NUL",
    );
  }
}

/**
 * Whether a key is printable ASCII without a colon, hence fit for the wire:
 * one scan of the characters. A key outside printable ASCII is checked in
 * full by {@linkcode FORBIDDEN_IN_KEY}, which knows Unicode white space.
 */
function plainAsciiKey(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code <= 32 || code >= 127 || code === 58) return false;
  }
  return true;
}

function checkValue(key: string, value: string): string {
  if (breaksLine(value)) {
    throw new TypeError(
      `The value of "${key}" holds a CR, LF or NUL character, which would break the frame`,
    );
  }
  return value;
}

function single(key: string, value: AmiFieldValue | readonly AmiFieldValue[]): string {
  if (Array.isArray(value)) throw new TypeError(`The "${key}" field takes one value, not a list`);
  return stringify(key, value as AmiFieldValue);
}

function stringify(key: string, value: AmiFieldValue): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      if (!Number.isFinite(value)) {
        throw new TypeError(`The value of "${key}" is not a finite number`);
      }
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    default:
      throw new TypeError(
        `The value of "${key}" is a ${typeof value}; use a string, number, boolean or an array of them`,
      );
  }
}
