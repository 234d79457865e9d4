/**
 * Checks on what a test server answered, field by field in wire order.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { AmiMessage } from "../../src/wire/message.ts";
import type { RawAmiClient } from "./raw_ami_client.ts";

/** Fields in wire order, as `AmiMessage.fields()` gives them. */
export type Fields = readonly (readonly [string, string])[];

/** Asserts that a message has exactly these fields, in this order. */
export function assertFields(message: AmiMessage | undefined, fields: Fields): void {
  assert.ok(message !== undefined, "expected a message, got none");
  assert.deepEqual(message.fields(), fields);
}

/** Takes the client's next message and asserts its fields; returns it. */
export async function expectReply(client: RawAmiClient, fields: Fields): Promise<AmiMessage> {
  const message = await client.next();
  assertFields(message, fields);
  return message;
}
