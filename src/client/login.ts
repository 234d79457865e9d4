/**
 * Logging in to AMI: the MD5 challenge-response (the secret never crosses
 * the wire) or a plain login, as a sequence of actions over any `send`.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { AmiActionError, AmiAuthenticationError } from "../errors.ts";
import type { AmiAction } from "../wire/encoder.ts";
import type { AmiMessage } from "../wire/message.ts";
import type { AmiLoginOptions } from "./options.ts";

/**
 * The `Key` of an MD5 login: the hex MD5 of the challenge followed by the
 * secret, as Asterisk computes it.
 *
 * @param challenge The `Challenge` value from the server.
 * @param secret The user's secret.
 * @returns 32 lowercase hex digits.
 */
export function md5LoginKey(challenge: string, secret: string): string {
  return createHash("md5").update(challenge + secret, "utf8").digest("hex");
}

/** The `Events` value of a login, from the option. */
function eventsValue(events: boolean | string | undefined): string | undefined {
  if (events === true) return "on";
  if (events === false) return "off";
  return events;
}

/**
 * Logs in over `send`, which writes an action and resolves with its
 * response (rejecting with {@linkcode AmiActionError} on an error response).
 *
 * @returns The `Authentication accepted` response.
 * @throws {AmiAuthenticationError} when the login is refused; the secret is
 *   taken out of any text from the server.
 */
export async function logIn(
  send: (action: AmiAction) => Promise<AmiMessage>,
  options: AmiLoginOptions,
): Promise<AmiMessage> {
  const { username, secret } = options;
  const events = eventsValue(options.events);
  try {
    if (options.auth === "plain") {
      return await send({ Action: "Login", Username: username, Secret: secret, Events: events });
    }
    const challenge = await send({ Action: "Challenge", AuthType: "MD5" });
    const key = md5LoginKey(challenge.get("Challenge") ?? "", secret);
    return await send({
      Action: "Login",
      AuthType: "MD5",
      Username: username,
      Key: key,
      Events: events,
    });
  } catch (error) {
    if (!(error instanceof AmiActionError)) throw error;
    const reason = redact(error.response.get("Message") ?? "refused", secret);
    // A response that echoes the secret is not kept: the error may be logged whole.
    const echoed = secret !== "" && error.response.toString().includes(secret);
    throw new AmiAuthenticationError(
      `Login as "${username}" failed: ${reason}`,
      echoed ? undefined : error.response,
    );
  }
}

/** `text` with every occurrence of `secret` replaced, so that a server's echo cannot leak it. */
function redact(text: string, secret: string): string {
  return secret === "" ? text : text.split(secret).join("***");
}
