/**
 * A bounded, ordered outbox for one PBX: what waits for JetStream's ack.
 * When it is full, newer events are counted as lost, and the loss becomes a
 * gap entry in their place as soon as there is room: never silence.
 *
 * @module
 */

/** One message to publish. */
export interface OutboxEntry {
  readonly subject: string;
  readonly payload: string;
  /** Header fields (besides `Nats-Msg-Id`). */
  readonly headers: readonly (readonly [string, string])[];
  /** The JetStream de-duplication id: the same on every retry. */
  readonly msgId: string;
  /** UTF-16 length of the payload, close to its bytes for AMI's ASCII. */
  readonly size: number;
}

/** Events lost to a full outbox, not yet turned into a gap entry. */
export interface OutboxLoss {
  dropped: number;
  fromSeq: number | undefined;
  toSeq: number | undefined;
  from: number;
  to: number;
  epoch: string;
}

/** Limits of one outbox. */
export interface OutboxLimits {
  /** Entries that may wait. */
  readonly maxEvents: number;
  /** Payload characters that may wait. */
  readonly maxBytes: number;
}

/** The bounded queue; knows nothing of NATS. */
export class Outbox {
  readonly #limits: OutboxLimits;
  readonly #makeGap: (loss: OutboxLoss) => OutboxEntry;
  #entries: OutboxEntry[] = [];
  #head = 0;
  #bytes = 0;
  #loss: OutboxLoss | undefined;
  #wake: (() => void) | undefined;
  /** Events lost to overflow, in all. */
  lost = 0;

  constructor(limits: OutboxLimits, makeGap: (loss: OutboxLoss) => OutboxEntry) {
    this.#limits = limits;
    this.#makeGap = makeGap;
  }

  /** Entries waiting, the gap entries included. */
  get size(): number {
    return this.#entries.length - this.#head;
  }

  /** Payload characters waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Adds an event, or counts it as lost when the outbox is full. */
  push(entry: OutboxEntry, seq: number | undefined, epoch: string, at: number): boolean {
    this.#settleLoss();
    if (this.#loss !== undefined || !this.#fits(entry)) {
      this.lost++;
      const loss = this.#loss ??= { dropped: 0, fromSeq: seq, toSeq: seq, from: at, to: at, epoch };
      loss.dropped++;
      loss.toSeq = seq;
      loss.to = at;
      return false;
    }
    this.#append(entry);
    return true;
  }

  /** Adds an entry that must not be lost (a gap): it may exceed the bound by itself. */
  pushAlways(entry: OutboxEntry): void {
    this.#settleLoss();
    this.#flushLoss();
    this.#append(entry);
  }

  /** The entry at `index` from the oldest, left in place. */
  at(index: number): OutboxEntry | undefined {
    return index < this.size ? this.#entries[this.#head + index] : undefined;
  }

  /** Removes the `count` oldest entries (acknowledged); a pending loss then gets its gap entry. */
  remove(count: number): void {
    for (let i = 0; i < count && this.#head < this.#entries.length; i++) {
      this.#bytes -= this.#entries[this.#head]!.size;
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    this.#settleLoss();
  }

  /** Resolves when an entry is waiting (at once if one is). */
  waitForEntries(): Promise<void> {
    if (this.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.#wake = resolve);
  }

  /** Wakes a waiter without an entry (to stop). */
  interrupt(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #fits(entry: OutboxEntry): boolean {
    return this.size < this.#limits.maxEvents &&
      (this.size === 0 || this.#bytes + entry.size <= this.#limits.maxBytes);
  }

  /** Turns a pending loss into a gap entry once there is room for the events after it. */
  #settleLoss(): void {
    if (this.#loss !== undefined && this.size < this.#limits.maxEvents) this.#flushLoss();
  }

  #flushLoss(): void {
    const loss = this.#loss;
    if (loss === undefined) return;
    this.#loss = undefined;
    this.#append(this.#makeGap(loss));
  }

  #append(entry: OutboxEntry): void {
    this.#entries.push(entry);
    this.#bytes += entry.size;
    this.interrupt();
  }
}
