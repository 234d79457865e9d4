/**
 * Wire taps: hooks that see every frame sent and received, for debugging,
 * and a formatter that hides credentials.
 *
 * @module
 */

/**
 * One frame as it crossed the wire.
 *
 * @example
 * ```ts
 * import type { AmiWireFrame } from "@x/ami";
 * import assert from "node:assert/strict";
 * const frame: AmiWireFrame = { direction: "sent", text: "Action: Ping\r\n\r\n", at: Date.now() };
 * assert.equal(frame.direction, "sent");
 * ```
 */
export interface AmiWireFrame {
  /** `sent` to the server, or `received` from it. */
  readonly direction: "sent" | "received";
  /** The frame's text, closing empty line included (the banner has its line end only). */
  readonly text: string;
  /** When, in milliseconds since the epoch. */
  readonly at: number;
}

const SENT_SECRETS = /^(secret|key|password)$/i;
const RECEIVED_SECRETS = /^(secret|password)$/i;

/**
 * Formats a wire frame for a log, with `Secret`, `Key` and `Password` values
 * of sent frames (and `Secret`/`Password` of received ones) replaced by `***`.
 * Lines are prefixed with `>> ` (sent) or `<< ` (received).
 *
 * @param frame The frame from an `onWire` hook.
 * @returns Printable text without credentials.
 *
 * @example Logging a session without leaking the password
 * ```ts
 * import { formatWireFrame } from "@x/ami";
 * import assert from "node:assert/strict";
 * const line = formatWireFrame({
 *   direction: "sent",
 *   text: "Action: Login\r\nUsername: admin\r\nSecret: amp111\r\n\r\n",
 *   at: 0,
 * });
 * assert.equal(line, ">> Action: Login\n>> Username: admin\n>> Secret: ***");
 * ```
 */
export function formatWireFrame(frame: AmiWireFrame): string {
  const prefix = frame.direction === "sent" ? ">> " : "<< ";
  const secrets = frame.direction === "sent" ? SENT_SECRETS : RECEIVED_SECRETS;
  return frame.text.replace(/(\r\n)+$/, "").split("\r\n").map((line) => {
    const colon = line.indexOf(":");
    if (colon > 0 && secrets.test(line.slice(0, colon).trim())) {
      return prefix + line.slice(0, colon) + ": ***";
    }
    return prefix + line;
  }).join("\n");
}
