/**
 * {@linkcode BootWatch}: whether the PBX behind the current link has
 * finished booting, as its `FullyBooted` event tells, and a bounded wait for
 * it. A restarted Asterisk takes logins before every module is loaded
 * (app_queue among the last), so a snapshot taken then would miss what the
 * late modules hold.
 *
 * @module
 */

/** Tracks `FullyBooted` on the current link. */
export class BootWatch {
  #booted = false;
  #wake: (() => void) | undefined;

  /** Whether a `FullyBooted` was read since the link came up. */
  get booted(): boolean {
    return this.#booted;
  }

  /** A `FullyBooted` was read: the PBX has finished booting. */
  fullyBooted(): void {
    this.#booted = true;
    this.interrupt();
  }

  /** The link was lost and is back: what the old one showed no longer holds. */
  linkRenewed(): void {
    this.#booted = false;
  }

  /** Ends a wait in progress early (the view closes or must start again). */
  interrupt(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /**
   * Waits until the PBX is fully booted, at most `ms` (or until
   * interrupted).
   *
   * @returns Whether it is fully booted.
   */
  async wait(ms: number): Promise<boolean> {
    if (this.#booted) return true;
    this.interrupt();
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#wake = resolve;
    const timer = setTimeout(() => this.interrupt(), ms);
    try {
      await promise;
    } finally {
      clearTimeout(timer);
    }
    return this.#booted;
  }
}
