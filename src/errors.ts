/**
 * The error classes of @x/ami. Every error the library raises is an
 * {@linkcode AmiError}; catch a subclass to handle one kind of failure.
 *
 * @module
 */

import type { AmiMessage } from "./wire/message.ts";
import type { AmiParsedMessage, AmiResponse } from "./wire/message_types.ts";

/**
 * The base class of every error raised by @x/ami.
 *
 * @example Telling library errors apart from others
 * ```ts
 * import { AmiError, AmiTimeoutError } from "@x/ami";
 * import assert from "node:assert/strict";
 * const error: unknown = new AmiTimeoutError("Ping timed out after 10 ms");
 * if (error instanceof AmiError) assert.equal(error.name, "AmiTimeoutError");
 * ```
 */
export class AmiError extends Error {
  /**
   * Creates an error.
   *
   * @param message What went wrong.
   * @param options The underlying cause, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The connection could not be opened, broke, or was closed while something
 * still depended on it. Pending actions reject with it when the client closes.
 *
 * @example
 * ```ts
 * import { AmiConnectionError } from "@x/ami";
 * import assert from "node:assert/strict";
 * const error = new AmiConnectionError("Connection closed by the server");
 * assert.ok(error.message.includes("closed"));
 * ```
 */
export class AmiConnectionError extends AmiError {}

/**
 * Login was refused (`Response: Error` to `Login`, typically
 * `Authentication failed`). The response is kept; the secret never appears.
 *
 * @example
 * ```ts
 * import { AmiAuthenticationError } from "@x/ami";
 * import assert from "node:assert/strict";
 * const error = new AmiAuthenticationError("Login as admin failed: Authentication failed");
 * assert.equal(error.response, undefined);
 * ```
 *
 * @example Reading the server's answer
 * ```ts
 * import { AmiAuthenticationError, AmiMessage } from "@x/ami";
 * import assert from "node:assert/strict";
 * const refusal = AmiMessage.fromString(
 *   "Response: Error\r\nMessage: Authentication failed\r\n\r\n",
 * );
 * const error = new AmiAuthenticationError("Login as admin failed", refusal);
 * assert.equal(error.response?.Message, "Authentication failed");
 * ```
 */
export class AmiAuthenticationError extends AmiError {
  /** The server's answer to `Login`, when there was one; its fields read by name. */
  readonly response: AmiResponse | undefined;

  /**
   * Creates an authentication error.
   *
   * @param message What was refused.
   * @param response The server's answer, when there was one.
   * @param options The underlying cause, if any.
   */
  constructor(message: string, response?: AmiMessage, options?: ErrorOptions) {
    super(message, options);
    this.response = response as AmiResponse | undefined;
  }
}

/**
 * An action, a login or the connection itself took longer than allowed.
 *
 * @example
 * ```ts
 * import { AmiTimeoutError } from "@x/ami";
 * import assert from "node:assert/strict";
 * const error = new AmiTimeoutError("Ping timed out after 10000 ms");
 * assert.equal(error.name, "AmiTimeoutError");
 * ```
 */
export class AmiTimeoutError extends AmiError {}

/**
 * The server answered an action with `Response: Error` (or an
 * `OriginateResponse` with `Response: Failure`). The answer is in
 * {@linkcode AmiActionError.response}.
 *
 * @example
 * ```ts
 * import { AmiActionError, AmiMessage } from "@x/ami";
 * import assert from "node:assert/strict";
 * const response = AmiMessage.fromString("Response: Error\r\nMessage: Permission denied\r\n\r\n");
 * const error = new AmiActionError("Status", response);
 * assert.equal(error.message, "Status failed: Permission denied");
 * const reason: string | undefined = error.response.Message; // typed: no cast
 * assert.equal(reason, "Permission denied");
 * assert.equal(error.response.Response, "Error");
 * ```
 */
export class AmiActionError extends AmiError {
  /** The name of the action that failed. */
  readonly action: string;
  /** The server's answer; its fields read by name (`error.response.Message`). */
  readonly response: AmiResponse;

