/**
 * The realistic consumer every client runs on the event stream: per event it
 * reads `Event`, `Channel`, `Uniqueid`, `Linkedid`, `CallerIDName` and every
 * `ChanVariable`, and checks each against what the server sent.
 *
 * The server cycles through one block of synthetic events (`corpus.ts`), and
 * each event's `Uniqueid` ends in its place in that block, so an event is
 * checked against its own original even when others were lost.
 *
 * @module
 */

import { syntheticEvent } from "../corpus.ts";

/** How many distinct events the server cycles through (the consumer's table of originals). */
export const BLOCK_EVENTS = 4096;

/** What one event should hold. */
interface Original {
  event: string;
  channel: string;
  uniqueid: string;
  linkedid: string;
  callerIdName: string;
  /** Whether the caller name has characters beyond ASCII. */
  wide: boolean;
  chanVariables: string[];
}

/** The counts a stream driver reports: events seen and events whose checks failed. */
export interface ConsumerChecks {
  /** Events the consumer saw. */
  seen: number;
  /** Events whose `Event`, `Channel`, `Uniqueid`, `Linkedid` or ASCII `CallerIDName` differed. */
  fieldsWrong: number;
  /** Events whose `ChanVariable` values (two lines, a repeated key) were not both kept, in order. */
  repeatedWrong: number;
  /** Events with a non-ASCII caller name, checked for UTF-8. */
  utf8Checked: number;
  /** Of those, events whose caller name arrived altered. */
  utf8Wrong: number;
  /** One example of each kind of failure, for the report. */
  examples: string[];
}

/** Checks every event it is given against the original the server sent. */
export class RealisticConsumer {
  readonly checks: ConsumerChecks = {
    seen: 0,
    fieldsWrong: 0,
    repeatedWrong: 0,
    utf8Checked: 0,
    utf8Wrong: 0,
    examples: [],
  };
  readonly #originals: Original[] = Array.from({ length: BLOCK_EVENTS }, (_, i) => original(i));

  /**
   * Takes the six readings of one event, each read through the client's own
   * API (`undefined` or `null` where the client has no such field).
   */
  take(
    event: unknown,
    channel: unknown,
    uniqueid: unknown,
    linkedid: unknown,
    callerIdName: unknown,
    chanVariables: readonly unknown[],
  ): void {
    const checks = this.checks;
    checks.seen++;
    const id = String(uniqueid);
    const want = this.#originals[Number(id.slice(id.lastIndexOf(".") + 1)) % BLOCK_EVENTS];
    if (want === undefined || want.uniqueid !== id) {
      checks.fieldsWrong++;
      this.#example("fields", `Uniqueid ${JSON.stringify(uniqueid)}`);
      return;
    }
    if (
      event !== want.event || channel !== want.channel || linkedid !== want.linkedid ||
      (!want.wide && callerIdName !== want.callerIdName)
    ) {
      checks.fieldsWrong++;
      this.#example(
        "fields",
        `${JSON.stringify([event, channel, linkedid, callerIdName])} for ${
          JSON.stringify([want.event, want.channel, want.linkedid, want.callerIdName])
        }`,
      );
    }
    if (want.wide) {
      checks.utf8Checked++;
      if (callerIdName !== want.callerIdName) {
        checks.utf8Wrong++;
        this.#example(
          "UTF-8",
          `${JSON.stringify(callerIdName)} for ${JSON.stringify(want.callerIdName)}`,
        );
      }
    }
    const kept = want.chanVariables;
    if (
      chanVariables.length !== kept.length || chanVariables[0] !== kept[0] ||
      chanVariables[1] !== kept[1]
    ) {
      checks.repeatedWrong++;
      this.#example("ChanVariable", `${JSON.stringify(chanVariables)} for ${JSON.stringify(kept)}`);
    }
  }

  #example(kind: string, text: string): void {
    const examples = this.checks.examples;
    if (examples.length < 3 && !examples.some((line) => line.startsWith(kind))) {
      examples.push(`${kind}: ${text}`);
    }
  }
}

/**
 * The `ChanVariable` values as a client keeps them: one string (the last
 * only), an array, or a `name → value` object (rebuilt as `name=value`).
 */
export function variablesOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== "object") return [value];
  if (Array.isArray(value)) return value;
  return Object.entries(value).map(([name, content]) => `${name}=${content}`);
}

/** What event `index` of the block holds, read from its text once, before any timing. */
function original(index: number): Original {
  const lines = syntheticEvent(index).split("\r\n");
  const one = (key: string): string => {
    const line = lines.find((candidate) => candidate.startsWith(`${key}: `));
    if (line === undefined) throw new Error(`synthetic event ${index} has no "${key}"`);
    return line.slice(key.length + 2);
  };
  const callerIdName = one("CallerIDName");
  return {
    event: one("Event"),
    channel: one("Channel"),
    uniqueid: one("Uniqueid"),
    linkedid: one("Linkedid"),
    callerIdName,
    // deno-lint-ignore no-control-regex -- ASCII is exactly U+0000..U+007F
    wide: /[^\x00-\x7f]/.test(callerIdName),
    chanVariables: lines.filter((line) => line.startsWith("ChanVariable: ")).map((line) =>
      line.slice("ChanVariable: ".length)
    ),
  };
}
