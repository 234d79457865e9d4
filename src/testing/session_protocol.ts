/**
 * What an Asterisk manager session answers itself, and the state it keeps:
 * Challenge and Login (plain or MD5), `Permission denied` before login,
 * `Logoff`, the event mask (`Events`) and filters (`Filter`). Every other
 * action goes to the server's handlers.
 *
 * @module
 */

import { sleep } from "../_util/sleep.ts";
import { md5LoginKey } from "../client/login.ts";
import { AmiMessage } from "../wire/message.ts";
import {
  type EventFilter,
  type EventMask,
  EVERY_EVENT_CLASS,
  filtersAllow,
  maskAllows,
  parseEventFilter,
  parseEventMask,
} from "./event_filter.ts";
import type { AmiTestFaults } from "./faults.ts";
import { error, response, type Step, success } from "./session_replies.ts";

/** What the protocol needs from the server. */
export interface ProtocolHost {
  users(): Readonly<Record<string, string>>;
  authFailureDelayMs(): number;
  /** When the server started, for `FullyBooted`'s uptime. */
  startedAt(): number;
  /** Whether a Login is followed by `FullyBooted` (Asterisk has finished booting). */
  fullyBooted(): boolean;
}

/** What the protocol needs from its session. */
export interface ProtocolSession {
  /** The faults in force now. */
  faults(): AmiTestFaults;
  /** Aborts when the session ends. */
  readonly signal: AbortSignal;
  /** Queues an event (held until the current answer is written). */
  emit(message: AmiMessage): void;
}

/** The login, mask and filter state of one session, and its built-in answers. */
export class SessionProtocol {
  authenticated = false;
  username: string | undefined;
  mask: EventMask = EVERY_EVENT_CLASS;
  /** The `Filter` actions accepted, in order. */
  readonly filterActions: AmiMessage[] = [];
  readonly #filters: EventFilter[] = [];
  readonly #host: ProtocolHost;
  readonly #session: ProtocolSession;
  #challenge: string | undefined;

  constructor(host: ProtocolHost, session: ProtocolSession) {
    this.#host = host;
    this.#session = session;
  }

  /** Whether an event passes the session's mask and filters. */
  allows(message: AmiMessage): boolean {
    return maskAllows(this.mask, message) && filtersAllow(this.#filters, message);
  }

  /**
   * Answers the actions a session answers itself; `undefined` for any other
   * action once logged in (the server's handlers answer those). Only Login
   * answers later, so that a handler runs in the same turn as its frame.
   */
  answerBuiltIn(
    action: AmiMessage,
    name: string,
    actionId: string | undefined,
  ): Step | Promise<Step> | undefined {
    if (name === "") return error(actionId, "Missing action in request");
    switch (name.toLowerCase()) {
      case "login":
        return this.#login(action, actionId);
      case "challenge":
        return this.#answerChallenge(action, actionId);
      case "logoff":
        return {
          ...response(actionId, "Goodbye", [["Message", "Thanks for all the fish."]]),
          then: "close",
        };
    }
    if (!this.authenticated) return error(actionId, "Permission denied");
    switch (name.toLowerCase()) {
      case "events":
        return this.#answerEvents(action, actionId);
      case "filter":
        return this.#answerFilter(action, actionId);
      default:
        return undefined;
    }
  }

  async #login(action: AmiMessage, actionId: string | undefined): Promise<Step> {
    if (this.authenticated) return success(actionId, "Already authenticated");
    const username = action.get("Username") ?? "";
    if (!this.#accepts(action, username)) {
      await sleep(this.#host.authFailureDelayMs(), this.#session.signal);
      return { ...error(actionId, "Authentication failed"), then: "close" };
    }
    this.authenticated = true;
    this.username = username;
    this.mask = parseEventMask(action.get("Events")) ?? EVERY_EVENT_CLASS;
    const uptime = String(Math.max(0, Math.floor((Date.now() - this.#host.startedAt()) / 1000)));
    // Held, so it follows the response as on the wire; none while Asterisk is still booting.
    if (this.#host.fullyBooted()) {
      this.#session.emit(
        new AmiMessage([
          ["Event", "FullyBooted"],
          ["Privilege", "system,all"],
          ["Uptime", uptime],
          ["LastReload", uptime],
          ["Status", "Fully Booted"],
        ]),
      );
    }
    return success(actionId, "Authentication accepted");
  }

  /** Whether a Login's credentials are right (and logins are not refused). */
  #accepts(action: AmiMessage, username: string): boolean {
    const users = this.#host.users();
    const secret = Object.hasOwn(users, username) ? users[username] : undefined;
    if (secret === undefined || this.#session.faults().refuseLogin) return false;
    if ((action.get("AuthType") ?? "").toLowerCase() === "md5") {
      return this.#challenge !== undefined &&
        action.get("Key") === md5LoginKey(this.#challenge, secret);
    }
    return action.get("Secret") === secret;
  }

  #answerChallenge(action: AmiMessage, actionId: string | undefined): Step {
    if ((action.get("AuthType") ?? "").toLowerCase() !== "md5") {
      return error(actionId, "Must specify AuthType");
    }
    this.#challenge ??= String(crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000_000);
    return response(actionId, "Success", [["Challenge", this.#challenge]]);
  }

  #answerEvents(action: AmiMessage, actionId: string | undefined): Step {
    const mask = parseEventMask(action.get("EventMask"));
    if (mask === undefined) return error(actionId, "Invalid event mask");
    this.mask = mask;
    return response(actionId, "Success", [["Events", mask === 0 ? "Off" : "On"]]);
  }

  #answerFilter(action: AmiMessage, actionId: string | undefined): Step {
    // Filter is registered with EVENT_FLAG_SYSTEM: the user needs write=system.
    if (this.#session.faults().refuseFilter) return error(actionId, "Permission denied");
    if ((action.get("Operation") ?? "").toLowerCase() !== "add") {
      return error(actionId, "Unknown operation");
    }
    let filter: EventFilter;
    try {
      filter = parseEventFilter(action.get("Filter"), action.get("MatchCriteria"));
    } catch (cause) {
      return error(actionId, (cause as Error).message);
    }
    this.#filters.push(filter);
    this.filterActions.push(action);
    return success(actionId, "Success");
  }
}
