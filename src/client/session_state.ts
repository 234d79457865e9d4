/**
 * What a reconnect restores: the login, the `Filter` actions the user
 * applied, and the last `Events` mask, sent again in that order on every new
 * connection.
 *
 * @module
 */

import { AmiActionError } from "../errors.ts";
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

  /**
   * Sends the filters over `send`, one after the other.
   *
   * @param again After a drop: a refused filter is handed to `refused`
   *   instead of failing the restore.
   */
  async replayFilters(
    send: (action: AmiAction) => Promise<unknown>,
    again = false,
    refused: (filter: AmiAction, error: unknown) => void = () => {},
  ): Promise<void> {
    for (const filter of this.#filters) {
      if (!again) {
        await send(filter);
        continue;
      }
      try {
        await send(filter);
      } catch (error) {
        if (!(error instanceof AmiActionError)) throw error;
        refused(filter, error);
      }
    }
  }

  /**
   * Sends the user's last mask over `send`.
   *
   * @param again After a drop, when the login had events off: the mask is
   *   sent even when the user never set one (the login's `Events` value).
   */
  async replayMask(send: (action: AmiAction) => Promise<unknown>, again = false): Promise<void> {
    const mask = this.#eventMask ??
      (again
        ? { Action: "Events", EventMask: loginEventsValue(this.credentials.events) }
        : undefined);
    if (mask !== undefined) await send(mask);
  }
}

/** The `EventMask` that selects what the login's `Events` value did (`on` when unset). */
function loginEventsValue(events: boolean | string | undefined): string {
  if (events === undefined || events === true) return "on";
  return events === false ? "off" : events;
}
