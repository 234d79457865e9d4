/**
 * {@linkcode EventFields}: an event's fields read once into a table by
 * lower-case name, so that the two dozen lookups a channel event needs cost
 * a table lookup each instead of a scan of the frame.
 *
 * @module
 */

/** What the live view reads from an event: an `AmiMessage` is one. */
export interface LiveEventInput {
  /** The event's name (`Event` header). */
  readonly name: string;
  /** When it was received, in ms since the epoch. */
  readonly receivedAt: number;
  /** The first value of a header, ignoring case. */
  get(key: string): string | undefined;
  /** Every value of a header, ignoring case. */
  getAll(key: string): string[];
  /** Every field in order. */
  fields(): [string, string][];
}

/** The lookups the reducer makes. */
export type FieldReader = Pick<LiveEventInput, "name" | "receivedAt" | "get" | "getAll">;

/**
 * An event's fields by name as written (Asterisk spells each the same way
 * every time), with a table by lower-case name built only when a lookup
 * misses (`UniqueID` in Cdr, `BridgeID` in Status, a field that is absent).
 */
export class EventFields implements FieldReader {
  readonly name: string;
  readonly receivedAt: number;
  readonly #fields: [string, string][];
  readonly #exact = new Map<string, string>();
  #lower: Map<string, string> | undefined;

  constructor(event: LiveEventInput) {
    this.name = event.name;
    this.receivedAt = event.receivedAt;
    this.#fields = event.fields();
    for (const [key, value] of this.#fields) if (!this.#exact.has(key)) this.#exact.set(key, value);
  }

  get(key: string): string | undefined {
    const exact = this.#exact.get(key);
    if (exact !== undefined) return exact;
    if (this.#lower === undefined) {
      this.#lower = new Map();
      for (const [name, value] of this.#fields) {
        const lower = name.toLowerCase();
        if (!this.#lower.has(lower)) this.#lower.set(lower, value);
      }
    }
    return this.#lower.get(key.toLowerCase());
  }

  getAll(key: string): string[] {
    const values: string[] = [];
    const lower = key.toLowerCase();
    for (const [name, value] of this.#fields) {
      if (name === key || (name.length === key.length && name.toLowerCase() === lower)) {
        values.push(value);
      }
    }
    return values;
  }
}
