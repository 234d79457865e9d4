/**
 * Actions over NATS request/reply: `ami.<pbx>.action.<Action>` with the
 * action's fields as a JSON object in, the response (and a list's items) as
 * JSON out, and errors as typed JSON. Who may send which action is decided
 * by NATS subject permissions; this code only refuses what would break the
 * bridge's own session.
 *
 * @module
 */

import { AmiActionError, AmiConnectionError, AmiTimeoutError } from "../errors.ts";
import type { AmiPool } from "../pool/pool.ts";
import type { AmiMessage } from "../wire/message.ts";

/**
 * The kinds of error an action request is answered with:
 * - `BadRequest`: the JSON or a field is not usable (not an object, a value
 *   with CR or LF, an `Action` or `ActionID` field, a bad action name);
 * - `Forbidden`: an action that would change the bridge's own session
 *   (`Login`, `Logoff`, `Challenge`, `Events`, `Filter`);
 * - `UnknownPbx`: no PBX of that name in this bridge;
 * - `NotConnected`: the PBX is down now;
 * - `ActionFailed`: Asterisk answered `Response: Error` (its response is included);
 * - `Timeout`: no answer in time;
 * - `Busy`: too many requests for this PBX are in flight;
 * - `TooLarge`: the reply would exceed the NATS server's `max_payload`;
 * - `Internal`: anything else (a bug: please report it).
 *
 * @example
 * ```ts
 * import type { AmiActionErrorType } from "@x/ami/nats";
 * import assert from "node:assert/strict";
 * const type: AmiActionErrorType = "Forbidden";
 * assert.equal(type, "Forbidden");
 * ```
 */
export type AmiActionErrorType =
  | "BadRequest"
  | "Forbidden"
  | "UnknownPbx"
  | "NotConnected"
  | "ActionFailed"
  | "Timeout"
  | "Busy"
  | "TooLarge"
  | "Internal";

/**
 * The JSON reply to an action request.
 *
 * @example
 * ```ts
 * import type { AmiActionReply } from "@x/ami/nats";
 * import assert from "node:assert/strict";
 * const reply: AmiActionReply = { ok: true, response: { Response: "Success", Ping: "Pong" } };
 * assert.ok(reply.ok);
 * ```
 */
export type AmiActionReply =
  | {
    readonly ok: true;
    /** The response's fields; a repeated field's values as an array. */
    readonly response: Record<string, string | string[]>;
    /** A list's items, when the action answers with a list. */
    readonly items?: Record<string, string | string[]>[];
    /** The event that closed the list. */
    readonly complete?: Record<string, string | string[]>;
  }
  | {
    readonly ok: false;
    readonly error: {
      readonly type: AmiActionErrorType;
      readonly message: string;
      /** Asterisk's response, for `ActionFailed`. */
      readonly response?: Record<string, string | string[]>;
    };
  };

/** Actions that would change the bridge's own session, refused whatever NATS allows. */
const FORBIDDEN = new Set(["login", "logoff", "challenge", "events", "filter"]);
const ACTION_NAME = /^[A-Za-z0-9_]{1,64}$/;

type FieldValue = string | number | boolean | (string | number | boolean)[];

/** An error reply. */
function failure(
  type: AmiActionErrorType,
  message: string,
  response?: AmiMessage,
): AmiActionReply {
  return {
    ok: false,
    error: response === undefined ? { type, message } : {
      type,
      message,
      response: response.toJSON(),
    },
  };
}

/** Reads the action's fields from the request body, or says why not. */
export function parseActionRequest(
  name: string,
  body: string,
): { fields: Record<string, FieldValue> } | { error: AmiActionReply } {
  if (!ACTION_NAME.test(name)) {
    return { error: failure("BadRequest", `Action name "${name.slice(0, 80)}" is not valid`) };
  }
  if (FORBIDDEN.has(name.toLowerCase())) {
    return {
      error: failure("Forbidden", `Action "${name}" would change the bridge's own session`),
    };
  }
  let parsed: unknown = {};
  if (body.trim() !== "") {
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      return {
        error: failure("BadRequest", `The request is not valid JSON: ${(error as Error).message}`),
      };
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { error: failure("BadRequest", "The request must be a JSON object of action fields") };
  }
  const fields: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const lower = key.toLowerCase();
    if (lower === "action" || lower === "actionid") {
      return {
        error: failure(
          "BadRequest",
          `Field "${key}" may not be given: the action is named by the subject and the bridge sets ActionID`,
        ),
      };
    }
    if (!isFieldValue(value)) {
      return {
        error: failure(
          "BadRequest",
          `Field "${key.slice(0, 80)}" must be a string, number, boolean or list of them`,
        ),
      };
    }
    fields[key] = value;
  }
  return { fields };
}

function isFieldValue(value: unknown): value is FieldValue {
  const scalar = (v: unknown) =>
    typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && isFinite(v));
  return scalar(value) || (Array.isArray(value) && value.length > 0 && value.every(scalar));
}

/** Runs an action on a PBX of the pool and builds its reply; never throws. */
export async function runAction(
  pool: AmiPool,
  pbx: string,
  name: string,
  body: string,
  timeout: number,
): Promise<AmiActionReply> {
  const request = parseActionRequest(name, body);
  if ("error" in request) return request.error;
  try {
    const { response, items, complete } = await pool.sendList(
      pbx,
      { ...request.fields, Action: name } as { Action: string },
      { timeout },
    );
    const isList = response.get("EventList")?.toLowerCase() === "start";
    return isList
      ? {
        ok: true,
        response: response.toJSON(),
        items: items.map((item) => item.toJSON()),
        ...(complete === undefined ? {} : { complete: complete.toJSON() }),
      }
      : { ok: true, response: response.toJSON() };
  } catch (error) {
    return errorReply(error);
  }
}

function errorReply(error: unknown): AmiActionReply {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof AmiActionError) return failure("ActionFailed", message, error.response);
  if (error instanceof AmiTimeoutError) return failure("Timeout", message);
  if (error instanceof AmiConnectionError) return failure("NotConnected", message);
  if (error instanceof RangeError) return failure("UnknownPbx", message);
  if (error instanceof TypeError) return failure("BadRequest", message);
  return failure("Internal", message);
}

/** The reply as bytes, or a `TooLarge` error when it would not fit in `maxPayload`. */
export function encodeReply(reply: AmiActionReply, maxPayload: number): Uint8Array {
  const bytes = new TextEncoder().encode(JSON.stringify(reply));
  if (bytes.length <= maxPayload) return bytes;
  const items = reply.ok ? reply.items?.length : undefined;
  return new TextEncoder().encode(JSON.stringify(failure(
    "TooLarge",
    `The reply is ${bytes.length} bytes, more than the NATS server's max_payload of ${maxPayload}` +
      (items === undefined ? "" : ` (${items} items): narrow the request, or raise max_payload`),
  )));
}
