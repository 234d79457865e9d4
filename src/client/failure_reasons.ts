/**
 * Failures said in words: why an `Originate` failed (the `Reason` of its
 * `OriginateResponse`, which is the last call-progress code Asterisk saw,
 * an `AST_CONTROL_*` value) and what a failed CLI command printed.
 *
 * @module
 */

import { AmiActionError } from "../errors.ts";
import type { AmiMessage } from "../wire/message.ts";

/** The `AST_CONTROL_*` codes an `OriginateResponse` reports, in words. */
const ORIGINATE_REASONS: Readonly<Record<string, string>> = {
  "0": "the call could not be placed (no such extension or channel, or the dial failed)",
  "1": "the other side hung up",
  "2": "it was still at the ringing stage locally when it ended",
  "3": "no answer: it rang until the timeout",
  "4": "it was answered",
  "5": "busy",
  "6": "the other side took the line off hook",
  "7": "the line was off hook",
  "8": "congestion (no route or no free line)",
};

/** `Reason: 5` in words (`busy`), or the code itself for one Asterisk does not document. */
export function originateReason(code: string | undefined): string {
  if (code === undefined) return "no reason given";
  return ORIGINATE_REASONS[code.trim()] ?? `reason code ${code}`;
}

/** The error of an `OriginateResponse` with `Response: Failure`, saying why in words. */
export function originateFailure(action: string, event: AmiMessage): AmiActionError {
  const code = event.get("Reason");
  const channel = event.get("Channel");
  return new AmiActionError(
    action,
    event,
    `${channel === undefined ? "the call" : `the call to "${channel}"`} failed: ` +
      `${originateReason(code)}${code === undefined ? "" : ` (Reason ${code})`}`,
  );
}

/**
 * The error of a failed `Command`: Asterisk says only `Command output
 * follows` in `Message`; what went wrong is in the output (`No such command
 * ...`, a usage text).
 */
export function commandFailure(action: string, response: AmiMessage): AmiActionError {
  const output = response.getAll("Output").join("\n").trim();
  return output === ""
    ? new AmiActionError(action, response)
    : new AmiActionError(action, response, output);
}
