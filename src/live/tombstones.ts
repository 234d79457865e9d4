/**
 * {@linkcode Tombstones}: the Uniqueids of channels that hung up, kept for a
 * while so that an event arriving late never brings one back.
 *
 * @module
 */

/** A bounded set of ids with an expiry: the oldest go first when it is full. */
export class Tombstones {
  /** Id to expiry time; a Map iterates in insertion order, so the oldest come first. */
  readonly #expiries = new Map<string, number>();
  readonly #capacity: number;
  readonly #ttlMs: number;

  constructor(capacity: number, ttlMs: number) {
    this.#capacity = capacity;
    this.#ttlMs = ttlMs;
  }

  /** How many ids are kept. */
  get size(): number {
    return this.#expiries.size;
  }

  /** Remembers an id as gone from `now`. */
  add(id: string, now: number): void {
    if (this.#capacity === 0) return;
    this.#expiries.delete(id);
    this.#expiries.set(id, now + this.#ttlMs);
    this.prune(now);
  }

  /** Whether the id hung up (and is still remembered). */
  has(id: string): boolean {
    return this.#expiries.has(id);
  }

  /** Forgets one id (a snapshot shows it alive). */
  delete(id: string): void {
    this.#expiries.delete(id);
  }

  /** Forgets expired ids and the oldest beyond the capacity. */
  prune(now: number): void {
    for (const [id, expiry] of this.#expiries) {
      if (this.#expiries.size <= this.#capacity && expiry > now) break;
      this.#expiries.delete(id);
    }
  }

  /** Copies every id of another set into this one (after a resync). */
  absorb(other: Tombstones, now: number): void {
    for (const [id, expiry] of other.#expiries) {
      if (expiry > now && !this.#expiries.has(id)) this.#expiries.set(id, expiry);
    }
    this.prune(now);
  }
}
