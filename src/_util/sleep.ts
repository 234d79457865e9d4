/**
 * One abortable wait, shared by the client's reconnect back-off and the
 * testing module's timers: every timer it starts ends when its signal aborts.
 *
 * @module
 */

/**
 * Resolves after `ms` milliseconds, or rejects with the signal's reason as
 * soon as it aborts (clearing the timer). Zero, less or `NaN` resolves at
 * once; `Infinity` sets no timer and waits for the signal only (without a
 * signal it never settles).
 *
 * @example Waiting, then being cut short
 * ```ts
 * import assert from "node:assert/strict";
 * import { sleep } from "./sleep.ts";
 *
 * await sleep(1);
 * const stop = new AbortController();
 * const forever = sleep(Infinity, stop.signal);
 * stop.abort(new Error("Stopped"));
 * await assert.rejects(forever, /Stopped/);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (!(ms > 0)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = ms === Infinity ? undefined : setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
