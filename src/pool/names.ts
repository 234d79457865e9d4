/**
 * PBX names in a pool: explicit, stable, and safe as a NATS subject token.
 *
 * @module
 */

/** What a PBX name may contain: letters, digits, `_` and `-`, 1 to 64 of them. */
const PBX_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Checks a PBX name: 1 to 64 letters, digits, `_` or `-`, so that it can
 * stand as one token in a NATS subject, a metric label or a file name.
 *
 * @param name The name to check.
 * @returns The name.
 * @throws {TypeError} when the name is empty, too long or has another character.
 *
 * @example
 * ```ts
 * import { checkPbxName } from "@x/ami";
 * import assert from "node:assert/strict";
 * assert.equal(checkPbxName("pbx-a_1"), "pbx-a_1");
 * assert.throws(() => checkPbxName("pbx.a"), TypeError);
 * ```
 */
export function checkPbxName(name: string): string {
  if (typeof name !== "string" || !PBX_NAME.test(name)) {
    throw new TypeError(
      `PBX name "${
        String(name).slice(0, 80)
      }" is not valid: use 1 to 64 letters, digits, "_" or "-"`,
    );
  }
  return name;
}
