/**
 * How a test session answers: one action at a time, responses strictly in
 * request order, and events emitted meanwhile held until the answer being
 * written is out, as Asterisk never writes an event in the middle of a
 * response.
 *
 * @module
 */

import { sleep } from "../_util/sleep.ts";
import type { AmiMessage } from "../wire/message.ts";
import type { AmiTestFaults } from "./faults.ts";
import type { AmiTestReply } from "./replies.ts";
import type { SessionProtocol } from "./session_protocol.ts";
import { error, render, type Step } from "./session_replies.ts";

/** A handler bound to its session: the answer to one action. */
export type BoundHandler = (action: AmiMessage) => AmiTestReply | Promise<AmiTestReply>;

/** What the answers need from their session. */
export interface AnswerTarget {
  /** The session's built-in actions and event filtering. */
  readonly protocol: SessionProtocol;
  /** Aborts the waits (delays, slow handlers) when the session ends. */
  readonly signal: AbortSignal;
  /** The faults in force, read each time they apply. */
  faults(): AmiTestFaults;
  /** The test's handler for an action name (in lower case), bound to the session. */
  handlerFor(lowerCaseName: string): BoundHandler | undefined;
  /** Whether the session has ended or is ending. */
  ending(): boolean;
  /** Writes bytes to the client. */
  write(bytes: Uint8Array): void;
  /** Ends the session, at once when `abort`. */
  end(abort: boolean): void;
}

/** The actions waiting for an answer, and the events held meanwhile. */
export class SessionAnswers {
  readonly #target: AnswerTarget;
  #queue: AmiMessage[] = [];
  #busy = false;
  #held: Uint8Array[] = [];

  constructor(target: AnswerTarget) {
    this.#target = target;
  }

  /** Queues an action; answers it once those before it are answered. */
  push(action: AmiMessage): void {
    this.#queue.push(action);
    if (!this.#busy) void this.#drain();
  }

  /** Writes an event now, or after the answer being written. */
  event(bytes: Uint8Array): void {
    if (this.#busy) this.#held.push(bytes);
    else this.#target.write(bytes);
  }

  /** Drops every queued action and held event: the session is ending. */
  clear(): void {
    this.#queue = [];
    this.#held = [];
  }

  async #drain(): Promise<void> {
    const target = this.#target;
    this.#busy = true;
    try {
      while (this.#queue.length > 0 && !target.ending()) {
        const step = await this.#answer(this.#queue.shift()!);
        if (target.ending()) return;
        const faults = target.faults();
        if (faults.silent) continue;
        await sleep(faults.responseDelayMs ?? 0, target.signal);
        if (target.ending()) return;
        if (step.bytes !== undefined) target.write(step.bytes);
        if (step.then !== undefined) {
          this.#held = [];
          target.end(step.then === "abort");
          return;
        }
        this.#flushHeld();
      }
    } catch {
      // A wait was cut short because the session is ending.
    } finally {
      this.#busy = false;
      if (!target.ending()) this.#flushHeld();
    }
  }

  #flushHeld(): void {
    const held = this.#held;
    this.#held = [];
    for (const bytes of held) this.#target.write(bytes);
  }

  async #answer(action: AmiMessage): Promise<Step> {
    const name = (action.get("Action") ?? "").trimStart();
    const rawId = action.get("ActionID")?.trimStart();
    const actionId = rawId === undefined || rawId === "" ? undefined : rawId;
    const builtIn = this.#target.protocol.answerBuiltIn(action, name, actionId);
    if (builtIn !== undefined) return await builtIn;
    const handler = this.#target.handlerFor(name.toLowerCase());
    if (handler === undefined) {
      return error(
        actionId,
        `Invalid/unknown command: ${name}. Use Action: ListCommands to show available commands.`,
      );
    }
    let reply: AmiTestReply;
    try {
      reply = await handler(action);
    } catch (cause) {
      return error(actionId, cause instanceof Error ? cause.message : String(cause));
    }
    return render(reply, name, actionId);
  }
}
