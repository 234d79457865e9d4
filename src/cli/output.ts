/**
 * The CLI's two output streams: writes go out in order, a failing stdout
 * (a closed pipe) stops the command instead of crashing it, the secret
 * is masked on stderr whatever prints it, and control characters (terminal
 * escape sequences from the server) are escaped on both.
 *
 * @module
 */

import { escapeControls } from "./format.ts";

/**
 * Where the CLI writes: a function that takes text and may return a
 * promise (the next write waits for it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CliWrite } from "@x/ami/cli";
 * const lines: string[] = [];
 * const write: CliWrite = (text) => void lines.push(text);
 * write("hello\n");
 * assert.equal(lines[0], "hello\n");
 * ```
 */
export type CliWrite = (text: string) => void | Promise<void>;

/** Ordered writes to stdout and stderr. */
export class Output {
  readonly #stdout: CliWrite;
  readonly #stderr: CliWrite;
  #secret: string | undefined;
  #queue: Promise<void> = Promise.resolve();
  #broken = false;

  /**
   * @param stdout Where results go.
   * @param stderr Where messages, errors and the wire trace go.
   */
  constructor(stdout: CliWrite, stderr: CliWrite) {
    this.#stdout = stdout;
    this.#stderr = stderr;
  }

  /** Masks this secret on stderr from now on. */
  hide(secret: string): void {
    this.#secret = secret;
  }

  /** Whether stdout failed (its reader went away); the command should stop. */
  get broken(): boolean {
    return this.#broken;
  }

  /** Writes a result to stdout, control characters escaped. */
  out(text: string): Promise<void> {
    const safe = escapeControls(text);
    return this.#enqueue(async () => {
      if (this.#broken) return;
      try {
        await this.#stdout(safe);
      } catch {
        this.#broken = true;
      }
    });
  }

  /** Writes a message to stderr, with the secret masked and control characters escaped. */
  err(text: string): Promise<void> {
    const secret = this.#secret;
    const masked = secret === undefined || secret === "" ? text : text.replaceAll(secret, "***");
    const safe = escapeControls(masked);
    return this.#enqueue(async () => {
      try {
        await this.#stderr(safe);
      } catch {
        // Nowhere left to report it.
      }
    });
  }

  /** Resolves once every write so far is done. */
  flush(): Promise<void> {
    return this.#queue;
  }

  #enqueue(write: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(write);
    return this.#queue;
  }
}
