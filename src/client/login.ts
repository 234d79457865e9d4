/**
 * The MD5 challenge-response that AMI logins use.
 *
 * @module
 */

import { createHash } from "node:crypto";

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
