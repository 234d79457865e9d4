/**
 * Actions waiting for their answers, by ActionID. Each kind of request knows
 * what completes it: a response, a response and an event list, or a
 * response and an `OriginateResponse` event.
 *
 * @module
 */

import { commandFailure, originateFailure } from "./failure_reasons.ts";
import { AmiActionError, AmiConnectionError, type AmiError, AmiTimeoutError } from "../errors.ts";
import type { Deadline, Deadlines, Expiring } from "../_util/deadlines.ts";
import type { AmiMessage } from "../wire/message.ts";
import { AsyncQueue } from "../_util/async_queue.ts";

/** Settings common to every request. */
export interface RequestSettings {
  readonly id: string;
  readonly action: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  /** Where the timeout is kept: one timer for all of a client's requests. */
  readonly deadlines: Deadlines;
}

/** Whoever holds a request until it settles: the action registry. */
export interface RequestHolder {
  /** The request settled: forget it. */
  release(request: ActionRequest): void;
}

/** A request as the registry, the session and the supervisor see it, whatever it resolves with. */
export interface ActionRequest {
  readonly id: string;
  readonly action: string;
  readonly settled: boolean;
  /** Whether it was given up (timed out or aborted) while the server may still answer. */
  readonly abandoned: boolean;
  /** Whether events with its ActionID belong to it alone (the items of a list). */
  readonly ownsEvents: boolean;
  /** Whether its answer opened an event list nobody collects (`send()` on a list action). */
  readonly listFollows: boolean;
  heldBy(holder: RequestHolder): void;
  onResponse(response: AmiMessage): boolean;
  onEvent(event: AmiMessage): boolean;
  fail(error: unknown): void;
}

/** A request in the registry: it is offered the messages that carry its ActionID. */
export abstract class PendingRequest<T> implements Expiring, ActionRequest {
  readonly id: string;
  readonly action: string;
  readonly promise: Promise<T>;
  #resolve!: (value: T) => void;
  #reject!: (error: unknown) => void;
  readonly #deadlines: Deadlines;
  #deadline: Deadline | undefined;
  #timeoutMs = Infinity;
  #signal: AbortSignal | undefined;
  #onAbort: (() => void) | undefined;
  #holder: RequestHolder | undefined;
  #settled = false;
  #abandoned = false;

  constructor(settings: RequestSettings) {
    this.id = settings.id;
    this.action = settings.action;
    this.#deadlines = settings.deadlines;
    this.promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const signal = settings.signal;
    if (signal?.aborted) {
      this.#settled = true;
      this.#reject(signal.reason);
      return;
    }
    if (signal !== undefined) {
      this.#signal = signal;
      this.#onAbort = () => {
        this.#abandoned = !this.#settled;
        this.fail(signal.reason);
      };
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
    if (Number.isFinite(settings.timeoutMs)) {
      this.#timeoutMs = settings.timeoutMs;
      this.#deadline = this.#deadlines.add(settings.timeoutMs, this);
    }
  }

