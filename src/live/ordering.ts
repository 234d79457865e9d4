/**
 * Where a snapshot list sits in the event stream. The cutover needs, for
 * each list, which events came before its response (their effect is in the
 * list already) and which came after.
 *
 * Two ways to tell, behind one interface:
 * - {@linkcode SEQUENCE_ORDERING}: the client numbers every event and every
 *   list's opening response (`seq`), so a list fetched with `sendList`
 *   carries its position.
 * - {@linkcode ARRIVAL_ORDERING}: a list sent with `send()` lets its items
 *   reach the event stream; the view's own consumer sees them in order with
 *   the events, and the first item (or the closing event) marks the spot.
 *   Asterisk never writes an event inside a list, so nothing is misplaced.
 *
 * {@linkcode LIST_ORDERING} picks one: switching is that one line. It is
 * {@linkcode SEQUENCE_ORDERING}: `AmiClient` numbers every frame and keeps
 * list items out of `events()`. {@linkcode detectOrdering} (arrival first,
 * sequence numbers once a response carries one) is for a source that does
 * not number frames; starting by arrival against a numbering client costs
 * one snapshot that is thrown away, and the events read meanwhile.
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

/** One list being fetched. */
export interface ListFetch {
  /** Settles with the list, or rejects with the action's error. */
  readonly done: Promise<OrderedList>;
  /** Shown every event the view's consumer reads; `true` when it was an item of this list. */
  offer(event: AmiMessage, order: number): boolean;
  /** Gives up: events were lost, so the list may never complete. */
  cancel(error: unknown): void;
}

/** How the view orders lists against events. */
export interface ListOrdering {
  /** The order of an event the consumer read as the `arrival`-th. */
  orderOf(event: AmiMessage, arrival: number): number;
  /** Sends a list action. */
  fetch(client: LiveSource, action: string, timeout: number | undefined): ListFetch;
}

/** Orders by the client's sequence numbers (`ev.seq`, `seq` on a list's response). */
export const SEQUENCE_ORDERING: ListOrdering = {
  orderOf: (event, arrival) => sequenceOf(event) ?? arrival,
  fetch(client, action, timeout) {
    const done = client.sendList({ Action: action }, timeout === undefined ? {} : { timeout }).then(
      ({ response, items }) => {
        const order = sequenceOf(response as unknown as AmiMessage);
        if (order === undefined) {
          throw new TypeError(`the ${action} response has no sequence number`);
        }
        return { items: items as AmiMessage[], order };
      },
    );
    return { done, offer: () => false, cancel: () => {} };
  },
};

/** Orders by arrival in the view's own consumer, which sees the lists' items. */
export const ARRIVAL_ORDERING: ListOrdering = {
  orderOf: (_event, arrival) => arrival,
  fetch(client, action, timeout) {
    const actionId = `live-${action}-${crypto.randomUUID().slice(0, 8)}`;
    const items: AmiMessage[] = [];
    const settled = Promise.withResolvers<OrderedList>();
    settled.promise.catch(() => {});
    let open = true;
    let first: number | undefined;
    const settle = (error: unknown, list?: OrderedList) => {
      if (!open) return;
      open = false;
      if (list === undefined) settled.reject(error);
      else settled.resolve(list);
    };
    client.send({ Action: action, ActionID: actionId }, timeout === undefined ? {} : { timeout })
      .then((response) => {
        if (sequenceOf(response) !== undefined) {
          settle(new SequenceNumbersAvailable(action));
          return;
        }
        // An answer that opens no list has no items to wait for.
        if (response.get("EventList")?.toLowerCase() !== "start") {
          settle(undefined, { items, order: -Infinity });
        }
      }, (error) => settle(error));
    return {
      done: settled.promise,
      offer(event, order) {
        if (!open || event.get("ActionID") !== actionId) return false;
        first ??= order - 0.5;
        if (event.get("EventList")?.toLowerCase() === "complete") {
          settle(undefined, { items, order: first });
        } else items.push(event);
        return true;
      },
      cancel: (error) => settle(error),
    };
  },
};

/** Thrown by an arrival fetch whose response shows that the client numbers frames. */
export class SequenceNumbersAvailable extends Error {
  constructor(action: string) {
    super(`the ${action} response carries a sequence number: order by it`);
    this.name = "SequenceNumbersAvailable";
  }
}

/**
 * An ordering for one view: by arrival until a list response carries a
 * sequence number, by sequence numbers from then on (that fetch fails with
 * {@linkcode SequenceNumbersAvailable}, and the snapshot is taken again).
 */
export function detectOrdering(): ListOrdering {
  let current = ARRIVAL_ORDERING;
  return {
    orderOf: (event, arrival) => current.orderOf(event, arrival),
    fetch(client, action, timeout) {
      const fetch = current.fetch(client, action, timeout);
      fetch.done.catch((error) => {
        if (error instanceof SequenceNumbersAvailable) current = SEQUENCE_ORDERING;
      });
      return fetch;
    },
  };
}

/** Makes the ordering each view uses: the one line to change to pin one. */
export const LIST_ORDERING = (): ListOrdering => SEQUENCE_ORDERING;

function sequenceOf(message: AmiMessage): number | undefined {
  const seq = (message as unknown as { seq?: unknown }).seq;
  return typeof seq === "number" ? seq : undefined;
}
