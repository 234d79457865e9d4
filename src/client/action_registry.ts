/**
 * The actions in flight, by ActionID: gives actions their IDs (or checks
 * the ones they bring), holds each request until it settles, hands each
 * response and each event that carries an ActionID to its request, and
 * fails them all when the connection goes.
 *
 * @module
 */

import type { AmiError } from "../errors.ts";
import { Deadlines } from "../_util/deadlines.ts";
import type { AmiAction } from "../wire/encoder.ts";
import type { AmiMessage } from "../wire/message.ts";
import type { ActionRequest, RequestHolder } from "./requests.ts";

/**
 * How long the ActionID of an action given up (timed out or aborted) stays
 * reserved, in ms: its late answer may still come, and must not reach
 * another action that re-uses the ID, nor (for a list) the event consumers.
 */
export const RESERVE_MS = 60_000;
/** The most ActionIDs kept reserved; the oldest go first. */
export const MAX_RESERVED = 10_000;

/** An ActionID given up on: until when it stays reserved, and whether it was a list's. */
interface Reservation {
  until: number;
  list: boolean;
  /** The list of a `send()` that was answered: its items are dropped without a report. */
  quiet: boolean;
}

/** Actions in flight, by ActionID. */
export class ActionRegistry implements RequestHolder {
  readonly #pending = new Map<string, ActionRequest>();
  readonly #reserved = new Map<string, Reservation>();
  /** Where every request's timeout is kept: one timer for all. */
  readonly deadlines: Deadlines = new Deadlines();
  readonly #idPrefix = `${crypto.randomUUID().slice(0, 4)}.`;
  #nextId = 0;

  /** How many actions wait for their answer. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * The ActionID to send `action` with: its own, checked, or a new one.
   *
   * @throws {TypeError} for an ActionID that is not a string or number,
   *   empty, with outer white space, or already in flight.
   */
  idFor(action: AmiAction): string {
    const given = action.ActionID;
    if (given === undefined) return this.#idPrefix + (++this.#nextId).toString(36);
    if (typeof given !== "string" && typeof given !== "number") {
      throw new TypeError("The ActionID must be a string or a number");
    }
    const id = String(given);
    // Asterisk strips leading white space from values, so such an ID would never match.
    if (id.trim() !== id || id.length === 0) {
      throw new TypeError(
        `The ActionID ${JSON.stringify(id)} must be non-empty without outer spaces`,
      );
    }
    if (this.#pending.has(id)) throw new TypeError(`The ActionID "${id}" is already in flight`);
    if (this.#reservation(id) !== undefined) {
      throw new TypeError(
        `The ActionID "${id}" is still reserved: its action was given up and its answer may come late`,
      );
    }
    return id;
  }

  /**
   * Holds a request until it settles.
   *
   * @returns `false` (and the request fails) when its ActionID is already
   *   in flight: two actions held while the link was down may share one.
   */
  hold(request: ActionRequest): boolean {
    if (request.settled) return false;
    if (this.#pending.has(request.id)) {
      request.fail(new TypeError(`The ActionID "${request.id}" is already in flight`));
      return false;
    }
    this.#pending.set(request.id, request);
    request.heldBy(this);
    return true;
  }

  /** Forgets a request that settled; keeps its ActionID reserved when it was given up. */
  release(request: ActionRequest): void {
    if (this.#pending.get(request.id) !== request) return;
    this.#pending.delete(request.id);
    if (request.abandoned) this.#reserve(request.id, request.ownsEvents);
    // Its list's items follow: they are the action's, kept from event consumers until it completes.
    else if (request.listFollows) this.#reserve(request.id, true, true);
  }

  /**
   * Hands a response to the request with its ActionID.
   *
   * @returns `false` when no request takes it: the response is unroutable.
   */
  routeResponse(response: AmiMessage): boolean {
    const id = response.actionId;
    if (id === undefined) return false;
    const request = this.#pending.get(id);
    if (request !== undefined) return request.onResponse(response);
    // The late answer of an action given up: the ID is free again (the list's items may follow).
    if (this.#reservation(id)?.list === false) this.#reserved.delete(id);
    return false;
  }

  /**
   * Offers an event to the request with its ActionID.
   *
   * @returns `taken` when the request keeps it, `late` when it belongs to a
   *   list given up on (it is unroutable), `free` for the event consumers.
   */
  routeEvent(event: AmiMessage): "taken" | "late" | "free" {
    if (this.#pending.size === 0 && this.#reserved.size === 0) return "free";
    const id = event.actionId;
    if (id === undefined) return "free";
    const request = this.#pending.get(id);
    if (request !== undefined) return request.onEvent(event) ? "taken" : "free";
    const reservation = this.#reservation(id);
    if (reservation?.list !== true) return "free";
    if (event.get("EventList")?.toLowerCase() === "complete") this.#reserved.delete(id);
    return reservation.quiet ? "taken" : "late";
  }

  /**
   * Fails every request in flight with `error`. The connection is gone:
   * no late answer can come any more, so no ActionID stays reserved.
   */
  failAll(error: AmiError): void {
    const requests = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of requests) request.fail(error);
    this.#reserved.clear();
  }

  #reserve(id: string, list: boolean, quiet = false): void {
    this.#reserved.delete(id);
    this.#reserved.set(id, { until: performance.now() + RESERVE_MS, list, quiet });
    if (this.#reserved.size > MAX_RESERVED) {
      this.#reserved.delete(this.#reserved.keys().next().value!);
    }
  }

  /** The reservation of `id`, unless there is none or it has run out. */
  #reservation(id: string): Reservation | undefined {
    const reservation = this.#reserved.get(id);
    if (reservation === undefined) return undefined;
    if (reservation.until > performance.now()) return reservation;
    this.#reserved.delete(id);
    return undefined;
  }
}
