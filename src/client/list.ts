/**
 * {@linkcode AmiList}: an event list as it arrives, for actions such as
 * `CoreShowChannels` or `QueueStatus`.
 *
 * @module
 */

import type { AmiMessage } from "../wire/message.ts";
import type { ListRequest } from "./requests.ts";
import type { AmiEvent } from "../types/maps.ts";

/**
 * The whole answer to a list action.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AmiClient } from "@x/ami";
 * import { AmiTestServer, eventList } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer();
 * server.listen();
 * server.handle("CoreShowChannels", () => eventList([{ Event: "CoreShowChannel", Channel: "A" }]));
 * await using client = await AmiClient.connect(server.url);
 * const { response, items, complete } = await client.sendList({ Action: "CoreShowChannels" });
 * assert.equal(response.EventList, "start");
 * assert.equal(items.length, 1);
 * assert.equal(complete?.ListItems, "1");
 * ```
 */
export interface AmiListResult<I = AmiMessage, R = AmiMessage, C = AmiEvent> {
  /** The response that opened the list (`EventList: start`). */
  response: R;
  /** The list's events, in order, the closing one left out. */
  items: I[];
  /** The closing event (`EventList: Complete`), or `undefined` when no list was announced. */
  complete: C | undefined;
}

/**
 * An event list being received: iterate it to get the items as they come;
 * `response` settles with the opening response, `result` with everything.
 * Iterating throws the action's error ({@linkcode AmiActionError} for
 * `Response: Error`, a timeout, or a lost connection).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AmiClient } from "@x/ami";
 * import { AmiTestServer, eventList } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer();
 * server.listen();
 * server.handle("CoreShowChannels", () => eventList([{ Event: "CoreShowChannel", Channel: "A" }]));
 * await using client = await AmiClient.connect(server.url);
 * const list = client.streamList({ Action: "CoreShowChannels" });
 * const channels: string[] = [];
 * for await (const channel of list) channels.push(channel.Channel);
 * assert.deepEqual(channels, ["A"]);
 * assert.equal((await list.response).EventList, "start");
 * ```
 */
export interface AmiList<I = AmiMessage, R = AmiMessage, C = AmiEvent> extends AsyncIterable<I> {
  /** Settles with the response that opened the list. */
  readonly response: Promise<R>;
  /** Settles with the whole list once it is complete (`items` stays empty: they were streamed). */
  readonly result: Promise<AmiListResult<I, R, C>>;
  /**
   * Yields the items as they arrive.
   *
   * @returns An iterator over the items.
   */
  [Symbol.asyncIterator](): AsyncIterator<I>;
}

/** The {@linkcode AmiList} of a streamed list request: a view of its queue of items. */
export class StreamedList<I, R, C> implements AmiList<I, R, C> {
  readonly response: Promise<R>;
  readonly result: Promise<AmiListResult<I, R, C>>;
  readonly #request: ListRequest;

  /** @param request A list request made with `{ stream: true }`. */
  constructor(request: ListRequest) {
    this.#request = request;
    this.response = request.response as Promise<unknown> as Promise<R>;
    this.result = request.promise as Promise<unknown> as Promise<AmiListResult<I, R, C>>;
    this.result.catch(() => {});
  }

  async *[Symbol.asyncIterator](): AsyncIterator<I> {
    const items = this.#request.items!;
    while (true) {
      const next = await items.next();
      if (next.done) return;
      yield next.value as I;
    }
  }
}
