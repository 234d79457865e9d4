/**
 * The pool's PBXs by name: each one's connect settings (its own over the
 * pool's defaults), lookups that fail with a typed error, and the client of
 * a PBX that is connected now.
 *
 * @module
 */

import type { AmiClient } from "../client/client.ts";
import { type AmiConnectOptions, parseAmiUrl } from "../client/options.ts";
import { AmiConnectionError, type AmiError } from "../errors.ts";
import { type AmiPoolMemberStats, type MemberListener, PoolMember } from "./member.ts";
import { checkPbxName } from "./names.ts";
import type { AmiPoolTarget } from "./options.ts";

/** The members of one pool, in the order they were added. */
export class MemberTable {
  readonly #members = new Map<string, PoolMember>();
  readonly #defaults: Partial<AmiConnectOptions>;
  readonly #listener: MemberListener;

  /**
   * @param defaults Connect options for every PBX, under each one's own.
   * @param listener Told when a member's client or state changes.
   */
  constructor(defaults: Partial<AmiConnectOptions>, listener: MemberListener) {
    this.#defaults = defaults;
    this.#listener = listener;
  }

  /** The names, in the order they were added. */
  get names(): string[] {
    return [...this.#members.keys()];
  }

  /** How many PBXs there are. */
  get size(): number {
    return this.#members.size;
  }

  /** Every member, in the order they were added. */
  values(): IterableIterator<PoolMember> {
    return this.#members.values();
  }

  /** Each PBX's figures, by name. */
  stats(): Record<string, AmiPoolMemberStats> {
    const stats: Record<string, AmiPoolMemberStats> = {};
    for (const [name, member] of this.#members) stats[name] = member.stats;
    return stats;
  }

  /**
   * Checks every name and target first, then starts connecting to each:
   * one bad entry starts none.
   *
   * @throws {TypeError} for an invalid name or URL.
   */
  startAll(targets: Record<string, AmiPoolTarget>): void {
    const settings = Object.entries(targets).map(([name, target]) =>
      [checkPbxName(name), this.#settings(target)] as const
    );
    for (const [name, options] of settings) this.#start(name, options);
  }

  /**
   * Adds a PBX and starts connecting to it.
   *
   * @throws {TypeError} for an invalid or taken name, or an invalid URL.
   */
  add(pbx: string, target: AmiPoolTarget): void {
    checkPbxName(pbx);
    if (this.#members.has(pbx)) throw new TypeError(`PBX "${pbx}" is already in the pool`);
    this.#start(pbx, this.#settings(target));
  }

  /**
   * The member named `pbx`.
   *
   * @throws {RangeError} when no PBX has that name.
   */
  get(pbx: string): PoolMember {
    const member = this.#members.get(pbx);
    if (member === undefined) throw new RangeError(`No PBX named "${String(pbx).slice(0, 80)}"`);
    return member;
  }

  /**
   * Takes the member named `pbx` out of the table; the caller closes it.
   *
   * @throws {RangeError} when no PBX has that name.
   */
  take(pbx: string): PoolMember {
    const member = this.get(pbx);
    this.#members.delete(pbx);
    return member;
  }

  /** Takes every member out of the table; the caller closes them. */
  takeAll(): PoolMember[] {
    const members = [...this.#members.values()];
    this.#members.clear();
    return members;
  }

  /**
   * The client of a PBX that has one now.
   *
   * @throws {RangeError} when no PBX has that name.
   * @throws {AmiConnectionError} when it has no client now.
   */
  connectedClient(pbx: string): AmiClient {
    const member = this.get(pbx);
    const client = member.client;
    if (client === undefined) {
      const { lastError } = member.stats;
      throw new AmiConnectionError(
        `PBX "${pbx}" is not connected${lastError === undefined ? "" : `: ${lastError}`}`,
      ) as AmiError;
    }
    return client;
  }

  #start(name: string, settings: AmiConnectOptions): void {
    this.#members.set(name, new PoolMember(name, settings, this.#listener));
  }

  #settings(target: AmiPoolTarget): AmiConnectOptions {
    const own = typeof target === "string" || target instanceof URL ? parseAmiUrl(target) : target;
    return { ...this.#defaults, reconnect: this.#defaults.reconnect ?? true, ...own };
  }
}