  /** The deadline passed: the request fails with a timeout. */
  expire(): void {
    this.#abandoned = !this.#settled;
    this.fail(new AmiTimeoutError(this.timeoutMessage(this.#timeoutMs)));
  }

  /** Whether it was given up (timed out or aborted) while the server may still answer. */
  get abandoned(): boolean {
    return this.#abandoned;
  }

  /** Whether events with its ActionID belong to it alone; `true` for lists. */
  get ownsEvents(): boolean {
    return false;
  }

  /** Whether its answer opened an event list nobody collects. */
  get listFollows(): boolean {
    return false;
  }

  /** Whether the request has its answer (or failed). */
  get settled(): boolean {
    return this.#settled;
  }

  /** The registry holds the request from now on; it is told when the request settles. */
  heldBy(holder: RequestHolder): void {
    this.#holder = holder;
  }

  /**
   * Takes the response to the action.
   *
   * @returns `false` when the request expected no response any more (a
   *   duplicate): the response is then unroutable.
   */
  abstract onResponse(response: AmiMessage): boolean;

  /** Offered each event with this ActionID; returns `true` to keep it from the event fan-out. */
  onEvent(_event: AmiMessage): boolean {
    return false;
  }

  /** Fails the request. */
  fail(error: unknown): void {
    if (this.#settled) return;
    this.#cleanup();
    this.#reject(error);
  }

  protected succeed(value: T): void {
    if (this.#settled) return;
    this.#cleanup();
    this.#resolve(value);
  }

  protected timeoutMessage(ms: number): string {
    return `${this.action} got no response within ${ms} ms`;
  }

  #cleanup(): void {
    this.#settled = true;
    if (this.#deadline !== undefined) this.#deadlines.cancel(this.#deadline);
    if (this.#signal !== undefined && this.#onAbort !== undefined) {
      this.#signal.removeEventListener("abort", this.#onAbort);
    }
    this.#holder?.release(this);
    this.#holder = undefined;
  }
}

/** Whether a response reports a failure. `Response: Error` is never success. */
function isErrorResponse(response: AmiMessage): boolean {
  const status = response.get("Response")?.toLowerCase();
  return status === "error" || status === "failure";
}

/** An action answered by one response. */
export class SingleResponseRequest extends PendingRequest<AmiMessage> {
  #listFollows = false;

  /** `send()` on a list action: its items are the action's, not events for consumers. */
  override get listFollows(): boolean {
    return this.#listFollows;
  }

  onResponse(response: AmiMessage): boolean {
    this.#listFollows = response.get("EventList")?.toLowerCase() === "start";
    if (isErrorResponse(response)) {
      // A failed Command says why only in its output.
      this.fail(
        this.action.toLowerCase() === "command"
          ? commandFailure(this.action, response)
          : new AmiActionError(this.action, response),
      );
    } else this.succeed(response);
    return true;
  }
}

/** What a list request collects. */
export interface ListParts {
  response: AmiMessage;
  items: AmiMessage[];
  complete: AmiMessage | undefined;
}

/**
 * An action answered by a response and then an event list (`EventList:
 * start` … items … `EventList: Complete`). The items are kept for the
 * result, or, when streamed, handed to {@linkcode ListRequest.items} as
 * they come (the result then holds none).
 */
export class ListRequest extends PendingRequest<ListParts> {
  /** Settles with the opening response, or fails as the request does. */
  readonly response: Promise<AmiMessage>;
  /** The items as they come, when streamed; ends when the list is complete or failed. */
  readonly items: AsyncQueue<AmiMessage> | undefined;
  #response: AmiMessage | undefined;
  readonly #kept: AmiMessage[] = [];
  #resolveResponse!: (response: AmiMessage) => void;
  #rejectResponse!: (error: unknown) => void;

  constructor(settings: RequestSettings, delivery: { stream: boolean }) {
    super(settings);
    this.response = new Promise<AmiMessage>((resolve, reject) => {
      this.#resolveResponse = resolve;
      this.#rejectResponse = reject;
    });
    this.response.catch(() => {});
    if (delivery.stream) this.items = new AsyncQueue<AmiMessage>();
    // The base constructor may have failed it already (an aborted signal).
    this.promise.then(() => this.items?.finish(), (error) => this.#failed(error));
  }

  onResponse(response: AmiMessage): boolean {
    // A second response while the list is under way is not this list's: it is reported.
    if (this.#response !== undefined) return false;
    if (isErrorResponse(response)) {
      this.fail(new AmiActionError(this.action, response));
      return true;
    }
    this.#response = response;
    this.#resolveResponse(response);
    // A success without `EventList: start` announces no list: it is complete as it is.
    if (response.get("EventList")?.toLowerCase() !== "start") {
      this.succeed({ response, items: this.#kept, complete: undefined });
    }
    return true;
  }

  override get ownsEvents(): boolean {
    return true;
  }

  override onEvent(event: AmiMessage): boolean {
    const response = this.#response;
    if (response === undefined) return false;
    if (event.get("EventList")?.toLowerCase() === "complete") {
      this.succeed({ response, items: this.#kept, complete: event });
    } else if (this.items !== undefined) {
      this.items.push(event);
    } else {
      this.#kept.push(event);
    }
    return true;
  }

  protected override timeoutMessage(ms: number): string {
    return this.#response === undefined
      ? super.timeoutMessage(ms)
      : `${this.action}'s event list did not complete within ${ms} ms`;
  }

  #failed(error: unknown): void {
    this.#rejectResponse(error);
    this.items?.finish(error);
  }
}

/**
 * An `Originate` with `Async: true`: queued by the response, done when the
 * `OriginateResponse` event with the same ActionID arrives.
 */
export class OriginateRequest extends PendingRequest<AmiMessage> {
  #queued = false;
  #early: AmiMessage | undefined;

  onResponse(response: AmiMessage): boolean {
    if (this.#queued) return false;
    if (isErrorResponse(response)) {
      this.fail(new AmiActionError(this.action, response));
      return true;
    }
    this.#queued = true;
    if (this.#early !== undefined) this.#finish(this.#early);
    return true;
  }

  override onEvent(event: AmiMessage): boolean {
    if (event.name.toLowerCase() === "originateresponse") {
      if (this.#queued) this.#finish(event);
      else this.#early = event;
    }
    // OriginateResponse is an ordinary event too: other consumers see it.
    return false;
  }

  #finish(event: AmiMessage): void {
    if (isErrorResponse(event)) this.fail(originateFailure(this.action, event));
    else this.succeed(event);
  }

  protected override timeoutMessage(ms: number): string {
    return this.#queued
      ? `Originate was queued but no OriginateResponse came within ${ms} ms`
      : super.timeoutMessage(ms);
  }
}

/** The error pending actions get when the connection goes. */
export function lostConnectionError(cause: AmiError | undefined): AmiConnectionError {
  return new AmiConnectionError(
    cause === undefined
      ? "The client was closed before the action was answered"
      : `The connection was lost before the action was answered: ${cause.message}`,
    cause === undefined ? undefined : { cause },
  );
}
