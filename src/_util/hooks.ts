/**
 * Calling code the user gave us (hooks such as `onWire`), and describing
 * errors in messages. A hook that throws must never break the session nor
 * the process: what it threw is handed to whoever reports such trouble.
 *
 * @module
 */

/**
 * The message of an error, or the thrown value as text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeError } from "./hooks.ts";
 *
 * assert.equal(describeError(new Error("Refused")), "Refused");
 * assert.equal(describeError("plain"), "plain");
 * ```
 */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Calls a user hook with `argument`. When it throws, what it threw goes to
 * `onThrow` (which must not throw) and the caller goes on as if the hook had
 * returned.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { callUserHook } from "./hooks.ts";
 *
 * const thrown: unknown[] = [];
 * callUserHook(() => { throw new Error("Bug in the hook"); }, 1, (error) => thrown.push(error));
 * callUserHook(undefined, 2, (error) => thrown.push(error));
 * assert.equal(thrown.length, 1);
 * ```
 */
export function callUserHook<A>(
  hook: ((argument: A) => void) | undefined,
  argument: A,
  onThrow: (error: unknown) => void,
): void {
  if (hook === undefined) return;
  try {
    hook(argument);
  } catch (error) {
    onThrow(error);
  }
}
