/**
 * Actions waiting for their answers, by ActionID. Each kind of request knows
 * what completes it: a response, a response and an event list, or a
 * response and an `OriginateResponse` event.
 *
 * @module
 */

import { AmiActionError, AmiConnectionError, type AmiError, AmiTimeoutError } from "../errors.ts";
import type { Deadline, Deadlines, Expiring } from "../_util/deadlines.ts";
import { type AmiMessage, messageGet } from "../wire/message.ts";

/** Settings common to every request. */
export interface RequestSettings {
  readonly id: string;
  readonly action: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  /** Where the timeout is kept: one timer for all of a client's requests. */
  readonly deadlines: Deadlines;
}

/** A request in the registry: it is offered the messages that carry its ActionID. */
export abstract class PendingRequest<T> implements Expiring {
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
  #registry: Map<string, PendingRequest<unknown>> | undefined;
  #settled = false;

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
      this.#onAbort = () => this.fail(signal.reason);
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
    if (Number.isFinite(settings.timeoutMs)) {
      this.#timeoutMs = settings.timeoutMs;
      this.#deadline = this.#deadlines.add(settings.timeoutMs, this);
    }
  }

  /** The deadline passed: the request fails with a timeout. */
  expire(): void {
    this.fail(new AmiTimeoutError(this.timeoutMessage(this.#timeoutMs)));
  }

  /** Whether the request has its answer (or failed). */
  get settled(): boolean {
    return this.#settled;
  }

  /** Adds the request to the registry, which it leaves once settled. */
  register(registry: Map<string, PendingRequest<unknown>>): void {
    if (this.#settled) return;
    this.#registry = registry;
    registry.set(this.id, this as PendingRequest<unknown>);
  }

  /** Takes the response to the action. */
  abstract onResponse(response: AmiMessage): void;

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
    if (this.#registry?.get(this.id) === (this as PendingRequest<unknown>)) {
      this.#registry.delete(this.id);
    }
  }
}

/** Whether a response reports a failure. `Response: Error` is never success. */
function isErrorResponse(response: AmiMessage): boolean {
  const given = messageGet(response, "Response");
  // The usual answer, as Asterisk spells it, needs no lowering.
  if (given === "Success") return false;
  const status = given?.toLowerCase();
  return status === "error" || status === "failure";
}

/** An action answered by one response. */
export class ResponseRequest extends PendingRequest<AmiMessage> {
  onResponse(response: AmiMessage): void {
    if (isErrorResponse(response)) this.fail(new AmiActionError(this.action, response));
    else this.succeed(response);
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
 * start` … items … `EventList: Complete`). Items go to `onItem` as they come.
 */
export class ListRequest extends PendingRequest<ListParts> {
  #response: AmiMessage | undefined;
  readonly #items: AmiMessage[] = [];
  readonly #onItem: ((item: AmiMessage) => void) | undefined;
  readonly #keepItems: boolean;
  readonly #onResponse: ((response: AmiMessage) => void) | undefined;

  constructor(
    settings: RequestSettings,
    sink: {
      onItem?: (item: AmiMessage) => void;
      onResponse?: (response: AmiMessage) => void;
      keepItems: boolean;
    },
  ) {
    super(settings);
    this.#onItem = sink.onItem;
    this.#onResponse = sink.onResponse;
    this.#keepItems = sink.keepItems;
  }

  onResponse(response: AmiMessage): void {
    if (isErrorResponse(response)) {
      this.fail(new AmiActionError(this.action, response));
      return;
    }
    this.#response = response;
    this.#onResponse?.(response);
    // A success without `EventList: start` announces no list: it is complete as it is.
    if (response.get("EventList")?.toLowerCase() !== "start") {
      this.succeed({ response, items: this.#items, complete: undefined });
    }
  }

  override onEvent(event: AmiMessage): boolean {
    const response = this.#response;
    if (response === undefined) return false;
    if (event.get("EventList")?.toLowerCase() === "complete") {
      this.succeed({ response, items: this.#items, complete: event });
    } else {
      if (this.#keepItems) this.#items.push(event);
      this.#onItem?.(event);
    }
    return true;
  }

  protected override timeoutMessage(ms: number): string {
    return this.#response === undefined
      ? super.timeoutMessage(ms)
      : `${this.action}'s event list did not complete within ${ms} ms`;
  }
}

/**
 * An `Originate` with `Async: true`: queued by the response, done when the
 * `OriginateResponse` event with the same ActionID arrives.
 */
export class OriginateRequest extends PendingRequest<AmiMessage> {
  #queued = false;
  #early: AmiMessage | undefined;

  onResponse(response: AmiMessage): void {
    if (isErrorResponse(response)) {
      this.fail(new AmiActionError(this.action, response));
      return;
    }
    this.#queued = true;
    if (this.#early !== undefined) this.#finish(this.#early);
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
    if (isErrorResponse(event)) this.fail(new AmiActionError(this.action, event));
    else this.succeed(event);
  }

  protected override timeoutMessage(ms: number): string {
    return this.#queued
      ? `Originate was queued but no OriginateResponse came within ${ms} ms`
      : super.timeoutMessage(ms);
  }
}

/** Fails every request in the registry with `error`. */
export function failAll(registry: Map<string, PendingRequest<unknown>>, error: AmiError): void {
  for (const request of [...registry.values()]) request.fail(error);
  registry.clear();
}

/** The error pending actions get when the connection goes. */
export function connectionLost(cause: AmiError | undefined): AmiConnectionError {
  return new AmiConnectionError(
    cause === undefined
      ? "the client was closed before the action was answered"
      : `the connection was lost before the action was answered: ${cause.message}`,
    cause === undefined ? undefined : { cause },
  );
}
