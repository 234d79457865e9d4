/**
 * What the server sends to this client: the event mask and, with
 * `serverFilters: "auto"`, include filters, derived from the consumers that
 * exist and what the client needs itself (`OriginateResponse` while an
 * `originate()` waits).
 *
 * Unless the user chose the events at login, the client logs in with events
 * off and turns them on only once a consumer is registered, so nothing is
 * sent before someone takes it. The selection only grows within a session
 * (Asterisk cannot remove a filter); every new session starts from nothing:
 * login with events off, the filters, then the mask.
 *
 * @module
 */

import { AmiActionError, AmiProtocolError } from "../errors.ts";
import type { AmiEventFilter } from "../events/event_filter.ts";
import {
  type AmiServerSelection,
  deriveServerSelection,
  growServerSelection,
} from "../events/auto_selection.ts";
import { serverFilter } from "../events/server_filter.ts";
import { describeError } from "../_util/hooks.ts";
import type { AmiAction } from "../wire/encoder.ts";
import type { AmiMessage } from "../wire/message.ts";
import type { AmiLoginOptions, AmiServerFilterStatus } from "./options.ts";

/** What the selection works through. */
export interface SelectionHost {
  /** Sends an action on the current connection at once. */
  send(action: AmiAction): Promise<AmiMessage>;
  /** The filters of the consumers attached now. */
  consumerFilters(): (AmiEventFilter | undefined)[];
  /** The client turned events on with no consumer: nothing held is for anyone. */
  releaseHold(): void;
  report(error: AmiProtocolError): void;
}

/** The masks the client sets itself, smallest first. */
const LEVELS = ["off", "call", "on"] as const;
type Level = typeof LEVELS[number];

/** A promise settled from outside: what every caller waiting for the next session shares. */
interface Waiter {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/** The server-side event selection of one client, across its sessions. */
export class EventSelection {
  readonly #host: SelectionHost;
  readonly #auto: boolean;
  /** Whether the client sets the mask: the user chose no `events` at login and sent no `Events`. */
  #ownsMask = true;
  #originates = 0;
  /** Whether a session is logged in and its selection restored. */
  #ready = false;
  #closed: unknown;
  #isClosed = false;
  /** The mask this session was sent last (lazy mode). */
  #level: Level = "off";
  /** The mask the last login asked for (lazy mode). */
  #loginLevel: Level = "off";
  /** What this session was sent (auto mode). */
  #applied: AmiServerSelection | undefined;
  #fallback = false;
  #acceptedFilters = 0;
  /** Settles once the server answered everything sent so far. */
  #lastAck: Promise<void> = Promise.resolve();
  /** One for all callers while no session is up, so waiting costs no memory per call. */
  #waiter: Waiter | undefined;

  /**
   * @param host What the selection works through.
   * @param auto Whether to derive server-side filters (`serverFilters: "auto"`).
   */
  constructor(host: SelectionHost, auto: boolean) {
    this.#host = host;
    this.#auto = auto;
  }

