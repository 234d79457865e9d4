/**
 * The JetStream stream the bridge publishes into: created when missing,
 * checked when present.
 *
 * @module
 */

import {
  DiscardPolicy,
  type JetStreamManager,
  nanos,
  StorageType,
  type StreamConfig,
} from "./deps.ts";

/**
 * Settings of the stream the bridge creates (or checks).
 *
 * @example
 * ```ts
 * import type { AmiStreamSettings } from "@x/ami/nats";
 * import assert from "node:assert/strict";
 * const settings: AmiStreamSettings = { name: "AMI", maxAge: 24 * 3600_000, replicas: 3 };
 * assert.equal(settings.replicas, 3);
 * ```
 */
export interface AmiStreamSettings {
  /** The stream's name; `AMI` by default. */
  name?: string;
  /** How long messages are kept, in ms; 24 hours by default. */
  maxAge?: number;
  /** The stream's size limit in bytes (oldest messages go first); 1 GiB by default. */
  maxBytes?: number;
  /** The window in which a repeated `Nats-Msg-Id` is stored once, in ms; 2 minutes by default. */
  duplicateWindow?: number;
  /** Copies in a NATS cluster; 1 by default (use 3 in a cluster). */
  replicas?: number;
  /** `file` (default) or `memory`. */
  storage?: "file" | "memory";
}

/** The default stream name. */
export const DEFAULT_STREAM_NAME = "AMI";

/**
 * The bridge's stream is not fit for it: it exists with other subjects, or
 * without de-duplication.
 *
 * @example
 * ```ts
 * import { AmiStreamMismatchError } from "@x/ami/nats";
 * import assert from "node:assert/strict";
 * assert.ok(new AmiStreamMismatchError("x") instanceof Error);
 * ```
 */
export class AmiStreamMismatchError extends Error {
  /**
   * Creates the error.
   *
   * @param message What does not fit.
   */
  constructor(message: string) {
    super(message);
    this.name = "AmiStreamMismatchError";
  }
}

/** The subjects the bridge publishes on, under `prefix`. */
export function streamSubjects(prefix: string): string[] {
  return [`${prefix}.*.evt.>`, `${prefix}.*.gap`];
}

/**
 * Creates the stream when it is missing; when it exists, checks that it
 * takes the bridge's subjects and de-duplicates. Returns the stream's name.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  prefix: string,
  settings: AmiStreamSettings,
): Promise<string> {
  const name = settings.name ?? DEFAULT_STREAM_NAME;
  const subjects = streamSubjects(prefix);
  let existing: StreamConfig | undefined;
  try {
    existing = (await jsm.streams.info(name)).config;
  } catch (error) {
    if (!/not found/i.test(String((error as Error)?.message))) throw error;
  }
  if (existing === undefined) {
    await jsm.streams.add({
      name,
      subjects,
      storage: settings.storage === "memory" ? StorageType.Memory : StorageType.File,
      max_age: nanos(settings.maxAge ?? 24 * 3600_000),
      max_bytes: settings.maxBytes ?? 1024 ** 3,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(settings.duplicateWindow ?? 120_000),
      num_replicas: settings.replicas ?? 1,
    });
    return name;
  }
  const taken = existing.subjects ?? [];
  const missing = subjects.filter((subject) =>
    !taken.includes(subject) && !taken.includes(`${prefix}.>`) && !taken.includes(">")
  );
  if (missing.length > 0) {
    throw new AmiStreamMismatchError(
      `Stream "${name}" exists without the subjects ${missing.map((s) => `"${s}"`).join(", ")}: ` +
        "add them to it, or give the bridge another stream name",
    );
  }
  if (!(Number(existing.duplicate_window ?? 0) > 0)) {
    throw new AmiStreamMismatchError(
      `Stream "${name}" has no duplicate window, so retried publishes would be stored twice`,
    );
  }
  return name;
}
