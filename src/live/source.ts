/**
 * What the live view needs from a client: the narrow contract it is built
 * on, so that the view sits below the client and the client can offer
 * `client.live()`. An {@linkcode AmiClient} is one.
 *
 * @module
 */

import type { AmiEventStream } from "../events/event_stream.ts";
import type { AmiGap } from "../events/gap.ts";
import type { AmiEvent } from "../types/maps.ts";
import type { AmiMessage } from "../wire/message.ts";

/**
 * The part of a client the live view uses: one event consumer with gap
 * markers, single actions, list actions and the connection's state.
 *
 * @example
 * ```ts
 * import { AmiClient, type LiveSource } from "@x/ami";
 * import { AmiTestServer } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = new AmiTestServer();
 * server.listen();
 * await using client = await AmiClient.connect(server.url);
 * const source: LiveSource = client;
 * assert.equal(source.state, "connected");
 * ```
 */
export interface LiveSource {
  /** The connection's state; the view is `stale` unless it is `connected`. */
  readonly state: string;
  /** Opens a consumer of the named events that reports losses as gaps. */
  events(
    filter: readonly string[],
    options: { gaps: true; bufferSize: number },
  ): AmiEventStream<AmiEvent | AmiGap>;
  /** Sends one action and resolves with its response. */
  send(
    action: { Action: string; ActionID?: string },
    options: { timeout?: number },
  ): Promise<AmiMessage>;
  /** Sends a list action and resolves with its opening response and its items. */
  sendList(
    action: { Action: string },
    options: { timeout?: number },
  ): Promise<{ readonly response: AmiMessage; readonly items: readonly AmiMessage[] }>;
}
