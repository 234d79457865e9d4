/**
 * How long to wait before a reconnect attempt.
 *
 * @module
 */

import type { AmiReconnectOptions } from "./options.ts";

/**
 * Exponential backoff, capped, with a random share taken off so that many
 * clients do not retry at once.
 *
 * @param policy The reconnect options, with defaults applied.
 * @param attempt The attempt about to be made, from 1.
 * @returns The delay, in ms.
 */
export function backoffDelay(policy: Required<AmiReconnectOptions>, attempt: number): number {
  const base = Math.min(policy.maxDelay, policy.initialDelay * policy.factor ** (attempt - 1));
  return Math.round(base * (1 - policy.jitter * Math.random()));
}
