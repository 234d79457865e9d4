/**
 * The actions a test server answers through handlers: those a test adds,
 * `Ping` and `Command` (built in, but replaceable), and the names no handler
 * may take because every session answers them itself.
 *
 * @module
 */

import { CommandTable } from "./commands.ts";
import { timestamp } from "./replies.ts";
import type { AmiTestCommand } from "./server_options.ts";
import type { AmiTestHandler } from "./session.ts";

/** Actions every session answers itself. */
const RESERVED = new Set(["login", "challenge", "logoff", "events", "filter"]);

/** The handlers of one server, by action name in lower case. */
export class HandlerTable {
  readonly #handlers = new Map<string, AmiTestHandler>();
  readonly #commands = new CommandTable();
  readonly #commandFormat: () => "modern" | "legacy";

  /** @param commandFormat How `Command` answers, read at each answer. */
  constructor(commandFormat: () => "modern" | "legacy") {
    this.#commandFormat = commandFormat;
  }

  /**
   * Sets the handler of an action (any case); the latest wins.
   *
   * @throws {TypeError} for an action every session answers itself.
   */
  handle(action: string, handler: AmiTestHandler): void {
    const name = action.trim().toLowerCase();
    if (RESERVED.has(name)) {
      throw new TypeError(
        `The "${action}" action is built into every session and cannot be replaced`,
      );
    }
    this.#handlers.set(name, handler);
  }

  /** Adds a CLI command for the `Command` action. */
  command(command: string | RegExp, run: AmiTestCommand): void {
    this.#commands.add(command, run);
  }

  /** The handler for an action name in lower case: the test's, else a built-in one. */
  handlerFor(name: string): AmiTestHandler | undefined {
    return this.#handlers.get(name) ?? this.#builtIn(name);
  }

  #builtIn(name: string): AmiTestHandler | undefined {
    switch (name) {
      case "ping":
        return () => ({ Ping: "Pong", Timestamp: timestamp() });
      case "command":
        return (action, session) => this.#commands.answer(action, session, this.#commandFormat());
      default:
        return undefined;
    }
  }
}
