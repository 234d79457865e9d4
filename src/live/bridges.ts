/**
 * {@linkcode BridgeTable}: the bridges of a view. A bridge's attributes come
 * from `BridgeListItem` and the bridge block of `Bridge*` events (the
 * *bridges* domain); its members follow the channels' `bridgeId` (the
 * *channels* domain), so each side can be cut over on its own list.
 *
 * @module
 */

import type { FieldReader } from "./event_fields.ts";
import { knownOrEmpty, reuse } from "./strings.ts";
import type { LiveBridge, LiveRemovalCause, PendingChange } from "./types.ts";

interface BridgeRecord {
  readonly id: string;
  readonly type: string;
  readonly technology: string;
  readonly creator: string;
  readonly name: string;
}

const NO_MEMBERS: ReadonlySet<string> = new Set();

/** Bridges by id: attributes, members, and the changes of the current event. */
export class BridgeTable {
  readonly #records = new Map<string, BridgeRecord>();
  readonly #members = new Map<string, Set<string>>();
  readonly #views = new Map<string, LiveBridge>();
  /** The view of each bridge touched by the current event, before it (undefined: absent). */
  readonly #before = new Map<string, LiveBridge | undefined>();

  /** How many bridges there are. */
  get size(): number {
    return this.#views.size;
  }

  /** The bridge, frozen. */
  get(id: string): LiveBridge | undefined {
    return this.#views.get(id);
  }

  /** Every bridge, frozen. */
  values(): IterableIterator<LiveBridge> {
    return this.#views.values();
  }

  /** The bridge's type, `""` when not known. */
  typeOf(id: string): string {
    return this.#records.get(id)?.type ?? "";
  }

  /** The Uniqueids in a bridge. */
  membersOf(id: string): ReadonlySet<string> {
    return this.#members.get(id) ?? NO_MEMBERS;
  }

  /** Creates or updates a bridge from the block with `prefix` (`""`, `To`, `From`). */
  upsert(event: FieldReader, prefix = ""): string | undefined {
    const id = event.get(`${prefix}BridgeUniqueid`);
    if (id === undefined || id === "") return undefined;
    const stored = this.#records.get(id);
    const type = event.get(`${prefix}BridgeType`) ?? stored?.type ?? "";
    const technology = event.get(`${prefix}BridgeTechnology`) ?? stored?.technology ?? "";
    const creator = knownOrEmpty(event.get(`${prefix}BridgeCreator`) ?? stored?.creator);
    const name = knownOrEmpty(event.get(`${prefix}BridgeName`) ?? stored?.name);
    if (
      stored !== undefined && stored.type === type && stored.technology === technology &&
      stored.creator === creator && stored.name === name
    ) {
      return stored.id;
    }
    this.#touch(id);
    const record: BridgeRecord = {
      id: reuse(stored?.id, id),
      type: reuse(stored?.type, type),
      technology: reuse(stored?.technology, technology),
      creator: reuse(stored?.creator, creator),
      name: reuse(stored?.name, name),
    };
    this.#records.set(record.id, record);
    return record.id;
  }

  /** The bridge was destroyed; members it still lists stay until their channels say. */
  destroy(id: string): void {
    if (!this.#records.has(id)) return;
    this.#touch(id);
    this.#records.delete(id);
  }

  /** A channel is now in a bridge. */
  addMember(id: string, uniqueid: string): void {
    const members = this.#members.get(id);
    if (members?.has(uniqueid)) return;
    this.#touch(id);
    if (members === undefined) this.#members.set(id, new Set([uniqueid]));
    else members.add(uniqueid);
  }

  /** A channel left a bridge. */
  removeMember(id: string, uniqueid: string): void {
    const members = this.#members.get(id);
    if (members === undefined || !members.has(uniqueid)) return;
    this.#touch(id);
    members.delete(uniqueid);
    if (members.size === 0) this.#members.delete(id);
  }

  /** Rebuilds the touched bridges' views and returns their changes. */
  settle(removal: LiveRemovalCause = "event"): PendingChange[] {
    const changes: PendingChange[] = [];
    for (const [id, before] of this.#before) {
      const record = this.#records.get(id);
      const members = this.#members.get(id);
      if (record === undefined && members === undefined) {
        this.#views.delete(id);
        if (before !== undefined) changes.push({ kind: "bridge.removed", bridge: before, removal });
        continue;
      }
      const bridge: LiveBridge = Object.freeze({
        id: record?.id ?? id,
        type: record?.type ?? "",
        technology: record?.technology ?? "",
        creator: record?.creator ?? "",
        name: record?.name ?? "",
        channels: new Set(members ?? NO_MEMBERS),
      });
      this.#views.set(id, bridge);
      if (before === undefined) changes.push({ kind: "bridge.added", bridge });
      else changes.push({ kind: "bridge.updated", bridge, before });
    }
    this.#before.clear();
    return changes;
  }

  #touch(id: string): void {
    if (!this.#before.has(id)) this.#before.set(id, this.#views.get(id));
  }
}