  /** Where server-side filtering stands. */
  get status(): AmiServerFilterStatus {
    if (!this.#auto) return "off";
    return this.#fallback ? "fallback" : "auto";
  }

  /** Whether the client sets the event mask itself (else the user does). */
  get ownsMask(): boolean {
    return this.#ownsMask;
  }

  /**
   * The login options to send. When the client owns the mask, the login
   * asks for what is wanted already (a consumer registered before the
   * login), or events off; after a drop, and with automatic filters, always
   * events off: the mask is set after the filters.
   */
  loginOptions(options: AmiLoginOptions, again: boolean): AmiLoginOptions {
    if (options.events !== undefined) this.#ownsMask = false;
    this.#loginLevel = "off";
    if (again || (this.#ownsMask && this.#auto)) return { ...options, events: false };
    if (!this.#ownsMask) return options;
    this.#loginLevel = this.#lazyWanted();
    return { ...options, events: this.#loginLevel === "off" ? false : this.#loginLevel };
  }

  /** The user sent `Events`: from now on the mask is theirs. */
  userSetsMask(): void {
    this.#ownsMask = false;
  }

  /** An `originate()` waits for its `OriginateResponse`; call `originateDone()` when it settles. */
  originateStarts(): void {
    this.#originates++;
    void this.update().catch(() => {});
  }

  originateDone(): void {
    this.#originates--;
  }

  /** The connection is gone: nothing is sent until the next session is restored. */
  down(): void {
    this.#ready = false;
  }

  /** The client is closed: whoever waits for a session learns why. */
  close(error: unknown): void {
    this.#ready = false;
    this.#isClosed = true;
    this.#closed = error;
    this.#waiter?.reject(error);
    this.#waiter = undefined;
  }

  /**
   * A session is logged in (events off when the client owns the mask):
   * sends its filters and mask for what is wanted now, and resolves once
   * the server answered them.
   */
  async restore(): Promise<void> {
    this.#ready = true;
    this.#level = this.#loginLevel;
    this.#applied = undefined;
    this.#fallback = false;
    this.#acceptedFilters = 0;
    this.#lastAck = Promise.resolve();
    const applied = this.update();
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter !== undefined) applied.then(waiter.resolve, waiter.reject);
    await applied;
  }

  /**
   * Sends what the consumers and the client need now and the session does
   * not have yet (at once, in order). Resolves once the server answered
   * everything sent so far; while no session is up, once the next one is
   * restored.
   */
  update(): Promise<void> {
    if (this.#isClosed) return Promise.reject(this.#closed);
    if (!this.#ready) {
      return (this.#waiter ??= waiterOf()).promise;
    }
    const actions = this.#auto ? this.#autoStep() : this.#lazyStep();
    if (actions.length === 0) return this.#lastAck;
    const ack = this.#apply(actions);
    this.#lastAck = ack;
    return ack;
  }

  /** Events on (or `call` for an `originate()` alone) once someone needs them. */
  #lazyStep(): AmiAction[] {
    if (!this.#ownsMask) return [];
    const wanted = this.#lazyWanted();
    if (LEVELS.indexOf(wanted) <= LEVELS.indexOf(this.#level)) return [];
    this.#level = wanted;
    if (wanted === "call") this.#host.releaseHold();
    return [{ Action: "Events", EventMask: wanted }];
  }

  /** `on` for any consumer, `call` for an `originate()` alone, else `off`. */
  #lazyWanted(): Level {
    if (this.#host.consumerFilters().length > 0) return "on";
    return this.#originates > 0 ? "call" : "off";
  }

  /** The filters and mask that grow this session's selection to what is wanted now. */
  #autoStep(): AmiAction[] {
    const filters = this.#host.consumerFilters();
    const consumers = filters.length;
    if (this.#originates > 0) filters.push("OriginateResponse");
    let wanted = deriveServerSelection(filters);
    // Refused once: only the mask is set; the client filters the rest itself.
    if (this.#fallback) wanted = { ...wanted, everything: false, filters: [] };
    const before = this.#applied;
    const step = growServerSelection(before, wanted);
    this.#applied = step.applied;
    const actions: AmiAction[] = step.add.map((filter) => filter.toAction());
    if (this.#ownsMask && step.eventMask !== (before?.eventMask ?? "off")) {
      if (consumers === 0) this.#host.releaseHold();
      actions.push({ Action: "Events", EventMask: step.eventMask });
    }
    return actions;
  }

  /** Sends the actions at once, in order; a refused `Filter` turns filtering over to the client. */
  async #apply(actions: AmiAction[]): Promise<void> {
    // Every answer is awaited, so that none rejects unheard when an earlier one fails.
    const answers = await Promise.allSettled(actions.map((action) => this.#host.send(action)));
    for (const [index, answer] of answers.entries()) {
      if (answer.status === "fulfilled" && actions[index]!.Action === "Filter") {
        this.#acceptedFilters++;
      }
    }
    let failure: { error: unknown } | undefined;
    for (const [index, answer] of answers.entries()) {
      const action = actions[index]!;
      if (answer.status === "fulfilled") continue;
      if (answer.reason instanceof AmiActionError && action.Action === "Filter") {
        this.#refused(action, answer.reason);
      } else {
        failure ??= { error: answer.reason };
      }
    }
    if (failure !== undefined) throw failure.error;
  }

  /**
   * A `Filter` was refused: the client filters in the client from now on in
   * this session. Filters already accepted would hide events the refused one
   * was for, so a catch-all include opens the session up again.
   */
  #refused(filter: AmiAction, error: AmiActionError): void {
    const first = !this.#fallback;
    this.#fallback = true;
    this.#host.report(
      new AmiProtocolError(
        `The filter ${
          JSON.stringify(filter.MatchCriteria ?? filter.Filter ?? "")
        } was refused; events are filtered in the client instead: ${describeError(error)}`,
        "filter-refused",
        error.response,
        { cause: error },
      ),
    );
    if (first && this.#acceptedFilters > 0) {
      void this.#host.send(serverFilter.legacy(".").toAction()).catch(() => {});
    }
  }
}

function waiterOf(): Waiter {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // Callers that do not wait (events()) must not leave a rejection unheard.
  promise.catch(() => {});
  return { promise, resolve, reject };
}
