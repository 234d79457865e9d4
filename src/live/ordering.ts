/**
 * Where a snapshot's lists sit among the events: by the client's sequence
 * numbers. Every frame a client reads is numbered (`ev.seq`, and `seq` on a
 * list's opening response), so an event whose number is greater than a
 * list's response came after that list was taken; an older one is already in
 * it.
 *
 * @module
 */

import type { LiveSource } from "./source.ts";
import type { AmiMessage } from "../wire/message.ts";

/** A list's items and the position of its response in the event order. */
export interface OrderedList {
  readonly items: readonly AmiMessage[];
  /** Events with a greater order came after the list's response. */
  readonly order: number;
}

/**
 * The order of an event: its sequence number, or `arrival` (its place in the
 * view's consumer) for a message that carries none.
 */
export function orderOf(event: AmiMessage, arrival: number): number {
  return sequenceOf(event) ?? arrival;
}

/**
 * Sends a list action and resolves with its items and the sequence number
 * of its response.
 *
 * @throws {TypeError} when the response carries no sequence number.
 */
export async function fetchOrderedList(
  client: LiveSource,
  action: string,
  timeout: number | undefined,
): Promise<OrderedList> {
  const { response, items } = await client.sendList(
    { Action: action },
    timeout === undefined ? {} : { timeout },
  );
  const order = sequenceOf(response);
  if (order === undefined) throw new TypeError(`The ${action} response has no sequence number`);
  return { items, order };
}

function sequenceOf(message: AmiMessage): number | undefined {
  const seq = (message as unknown as { seq?: unknown }).seq;
  return typeof seq === "number" ? seq : undefined;
}
