/**
 * What a reconnect restores: the login, the `Filter` actions the user
 * applied, and the last `Events` mask, sent again in that order on every new
 * connection.
 *
 * @module
 */

import type { AmiAction } from "../wire/encoder.ts";
import type { AmiMessage } from "../wire/message.ts";
import type { AmiLoginOptions } from "./options.ts";

/**
 * Whether an action may change what a reconnect restores (`Filter` and
 * `Events`, in any case), so that its response must be looked at. Never
 * throws: a malformed action has already been turned into a rejection.
 */
export function changesRestoredState(action: AmiAction): boolean {
  const name: unknown = action.Action;
  if (typeof name !== "string") return false;
  const lower = name.toLowerCase();
  return lower === "filter" || lower === "events";
}

/** The login and session settings a new connection gets again. */
export class SessionState {
  /** Who logs in on every new connection. */
  readonly credentials: AmiLoginOptions;
  readonly #filters: AmiAction[] = [];
  #eventMask: AmiAction | undefined;

  /** @param credentials Who logs in on every new connection. */
  constructor(credentials: AmiLoginOptions) {
    this.credentials = { ...credentials };
  }

  /** Keeps a `Filter` the server accepted, or the last `Events` mask. */
  record(action: AmiAction, response: AmiMessage): void {
    const { ActionID: _, ...kept } = action;
    const name = action.Action.toLowerCase();
    if (name === "filter" && response.get("Response")?.toLowerCase() === "success") {
      this.#filters.push(kept as AmiAction);
    } else if (name === "events") {
      this.#eventMask = kept as AmiAction;
    }
  }

  /** Sends the filters, then the mask, over `send`, one after the other. */
  async replay(send: (action: AmiAction) => Promise<unknown>): Promise<void> {
    for (const filter of this.#filters) await send(filter);
    if (this.#eventMask !== undefined) await send(this.#eventMask);
  }
}
