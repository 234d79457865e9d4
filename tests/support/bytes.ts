/**
 * Byte arrays for tests: joining chunks, and building input from text and
 * bytes mixed.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Joins byte chunks into one array. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** The bytes of `parts` in order, strings encoded as UTF-8. */
export function bytesOf(...parts: (string | Uint8Array)[]): Uint8Array {
  return concat(parts.map((part) => typeof part === "string" ? encoder.encode(part) : part));
}