  /**
   * Creates an action error from the server's answer.
   *
   * @param action The action's name.
   * @param response The answer that reported the failure.
   * @param reason Why, in words, when the answer's `Message` does not say it.
   */
  constructor(action: string, response: AmiMessage, reason?: string) {
    reason ??= response.get("Message") ?? response.get("Reason") ??
      response.get("Response") ?? "error";
    super(`${action} failed: ${reason}`);
    this.action = action;
    this.response = response as AmiResponse;
  }
}

/**
 * The server sent something the client cannot use: a frame over the size cap,
 * a frame that is neither a response nor an event, or a response that no
 * pending action owns. The session goes on; the error is reported through the
 * `onProtocolError` hook.
 *
 * @example
 * ```ts
 * import { AmiProtocolError } from "@x/ami";
 * import assert from "node:assert/strict";
 * const error = new AmiProtocolError("Frame over 1048576 bytes skipped", "frame-too-large");
 * assert.equal(error.kind, "frame-too-large");
 * ```
 *
 * @example The frame concerned, its fields read by name
 * ```ts
 * import { AmiMessage, AmiProtocolError } from "@x/ami";
 * import assert from "node:assert/strict";
 * const frame = AmiMessage.fromString("Response: Success\r\nActionID: 99\r\n\r\n");
 * const error = new AmiProtocolError("No action waits for 99", "unroutable-response", frame);
 * assert.equal(error.frame?.ActionID, "99");
 * ```
 */
export class AmiProtocolError extends AmiError {
  /** What kind of problem it was. */
  readonly kind: AmiProtocolErrorKind;
  /** The message concerned, when one could be parsed; its fields read by name. */
  readonly frame: AmiParsedMessage | undefined;

  /**
   * Creates a protocol error.
   *
   * @param message What was wrong.
   * @param kind The kind of problem.
   * @param frame The message concerned, if there is one.
   * @param options The underlying cause, if any (what a hook threw, say).
   */
  constructor(
    message: string,
    kind: AmiProtocolErrorKind,
    frame?: AmiMessage,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.kind = kind;
    this.frame = frame as AmiParsedMessage | undefined;
  }
}

/**
 * The kinds of {@linkcode AmiProtocolError}:
 * - `frame-too-large`: a frame grew past `maxFrameBytes` and was skipped;
 * - `truncated-frame`: the stream ended in the middle of a frame, or a legacy
 *   `Response: Follows` reply to `Command` was followed by a normal frame before
 *   its `--END COMMAND--` line (the reply, cut short, is in `frame`);
 * - `unknown-frame`: a frame whose first line is neither `Response` nor `Event`;
 * - `unroutable-response`: a response whose ActionID no pending action owns;
 * - `unroutable-event`: an item of an event list that came after its action was
 *   given up (timed out or aborted);
 * - `hook-error`: a user hook (`onWire`, `onStateChange`) threw; the error is the `cause`.
 *
 * @example
 * ```ts
 * import type { AmiProtocolErrorKind } from "@x/ami";
 * import assert from "node:assert/strict";
 * const kind: AmiProtocolErrorKind = "unknown-frame";
 * assert.ok(kind.length > 0);
 * ```
 */
export type AmiProtocolErrorKind =
  | "frame-too-large"
  | "truncated-frame"
  | "unknown-frame"
  | "unroutable-response"
  | "unroutable-event"
  | "hook-error"
  | "filter-refused";

/**
 * An event consumer fell so far behind that its buffer filled up. It is
 * thrown by that consumer's iterator, after the events buffered before the
 * loss, and affects no other consumer.
 *
 * @example
 * ```ts
 * import { AmiConsumerOverflowError } from "@x/ami";
 * import assert from "node:assert/strict";
 * const error = new AmiConsumerOverflowError(1024);
 * assert.equal(error.capacity, 1024);
 * ```
 */
export class AmiConsumerOverflowError extends AmiError {
  /** The capacity of the consumer's buffer. */
  readonly capacity: number;

  /**
   * Creates an overflow error.
   *
   * @param capacity The buffer capacity that was exceeded.
   */
  constructor(capacity: number) {
    super(
      `Event consumer fell behind: its buffer of ${capacity} events is full; ` +
        `read faster, raise bufferSize, or pass { gaps: true } to keep going past losses`,
    );
    this.capacity = capacity;
  }
}

/**
 * An action was refused before it was written: the actions already waiting
 * to be written hold `maxWriteQueueBytes` (the server stopped reading). The
 * connection stays; the action was not sent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AmiError, AmiWriteQueueFullError } from "@x/ami";
 * const error = new AmiWriteQueueFullError("Ping not sent: the server is not reading");
 * assert.ok(error instanceof AmiError);
 * ```
 */
export class AmiWriteQueueFullError extends AmiError {}
