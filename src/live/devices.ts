/**
 * {@linkcode DeviceTable}: device states (`DeviceStateChange`, seeded from
 * `DeviceStateList`) and hints (`ExtensionStatus`, seeded from
 * `ExtensionStateList`) of a live view. List items carry the same names
 * and fields as the events, so one rule serves both.
 *
 * @module
 */

import type { FieldReader } from "./event_fields.ts";
import type { LiveHint } from "./queue_types.ts";
import { detached } from "./strings.ts";
import type { PendingChange } from "./types.ts";

/** Devices by name and hints by `exten@context`. */
export class DeviceTable {
  readonly #devices = new Map<string, string>();
  readonly #hints = new Map<string, LiveHint>();

  /** Device states by device (live; do not keep across changes). */
  get devices(): ReadonlyMap<string, string> {
    return this.#devices;
  }

  /** Hints by `exten@context` (live; do not keep across changes). */
  get hints(): ReadonlyMap<string, LiveHint> {
    return this.#hints;
  }

  /** Applies a `DeviceStateChange`; pushes a change to `out` when the state moved. */
  applyDevice(event: FieldReader, out: PendingChange[]): void {
    const device = event.get("Device");
    const state = event.get("State");
    if (device === undefined || device === "" || state === undefined) return;
    if (this.#devices.get(device) === state) return;
    const key = detached(device);
    const value = detached(state);
    this.#devices.set(key, value);
    out.push({ kind: "device.updated", device: key, state: value });
  }

  /** Applies an `ExtensionStatus`; pushes a change to `out` when the hint moved. */
  applyHint(event: FieldReader, out: PendingChange[]): void {
    const exten = event.get("Exten");
    const context = event.get("Context");
    if (exten === undefined || context === undefined) return;
    const hint: LiveHint = Object.freeze({
      exten: detached(exten),
      context: detached(context),
      hint: detached(event.get("Hint") ?? ""),
      status: Number.parseInt(event.get("Status") ?? "", 10) || 0,
      statusText: detached(event.get("StatusText") ?? ""),
    });
    const key = `${hint.exten}@${hint.context}`;
    const stored = this.#hints.get(key);
    if (stored !== undefined && sameHint(stored, hint)) return;
    this.#hints.set(key, hint);
    out.push({ kind: "hint.updated", hint });
  }
}

/** Whether two hints hold the same values. */
export function sameHint(a: LiveHint, b: LiveHint): boolean {
  return a.exten === b.exten && a.context === b.context && a.hint === b.hint &&
    a.status === b.status && a.statusText === b.statusText;
}
