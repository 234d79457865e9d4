/**
 * `Name Key=Value…` on the command line to an action.
 *
 * @module
 */

import { type AmiAction, serializeAction } from "../wire/encoder.ts";
import { CliUsageError } from "./args.ts";

/**
 * Builds an action from its name and `Key=Value` arguments. Each argument is
 * split at its first `=`, so values may hold `=` (`Variable=A=1`); a key given
 * more than once is sent once per value, in order (`Variable=A=1
 * Variable=B=2`). The action is checked as the encoder would send it.
 *
 * @param command The CLI command, for messages.
 * @param args The action's name, then its `Key=Value` arguments.
 * @returns The action.
 * @throws {CliUsageError} when the name is missing, an argument has no `=`
 *   or an empty key, `Action` is given as a key, or the encoder refuses a
 *   key or value (CR, LF, …).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { actionFromArgs } from "./fields.ts";
 * const action = actionFromArgs("action", ["Originate", "Channel=PJSIP/100", "Variable=A=1", "Variable=B=2"]);
 * assert.equal(action.Action, "Originate");
 * assert.equal(String(action.Variable), "A=1,B=2");
 * ```
 */
export function actionFromArgs(command: string, args: readonly string[]): AmiAction {
  const [name, ...pairs] = args;
  if (name === undefined || name.trim() === "") {
    throw new CliUsageError("The action's name is missing", command);
  }
  if (name.includes("=")) {
    throw new CliUsageError(
      "The action's name comes first, then Key=Value arguments",
      command,
    );
  }
  const action: AmiAction = { Action: name };
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    if (equals === -1) {
      throw new CliUsageError(`Expected Key=Value, got an argument without "="`, command);
    }
    const key = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    if (key === "") throw new CliUsageError("A Key=Value argument has an empty key", command);
    if (key.toLowerCase() === "action") {
      throw new CliUsageError("The action's name is given first, not as Action=…", command);
    }
    const seen = action[key];
    if (seen === undefined) action[key] = value;
    else if (Array.isArray(seen)) action[key] = [...seen, value];
    else action[key] = [seen as string, value];
  }
  try {
    serializeAction(action);
  } catch (error) {
    if (error instanceof TypeError) throw new CliUsageError(error.message, command);
    throw error;
  }
  return action;
}
