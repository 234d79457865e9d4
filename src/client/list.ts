/**
 * {@linkcode AmiList}: an event list as it arrives, for actions such as
 * `CoreShowChannels` or `QueueStatus`.
 *
 * @module
 */

import type { AmiMessage } from "../wire/message.ts";
import type { ListParts } from "./requests.ts";
import type { AmiEvent } from "../types/maps.ts";

/**
 * The whole answer to a list action.
 *
 * @example
 * ```ts
 * import { AmiClient } from "@x/ami";
 * import { AmiTestServer, eventList } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer();
 * server.listen();
 * server.handle("CoreShowChannels", () => eventList([{ Event: "CoreShowChannel", Channel: "A" }]));
 * await using client = await AmiClient.connect(server.url);
 * const { response, items, complete } = await client.sendList({ Action: "CoreShowChannels" });
 * console.assert(response.EventList === "start" && items.length === 1);
 * console.assert(complete?.ListItems === "1");
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
 * import { AmiClient } from "@x/ami";
 * import { AmiTestServer, eventList } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer();
 * server.listen();
 * server.handle("CoreShowChannels", () => eventList([{ Event: "CoreShowChannel", Channel: "A" }]));
 * await using client = await AmiClient.connect(server.url);
 * const list = client.streamList({ Action: "CoreShowChannels" });
 * for await (const channel of list) console.log(channel.Channel);
 * console.assert((await list.response).EventList === "start");
 * ```
 */
export class AmiList<I = AmiMessage, R = AmiMessage, C = AmiEvent> implements AsyncIterable<I> {
  /** Settles with the response that opened the list. */
  readonly response: Promise<R>;
  /** Settles with the whole list once it is complete. */
  readonly result: Promise<AmiListResult<I, R, C>>;
  #queue: I[] = [];
  #head = 0;
  #wake: (() => void) | undefined;
  #done = false;
  #error: unknown;
  #failed = false;

  /** @internal Created by `client.streamList()`. */
  constructor(
    response: Promise<AmiMessage>,
    result: Promise<ListParts>,
    subscribe: (onItem: (item: AmiMessage) => void) => void,
  ) {
    this.response = response as Promise<unknown> as Promise<R>;
    this.result = result as Promise<unknown> as Promise<AmiListResult<I, R, C>>;
    this.response.catch(() => {});
    this.result.catch(() => {});
    subscribe((item) => {
      this.#queue.push(item as I);
      this.#notify();
    });
    result.then(
      () => {
        this.#done = true;
        this.#notify();
      },
      (error) => {
        this.#done = this.#failed = true;
        this.#error = error;
        this.#notify();
      },
    );
  }

  /**
   * Yields the items as they arrive.
   *
   * @returns An iterator over the items.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<I> {
    while (true) {
      if (this.#head < this.#queue.length) {
        const item = this.#queue[this.#head]!;
        // Release what was read so a long list does not stay in memory twice.
        this.#queue[this.#head++] = undefined as I;
        if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
          this.#queue = this.#queue.slice(this.#head);
          this.#head = 0;
        }
        yield item;
        continue;
      }
      if (this.#done) {
        if (this.#failed) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
