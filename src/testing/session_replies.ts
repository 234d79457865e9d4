/**
 * The answers a test session writes, as bytes ready to go: the session's own
 * responses (`Success`, `Error`) and whatever a handler returned.
 *
 * @module
 */

import type { AmiMessage } from "../wire/message.ts";
import {
  AmiTestEventList,
  type AmiTestFields,
  AmiTestRawReply,
  type AmiTestRawThen,
  type AmiTestReply,
  renderEventList,
  renderFields,
  renderResponse,
} from "./replies.ts";

const encoder = new TextEncoder();

/** The answer to one action, ready to write, and what the session does after it. */
export interface Step {
  readonly bytes: Uint8Array | undefined;
  readonly then: AmiTestRawThen | undefined;
}

/** A response with `Response: status` first, then the ActionID, then `fields`. */
export function response(
  actionId: string | undefined,
  status: string,
  fields: [string, string][],
): Step {
  return {
    bytes: encoder.encode(renderFields(fields, actionId, ["Response", status])),
    then: undefined,
  };
}

/** `Response: Success` with a message. */
export function success(actionId: string | undefined, message: string): Step {
  return response(actionId, "Success", [["Message", message]]);
}

/** `Response: Error` with a message. */
export function error(actionId: string | undefined, message: string): Step {
  return response(actionId, "Error", [["Message", message]]);
}

/** What a handler answered, as a step. */
export function render(
  reply: AmiTestReply,
  actionName: string,
  actionId: string | undefined,
): Step {
  if (reply === undefined) return response(actionId, "Success", []);
  if (typeof reply === "string") return { bytes: encoder.encode(reply), then: undefined };
  if (reply instanceof AmiTestRawReply) return { bytes: reply.data, then: reply.then };
  if (reply instanceof AmiTestEventList) {
    return { bytes: encoder.encode(renderEventList(reply, actionName, actionId)), then: undefined };
  }
  return {
    bytes: encoder.encode(renderResponse(reply as AmiTestFields | AmiMessage, actionId)),
    then: undefined,
  };
}
