/**
 * The options of a live view, their defaults and their checks.
 *
 * @module
 */

import type { QueueSelection } from "./queues.ts";

/**
 * How much the live view keeps of what is over.
 *
 * @example
 * ```ts
 * import type { LiveRetainOptions } from "@x/ami";
 * import assert from "node:assert/strict";
 * const retain: LiveRetainOptions = { endedCalls: 100, endedCallTtlMs: 10_000 };
 * assert.equal(retain.endedCalls, 100);
 * ```
 */
export interface LiveRetainOptions {
  /** Hung-up Uniqueids remembered so that late events never bring them back. Default 10,000. */
  tombstones?: number;
  /** How long a tombstone lasts, in ms. Default 60,000. */
  tombstoneTtlMs?: number;
  /** Ended calls kept in `snapshot().calls`. Default 500. */
  endedCalls?: number;
  /** How long an ended call stays there, in ms. Default 30,000. */
  endedCallTtlMs?: number;
  /** Recent changes kept for `changes({ since })`. Default 4,096. */
  changes?: number;
}

/**
 * Options of {@linkcode createLiveView}.
 *
 * @example
 * ```ts
 * import type { LiveOptions } from "@x/ami";
 * import assert from "node:assert/strict";
 * const options: LiveOptions = { variables: ["CUSTOMER_ID"], retain: { endedCalls: 50 } };
 * assert.deepEqual(options.variables, ["CUSTOMER_ID"]);
 * ```
 */
export interface LiveOptions {
  /**
   * Channel variables to keep in `channel.variables`, from `ChanVariable`
   * lines (`channelvars` in manager.conf) and `VarSet` events. Others are
   * ignored. Default none.
   */
  variables?: readonly string[];
  /** The longest variable value kept, in characters; longer ones are cut. Default 1,024. */
  maxVariableLength?: number;
  /**
   * Whether channels' `context`, `exten` and `priority` follow every
   * dialplan step (`Newexten`, about a fifth of the bytes of a busy PBX).
   * Default no: they change with the channel's other events.
   */
  dialplan?: boolean;
  /** What is kept of what is over. */
  retain?: LiveRetainOptions;
  /**
   * How many events the view's own consumer may buffer while it is busy;
   * beyond that it resyncs. Default 65,536.
   */
  eventBufferSize?: number;
  /** Time for each snapshot action, in ms; defaults to the client's action timeout. */
  snapshotTimeout?: number;
  /**
   * After Asterisk restarted, how long to wait for its `FullyBooted` before
   * taking the snapshot anyway, in ms (it needs `read=system`; a PBX that
   * booted long ago may never send it). Default 10,000.
   */
  bootWaitMs?: number;
  /**
   * Queues to follow in `snapshot().queues`: `true` for all, or their
   * names. Needs `read=agent`. Default none.
   */
  queues?: boolean | readonly string[];
  /** Whether to follow device states in `snapshot().devices` (`DeviceStateList`). Default no. */
  devices?: boolean;
  /** Whether to follow hints in `snapshot().hints` (`ExtensionStateList`). Default no. */
  hints?: boolean;
}

/** The options with every default applied. */
export interface LiveSettings {
  readonly variables: ReadonlySet<string>;
  readonly maxVariableLength: number;
  readonly dialplan: boolean;
  readonly tombstones: number;
  readonly tombstoneTtlMs: number;
  readonly endedCalls: number;
  readonly endedCallTtlMs: number;
  readonly changes: number;
  readonly eventBufferSize: number;
  readonly snapshotTimeout: number | undefined;
  readonly bootWaitMs: number;
  /** The queues followed, if any. */
  readonly queues: QueueSelection | undefined;
  readonly devices: boolean;
  readonly hints: boolean;
}

/** Applies the defaults and checks every number. */
export function liveSettings(options: LiveOptions = {}): LiveSettings {
  const retain = options.retain ?? {};
  const variables = new Set<string>();
  for (const name of options.variables ?? []) {
    if (typeof name !== "string" || name === "" || /[\r\n=]/.test(name)) {
      throw new TypeError(`The variable name ${JSON.stringify(name)} is not valid`);
    }
    variables.add(name);
  }
  return {
    variables,
    maxVariableLength: count("maxVariableLength", options.maxVariableLength, 1_024),
    dialplan: options.dialplan === true,
    tombstones: count("retain.tombstones", retain.tombstones, 10_000),
    tombstoneTtlMs: count("retain.tombstoneTtlMs", retain.tombstoneTtlMs, 60_000),
    endedCalls: count("retain.endedCalls", retain.endedCalls, 500),
    endedCallTtlMs: count("retain.endedCallTtlMs", retain.endedCallTtlMs, 30_000),
    changes: count("retain.changes", retain.changes, 4_096),
    eventBufferSize: Math.max(1, count("eventBufferSize", options.eventBufferSize, 65_536)),
    snapshotTimeout: options.snapshotTimeout === undefined
      ? undefined
      : Math.max(1, count("snapshotTimeout", options.snapshotTimeout, 0)),
    bootWaitMs: count("bootWaitMs", options.bootWaitMs, 10_000),
    queues: queueSelection(options.queues),
    devices: options.devices === true,
    hints: options.hints === true,
  };
}

function queueSelection(
  queues: boolean | readonly string[] | undefined,
): QueueSelection | undefined {
  if (queues === undefined || queues === false) return undefined;
  if (queues === true) return "all";
  const names = new Set<string>();
  for (const name of queues) {
    if (typeof name !== "string" || name === "" || /[\r\n]/.test(name)) {
      throw new TypeError(`The queue name ${JSON.stringify(name)} is not valid`);
    }
    names.add(name);
  }
  return names;
}

function count(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(
      `The ${name} option must be a finite number of at least 0, not "${value}"`,
    );
  }
  return Math.floor(value);
}
