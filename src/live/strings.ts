/**
 * Copies of strings that share no memory with the text they came from.
 *
 * A value read from an event may be a slice of the whole decoded batch of
 * frames (V8 keeps "sliced strings" pointing into their parent): keeping
 * one such value would keep the batch alive. The live view keeps values for
 * as long as a channel lives, so it stores copies.
 *
 * @module
 */

/**
 * A flat copy of `text` that holds no reference to the string it was cut
 * from. Concatenating makes a new string and slicing it flattens that one,
 * never the original (measured in bench/live_bench.ts).
 */
export function detached(text: string): string {
  return text.length === 0 ? "" : (" " + text).slice(1);
}

/** Asterisk writes `<unknown>` for an empty caller ID, connected line, creator or name. */
export function knownOrEmpty(text: string | undefined): string {
  return text === undefined || text === "<unknown>" ? "" : text;
}

/** Keeps `stored` when it holds the same text as `fresh` (no new copy), else copies `fresh`. */
export function reuse(stored: string | undefined, fresh: string): string {
  return stored === fresh ? stored : detached(fresh);
}
