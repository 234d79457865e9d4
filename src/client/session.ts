/**
 * The session on one connection: writes actions, and routes what the server
 * sends: a response to the action waiting for it, an event to the request
 * that owns it (a list, an `Originate`) or else to the event fan-out, and
 * anything else to the protocol-error report.
 *
 * @module
 */

import {
  Connection,
  type ConnectionOptions,
  DEFAULT_MAX_QUEUED_BYTES,
} from "../connection/connection.ts";
import {
  AmiConnectionError,
  type AmiError,
  AmiProtocolError,
  AmiWriteQueueFullError,
} from "../errors.ts";
import type { EventHub } from "../events/event_hub.ts";
import type { AmiTransport } from "../transport/types.ts";
import type { AmiMessage } from "../wire/message.ts";
import type { AmiWireFrame } from "../wire/wire_tap.ts";
import type { ActionRegistry } from "./action_registry.ts";
import type { ActionRequest } from "./requests.ts";

/** What a session works with, shared by every session of a client. */
export interface SessionHost {
  readonly registry: ActionRegistry;
  readonly hub: EventHub;
  /** Reports frames that were skipped or could not be routed. */
  report(error: AmiProtocolError): void;
  /** Sees every frame; never throws. */
  readonly onWire: ((frame: AmiWireFrame) => void) | undefined;
  /** The session's connection is gone; `error` is unset for a close that was asked for. */
  closed(session: Session, error: AmiError | undefined): void;
}

/** One connection, with the routing of what it carries. */
export class Session {
  readonly #host: SessionHost;
  readonly #connection: Connection;
  #banner: string | undefined;
  #loggedIn = false;
  #frames = 0;
  readonly #maxQueuedBytes: number;

  constructor(transport: AmiTransport, host: SessionHost, options: ConnectionOptions) {
    this.#host = host;
    this.#maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    this.#connection = new Connection(transport, {
      onMessage: (message) => this.#route(message),
      onProtocolError: (error) => host.report(error),
      onClosed: (error) => host.closed(this, error),
      onWire: host.onWire,
    }, options);
    this.#connection.banner.then((banner) => this.#banner = banner, () => {});
  }

  /** The banner line; rejects when the connection ends before it. */
  get banner(): Promise<string> {
    return this.#connection.banner;
  }

  /** The banner line, once read. */
  get bannerLine(): string | undefined {
    return this.#banner;
  }

  /** Whether the connection is still usable. */
  get open(): boolean {
    return this.#connection.open;
  }

  /** Frames received on this connection so far. */
  get frames(): number {
    return this.#frames;
  }

  /** Whether a login succeeded on this connection and no logoff followed. */
  get loggedIn(): boolean {
    return this.#loggedIn && this.open;
  }

  /** Records the outcome of a login or logoff on this connection. */
  setLoggedIn(loggedIn: boolean): void {
    this.#loggedIn = loggedIn;
  }

  /** Writes an action held by `request`; fails the request when the connection is down. */
  write(text: string, request: ActionRequest): void {
    if (!this.#connection.open) {
      request.fail(new AmiConnectionError(`${request.action} not sent: the connection is down`));
      return;
    }
    if (!this.#host.registry.hold(request)) return;
    if (!this.#connection.write(text, request)) {
      request.fail(
        new AmiWriteQueueFullError(
          `${request.action} not sent: the server is not reading ` +
            `(the actions waiting to be written hold ${this.#maxQueuedBytes} bytes)`,
        ),
      );
    }
  }

  /** Closes the connection as asked, and waits until it is gone. */
  close(): Promise<void> {
    return this.#connection.close();
  }

  /** Drops the connection because of `error`, and waits until it is gone. */
  abort(error: AmiError): Promise<void> {
    return this.#connection.abort(error);
  }

  #route(message: AmiMessage): void {
    this.#frames++;
    const { registry, hub } = this.#host;
    switch (message.kind) {
      case "event": {
        const route = registry.routeEvent(message);
        if (route === "free") hub.publish(message);
        else if (route === "late") this.#host.report(lateListItem(message));
        return;
      }
      case "response":
        if (!registry.routeResponse(message)) this.#host.report(unroutable(message));
        return;
      default:
        this.#host.report(
          new AmiProtocolError(
            `A frame that is neither a response nor an event was dropped (it starts with "${
              message.fields()[0]?.[0] ?? ""
            }")`,
            "unknown-frame",
            message,
          ),
        );
    }
  }
}

function lateListItem(event: AmiMessage): AmiProtocolError {
  return new AmiProtocolError(
    `An event of the list with ActionID "${event.actionId}" was dropped: the list was given up (timed out or aborted) before it came`,
    "unroutable-event",
    event,
  );
}

function unroutable(response: AmiMessage): AmiProtocolError {
  const id = response.actionId;
  return new AmiProtocolError(
    id === undefined
      ? "A response without an ActionID was dropped: it cannot be matched to an action"
      : `A response for ActionID "${id}" was dropped: no action is waiting for it`,
    "unroutable-response",
    response,
  );
}
