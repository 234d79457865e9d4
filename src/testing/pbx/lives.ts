/**
 * {@linkcode PbxLives}: the simulated PBX from start to close, through
 * restarts. Each life is a fresh {@linkcode PbxCore} (no channels, calls or
 * queue callers; numbering from zero; a new startup time); the calls of the
 * life that ends stop without an event, and the sessions are cut, as when
 * Asterisk restarts. A new life may boot for a while: app_queue is unknown
 * and logins get no `FullyBooted` until it ends.
 *
 * @module
 */

import type { AmiTestServer } from "../server.ts";
import { Closing } from "./call.ts";
import { PbxCore } from "./core.ts";
import type { SimulatedPbxOptions } from "./options.ts";

/** The longest wait a timer takes; a longer boot only ends by `boot()`. */
const LONGEST_TIMER_MS = 2_147_483_647;

/** The current life of a simulated PBX, and its restarts. */
export class PbxLives {
  readonly #server: AmiTestServer;
  readonly #options: SimulatedPbxOptions;
  readonly #closing = new AbortController();
  #life = new AbortController();
  #core: PbxCore;
  #bootTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(server: AmiTestServer, options: SimulatedPbxOptions) {
    this.#server = server;
    this.#options = options;
    this.#core = this.#newCore();
  }

  /** The PBX of this life. */
  get core(): PbxCore {
    return this.#core;
  }

  /** Ends this life and starts the next; resolves once the old calls stopped. */
  async restart(bootMs: number): Promise<void> {
    if (!(bootMs >= 0)) {
      throw new RangeError(`The bootMs option must be at least 0, not "${bootMs}"`);
    }
    if (this.#closing.signal.aborted) throw new Error("The simulated PBX is closed");
    clearTimeout(this.#bootTimer);
    const old = this.#core;
    this.#life.abort(new Closing("The simulated PBX is restarting"));
    this.#life = new AbortController();
    const core = this.#core = this.#newCore();
    // `CoreStatus` shows whole seconds: a restart within the same second still shows a new time.
    core.startedAt = Math.max(core.startedAt, (Math.floor(old.startedAt / 1000) + 1) * 1000);
    core.fullyBooted = this.#server.fullyBooted = bootMs === 0;
    this.#server.startedAt = core.startedAt;
    await Promise.all(this.#server.sessions.map((session) => session.abort()));
    await old.waitForIdle();
    if (bootMs > 0 && bootMs <= LONGEST_TIMER_MS) {
      this.#bootTimer = setTimeout(() => this.boot(), bootMs);
    }
  }

  /** Ends the boot of this life now: every session gets `FullyBooted`. */
  boot(): void {
    clearTimeout(this.#bootTimer);
    const core = this.#core;
    if (core.fullyBooted || core.signal.aborted) return;
    core.fullyBooted = this.#server.fullyBooted = true;
    const uptime = String(Math.max(0, Math.floor((Date.now() - core.startedAt) / 1000)));
    core.event("FullyBooted", "system", [
      ["Status", "Fully Booted"],
      ["Uptime", uptime],
      ["LastReload", uptime],
    ]);
  }

  /** Ends the last life: its calls stop without an event. */
  close(): void {
    clearTimeout(this.#bootTimer);
    this.#closing.abort(new Closing("The simulated PBX is closing"));
  }

  #newCore(): PbxCore {
    const signal = AbortSignal.any([
      this.#closing.signal,
      this.#server.signal,
      this.#life.signal,
    ]);
    return new PbxCore(this.#options, signal, (message) => this.#server.emit(message));
  }
}
