/**
 * Fault injection for {@linkcode AmiTestServer}: the switches that make a
 * session misbehave, and ready-made bad bytes to send with
 * {@linkcode AmiTestSession.send}.
 *
 * @module
 */

/**
 * Ways a test server's sessions can misbehave. Set them for every session
 * with the server's `faults` option or its live {@linkcode AmiTestServer.faults}
 * object, or for one session with {@linkcode AmiTestSession.faults}; a
 * session's own setting wins. They combine freely and are read each time they
 * apply, so changing one mid-session takes effect at the next write or action.
 *
 * @example A server that splits its output into 3-byte writes and answers slowly
 * ```ts
 * import { AmiTestServer } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = new AmiTestServer({
 *   faults: { chunkSize: 3, responseDelayMs: 5 },
 * });
 * server.faults.silent = true; // from now on, every session stops answering
 * assert.equal(server.faults.chunkSize, 3);
 * ```
 */
export interface AmiTestFaults {
  /** Splits every write into pieces of at most this many bytes. */
  chunkSize?: number;
  /**
   * Splits the output at these byte offsets, counted from the first byte the
   * session sent (the banner's first byte is offset 0).
   */
  splitAt?: readonly number[];
  /**
   * Waits this long between the pieces of a split write, so that even TCP
   * delivers them as separate reads.
   */
  chunkDelayMs?: number;
  /** Waits this long before writing each response. */
  responseDelayMs?: number;
  /**
   * Goes silent: actions are still read and recorded, but nothing is answered
   * and no event is sent; the connection stays open (a half-open peer).
   */
  silent?: boolean;
  /**
   * Answers every `Filter` with `Permission denied`, as Asterisk does for a
   * user without `write=system`.
   */
  refuseFilter?: boolean;
  /** Answers every Login with `Authentication failed`, then closes. */
  refuseLogin?: boolean;
  /** Closes each new connection at once, before the banner. */
  closeOnConnect?: boolean;
}

/**
 * Bytes that are not AMI at all: deterministic pseudo-random bytes, CR and LF
 * included, from a seed.
 *
 * @param length How many bytes.
 * @param seed Chooses the sequence; the same seed gives the same bytes.
 * @returns The bytes.
 *
 * @example
 * ```ts
 * import { garbageBytes } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * assert.equal(garbageBytes(16, 1).length, 16);
 * assert.equal(garbageBytes(8, 7).join(), garbageBytes(8, 7).join());
 * ```
 */
export function garbageBytes(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = (seed >>> 0) || 1;
  for (let i = 0; i < length; i++) {
    // xorshift32: small, fast and good enough to look like noise.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

/**
 * A complete event whose value holds bytes that are not valid UTF-8.
 *
 * @param name The event name.
 * @returns The frame's bytes.
 *
 * @example
 * ```ts
 * import { invalidUtf8Event } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * const bytes = invalidUtf8Event("Broken");
 * assert.ok(bytes.includes(0xff));
 * ```
 */
export function invalidUtf8Event(name = "UserEvent"): Uint8Array {
  const head = new TextEncoder().encode(`Event: ${name}\r\nPrivilege: user,all\r\nBody: bad `);
  const tail = new TextEncoder().encode("\r\n\r\n");
  const bad = Uint8Array.of(0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82);
  const frame = new Uint8Array(head.length + bad.length + tail.length);
  frame.set(head);
  frame.set(bad, head.length);
  frame.set(tail, head.length + bad.length);
  return frame;
}

/**
 * A complete, well-formed event of at least `bytes` bytes: one huge value.
 * Use it to test a client's frame size cap.
 *
 * @param bytes The least size of the frame.
 * @param name The event name.
 * @returns The frame's bytes.
 *
 * @example
 * ```ts
 * import { oversizeFrame } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * assert.ok(oversizeFrame(2 * 1024 * 1024).length >= 2 * 1024 * 1024);
 * ```
 */
export function oversizeFrame(bytes: number, name = "UserEvent"): Uint8Array {
  const head = new TextEncoder().encode(`Event: ${name}\r\nPrivilege: user,all\r\nBody: `);
  const tail = new TextEncoder().encode("\r\n\r\n");
  const fill = Math.max(0, bytes - head.length - tail.length);
  const frame = new Uint8Array(head.length + fill + tail.length);
  frame.set(head);
  frame.fill(0x78, head.length, head.length + fill); // "x"
  frame.set(tail, head.length + fill);
  return frame;
}

/**
 * Cuts `bytes`, which start at `offset` in the session's output, where the
 * faults say: every `chunkSize` bytes and at each `splitAt` offset.
 */
export function splitForFaults(
  bytes: Uint8Array,
  offset: number,
  faults: AmiTestFaults,
): Uint8Array[] {
  const cuts = new Set<number>();
  const end = offset + bytes.length;
  for (const at of faults.splitAt ?? []) if (at > offset && at < end) cuts.add(at - offset);
  const size = faults.chunkSize;
  if (size !== undefined && size > 0) {
    for (let at = size; at < bytes.length; at += size) cuts.add(at);
  }
  if (cuts.size === 0) return [bytes];
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    pieces.push(bytes.subarray(start, cut));
    start = cut;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}
