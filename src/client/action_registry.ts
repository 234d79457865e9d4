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
import { type AmiMessage, messageActionId } from "../wire/message.ts";
import type { ActionRequest, RequestHolder } from "./requests.ts";

/** Actions in flight, by ActionID. */
export class ActionRegistry implements RequestHolder {
  readonly #pending = new Map<string, ActionRequest>();
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
      throw new TypeError("the ActionID must be a string or a number");
    }
    const id = String(given);
    // Asterisk strips leading white space from values, so such an ID would never match.
    if (id.trim() !== id || id.length === 0) {
      throw new TypeError(
        `the ActionID ${JSON.stringify(id)} must be non-empty without outer spaces`,
      );
    }
    if (this.#pending.has(id)) throw new TypeError(`the ActionID "${id}" is already in flight`);
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
      request.fail(new TypeError(`the ActionID "${request.id}" is already in flight`));
      return false;
    }
    this.#pending.set(request.id, request);
    request.heldBy(this);
    return true;
  }

  /** Forgets a request that settled. */
  release(request: ActionRequest): void {
    if (this.#pending.get(request.id) === request) this.#pending.delete(request.id);
  }

  /**
   * Hands a response to the request with its ActionID.
   *
   * @returns `false` when no request takes it: the response is unroutable.
   */
  routeResponse(response: AmiMessage): boolean {
    const id = messageActionId(response);
    const request = id === undefined ? undefined : this.#pending.get(id);
    return request !== undefined && request.onResponse(response);
  }

  /** Offers an event to the request with its ActionID; `true` when the request keeps it. */
  routeEvent(event: AmiMessage): boolean {
    if (this.#pending.size === 0) return false;
    const id = messageActionId(event);
    return id !== undefined && this.#pending.get(id)?.onEvent(event) === true;
  }

  /** Fails every request in flight with `error`. */
  failAll(error: AmiError): void {
    const requests = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of requests) request.fail(error);
  }
}
