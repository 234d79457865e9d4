/**
 * Racing a task against a time limit.
 *
 * @module
 */

/**
 * Waits for `task`, or rejects with `onTimeout()` once `ms` milliseconds
 * have passed, whichever comes first. The timer is cleared either way; the
 * task itself is not stopped (pass it a signal of its own for that).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withTimeout } from "./timeouts.ts";
 *
 * assert.equal(await withTimeout(Promise.resolve(1), 50, () => new Error("Late")), 1);
 * const never = new Promise<number>(() => {});
 * await assert.rejects(withTimeout(never, 1, () => new Error("Late")), /Late/);
 * ```
 */
export async function withTimeout<T>(
  task: Promise<T>,
  ms: number,
  onTimeout: () => unknown,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([task, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
