/**
 * Deadlines on one timer. With hundreds of actions in flight, a timer per
 * action costs more than the action itself; here the deadlines of each
 * duration wait in a first-in, first-out queue (they come due in the order
 * they were set), and a single timer is set for the earliest of them.
 *
 * When the last pending deadline is cancelled, the timer is not cleared but
 * unreferenced: it keeps no process alive, and it fires once for nothing.
 * A client with one action at a time would otherwise set and clear a timer
 * per action, which cost more than the rest of its bookkeeping; this way
 * the timer set for the first action serves those that follow, as long as
 * their deadlines come after it.
 *
 * @module
 */

/** What a deadline tells when it passes. */
export interface Expiring {
  /** Called once, when the deadline passes (unless it was cancelled first). */
  expire(): void;
}

/** One deadline: whom to tell when it passes, until it is cancelled. */
export class Deadline {
  /** When it passes, on the `performance.now()` clock. */
  readonly at: number;
  /** Whom to tell then; `undefined` once cancelled or passed. */
  owner: Expiring | undefined;

  constructor(at: number, owner: Expiring) {
    this.at = at;
    this.owner = owner;
  }
}

/** The deadlines of one duration, in the order they pass. */
interface Queue {
  deadlines: Deadline[];
  /** Where the queue starts in `deadlines`; earlier entries are spent. */
  head: number;
}

/** Spent entries are dropped from a queue's array once there are this many. */
const COMPACT_AFTER = 1024;

/** A set of deadlines sharing one timer. */
export class Deadlines {
  readonly #queues = new Map<number, Queue>();
  /** How many deadlines are neither cancelled nor passed. */
  #pending = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer is due; `Infinity` when it is not set. */
  #timerAt = Infinity;

  /** How many deadlines are pending. */
  get pending(): number {
    return this.#pending;
  }

  /**
   * Calls `owner.expire()` once `ms` milliseconds have passed, unless the
   * returned deadline is cancelled first.
   */
  add(ms: number, owner: Expiring): Deadline {
    const deadline = new Deadline(performance.now() + Math.max(0, ms), owner);
    let queue = this.#queues.get(ms);
    if (queue === undefined) {
      queue = { deadlines: [], head: 0 };
      this.#queues.set(ms, queue);
    } else {
      this.#trim(queue);
    }
    queue.deadlines.push(deadline);
    if (this.#pending++ === 0 && this.#timer !== undefined) setReferenced(this.#timer, true);
    if (deadline.at < this.#timerAt) this.#setTimer(deadline.at);
    return deadline;
  }

  /** Cancels a deadline; nothing happens if it was already cancelled or passed. */
  cancel(deadline: Deadline): void {
    if (deadline.owner === undefined) return;
    deadline.owner = undefined;
    if (--this.#pending === 0) this.#idle();
  }

  /**
   * Nothing is pending: the spent queues go, and the timer is left to run
   * out unreferenced (see the module doc).
   */
  #idle(): void {
    this.#queues.clear();
    if (this.#timer !== undefined) setReferenced(this.#timer, false);
  }

  /** Drops the spent entries at the head of a queue, and the cancelled ones when they pile up. */
  #trim(queue: Queue): void {
    const { deadlines } = queue;
    while (queue.head < deadlines.length && deadlines[queue.head]!.owner === undefined) {
      queue.head++;
    }
    const waiting = deadlines.length - queue.head;
    if (queue.head >= COMPACT_AFTER && queue.head * 2 >= deadlines.length) {
      queue.deadlines = deadlines.slice(queue.head);
      queue.head = 0;
    } else if (waiting >= COMPACT_AFTER && waiting > 2 * this.#pending) {
      // A deadline that stays pending at the head keeps the cancelled ones behind it.
      queue.deadlines = deadlines.slice(queue.head).filter((d) => d.owner !== undefined);
      queue.head = 0;
    }
  }

  #setTimer(at: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, Math.ceil(at - performance.now())));
  }

  #reset(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    this.#queues.clear();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = performance.now();
    const due: { at: number; owner: Expiring }[] = [];
    let queuesDue = 0;
    let next = Infinity;
    for (const [ms, queue] of this.#queues) {
      const { deadlines } = queue;
      const before = due.length;
      while (queue.head < deadlines.length) {
        const deadline = deadlines[queue.head]!;
        const owner = deadline.owner;
        if (owner !== undefined) {
          if (deadline.at > now) {
            if (deadline.at < next) next = deadline.at;
            break;
          }
          deadline.owner = undefined;
          this.#pending--;
          due.push({ at: deadline.at, owner });
        }
        queue.head++;
      }
      if (due.length > before) queuesDue++;
      if (queue.head === deadlines.length) this.#queues.delete(ms);
    }
    if (this.#pending === 0) this.#reset();
    else this.#setTimer(next);
    // Each queue is in order; when several had deadlines due (a late timer), merge them.
    if (queuesDue > 1) due.sort((a, b) => a.at - b.at);
    // Last, so that what they do (setting new deadlines, say) finds the queues in order.
    for (const { owner } of due) owner.expire();
  }
}

/**
 * References or unreferences a timer: an unreferenced one keeps no process
 * alive. Node's timers and Deno's have `ref`/`unref` methods; an older Deno
 * hands out numbers for `Deno.refTimer`; elsewhere (a browser) every timer
 * stays as it is.
 */
function setReferenced(timer: ReturnType<typeof setTimeout>, referenced: boolean): void {
  const handle = timer as unknown as { ref?: () => void; unref?: () => void };
  if (typeof handle === "object" && typeof handle.unref === "function") {
    if (referenced) handle.ref?.();
    else handle.unref();
    return;
  }
  const deno =
    (globalThis as { Deno?: { refTimer?(id: number): void; unrefTimer?(id: number): void } })
      .Deno;
  if (typeof timer !== "number" || deno === undefined) return;
  if (referenced) deno.refTimer?.(timer);
  else deno.unrefTimer?.(timer);
}
