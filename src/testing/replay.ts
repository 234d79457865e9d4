/**
 * Replay of a recorded AMI session: the server's bytes played back to a
 * client, cut where the recording's reads were cut, and paced by what the
 * client sends. The recording format is the one of the Asterisk fixtures:
 * `<name>.server.raw`, `<name>.client.raw` and `<name>.timeline.jsonl`.
 *
 * @module
 */

import type { AmiMessage } from "../wire/message.ts";
import { sleep } from "../_util/sleep.ts";

/** Plays a recording to one session. Internal; see `replay.ts`. */
export interface ReplayPlayer {
  play(session: ReplayTarget): Promise<void>;
}

/** What a replay may do with a session. Internal. */
export interface ReplayTarget {
  /** Aborts when the session ends. */
  readonly signal: AbortSignal;
  /** Writes bytes in order, as one write (split only by faults). */
  write(bytes: Uint8Array): Promise<boolean>;
  /** Resolves with the n-th frame the client sent (1 = first). */
  waitForFrame(n: number): Promise<AmiMessage>;
  close(): Promise<void>;
}

/**
 * One line of a `.timeline.jsonl` recording: one `send()`/`recv()` of
 * `len` bytes at offset `off` of that direction's `.raw` file, `t` seconds
 * after connecting; the last line has `eof: true` and says who closed first.
 *
 * @example
 * ```ts
 * import type { AmiReplayTimelineEntry } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * const entry: AmiReplayTimelineEntry = { t: 0.0002, dir: "s2c", off: 0, len: 30 };
 * assert.equal(entry.dir, "s2c");
 * ```
 */
export interface AmiReplayTimelineEntry {
  /** Seconds since the connection opened. */
  t: number;
  /** `s2c`: the server sent; `c2s`: the client sent. */
  dir: "s2c" | "c2s";
  /** The offset into that direction's bytes. */
  off?: number;
  /** How many bytes. */
  len?: number;
  /** Set on the last line: `dir` closed the connection first. */
  eof?: boolean;
}

/**
 * How {@linkcode AmiTestServer.replay} plays a recording.
 *
 * @example Loading a recording in a test (run with `--allow-read`)
 * ```ts ignore
 * import { AmiTestServer, parseTimeline } from "@x/ami/testing";
 *
 * const dir = new URL("./fixtures/asterisk-23/", import.meta.url);
 * await using server = AmiTestServer.replay(await Deno.readFile(new URL("04-ping.server.raw", dir)), {
 *   timeline: parseTimeline(await Deno.readTextFile(new URL("04-ping.timeline.jsonl", dir))),
 *   client: await Deno.readFile(new URL("04-ping.client.raw", dir)),
 * });
 * ```
 */
export interface AmiReplayOptions {
  /**
   * The recording's timeline (parsed, or the `.jsonl` text): the bytes are
   * written in the recorded pieces, one write each. Without it they are
   * written in one piece at connect.
   */
  timeline?: readonly AmiReplayTimelineEntry[] | string;
  /**
   * The recorded client bytes (`.client.raw`). With a timeline, each piece
   * waits until the client has sent as many actions as the recorded client
   * had at that point, and recorded ActionIDs are replaced by the ActionIDs
   * the live client used for the same action (by position), so a client
   * that numbers its actions its own way still gets its answers. Without a
   * timeline the recording is one piece, written once every action whose
   * ActionID it echoes has arrived.
   */
  client?: Uint8Array;
  /**
   * Whether to close the connection after the last piece. Defaults to what
   * the timeline says (`eof` from `s2c`), else `false`: the connection stays
   * open until the client closes it.
   */
  closeAtEnd?: boolean;
  /**
   * Plays at the recorded pace divided by this factor (1 = real time, 10 =
   * ten times faster); needs a timeline. Defaults to 0: no waiting.
   */
  speed?: number;
}

/**
 * Parses the text of a `.timeline.jsonl` file.
 *
 * @param text One JSON object per line.
 * @returns The entries, in order.
 * @throws {SyntaxError} when a line is not JSON.
 *
 * @example
 * ```ts
 * import { parseTimeline } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 * const entries = parseTimeline('{"t":0,"dir":"s2c","off":0,"len":30}\n{"t":1,"dir":"s2c","eof":true}\n');
 * assert.ok(entries.length === 2 && entries[1]!.eof === true);
 * ```
 */
export function parseTimeline(text: string): AmiReplayTimelineEntry[] {
  return text.split("\n").filter((line) => line.trim() !== "").map((line) =>
    JSON.parse(line) as AmiReplayTimelineEntry
  );
}

/** One write of the replay. */
interface Piece {
  readonly from: number;
  readonly to: number;
  /** How many client frames must have arrived before it is written. */
  readonly afterFrames: number;
  /** How long to wait before it, in milliseconds, at speed 1. */
  readonly delayMs: number;
}

/** Where an `ActionID: x` line sits, and which recorded client action it answers. */
interface IdLine {
  readonly from: number;
  readonly to: number;
  readonly frame: number;
}

const CRLF2 = [13, 10, 13, 10];
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Builds the player a replay server gives each session. Internal. */
export function createReplayPlayer(bytes: Uint8Array, options: AmiReplayOptions): ReplayPlayer {
  const timeline = typeof options.timeline === "string"
    ? parseTimeline(options.timeline)
    : options.timeline;
  const clientEnds = options.client === undefined ? undefined : frameEnds(options.client);
  const idLines = options.client === undefined ? [] : findIdLines(bytes, options.client);
  const pieces = planPieces(bytes.length, timeline, clientEnds, idLines);
  const eof = timeline?.find((entry) => entry.eof);
  const closeAtEnd = options.closeAtEnd ?? (eof !== undefined && eof.dir === "s2c");
  const speed = options.speed ?? 0;

  return {
    async play(target: ReplayTarget): Promise<void> {
      for (const piece of pieces) {
        if (piece.afterFrames > 0) await target.waitForFrame(piece.afterFrames);
        if (speed > 0) await sleep(piece.delayMs / speed, target.signal);
        const chunk = await rewrite(bytes, piece, idLines, target);
        if (!(await target.write(chunk))) return;
      }
      if (closeAtEnd) await target.close();
    },
  };
}

/** Cuts the server bytes into pieces, never inside an ActionID line. */
function planPieces(
  length: number,
  timeline: readonly AmiReplayTimelineEntry[] | undefined,
  clientEnds: number[] | undefined,
  idLines: readonly IdLine[],
): Piece[] {
  if (timeline === undefined || timeline.length === 0) {
    return length === 0 ? [] : [{ from: 0, to: length, afterFrames: 0, delayMs: 0 }];
  }
  const pieces: Piece[] = [];
  let clientBytes = 0;
  let previousT = 0;
  let from = 0;
  for (const entry of timeline) {
    const delayMs = Math.max(0, (entry.t - previousT) * 1000);
    previousT = entry.t;
    if (entry.eof || entry.len === undefined || entry.off === undefined) continue;
    if (entry.dir === "c2s") {
      clientBytes = Math.max(clientBytes, entry.off + entry.len);
      continue;
    }
    let to = Math.min(length, entry.off + entry.len);
    const inside = idLines.find((line) => line.from < to && to < line.to);
    if (inside !== undefined) to = inside.to;
    if (to <= from) continue;
    const afterFrames = clientEnds === undefined
      ? 0
      : clientEnds.filter((end) => end <= clientBytes).length;
    pieces.push({ from, to, afterFrames, delayMs });
    from = to;
  }
  if (from < length) pieces.push({ from, to: length, afterFrames: 0, delayMs: 0 });
  return pieces;
}

/** The piece's bytes, with recorded ActionIDs replaced by the live client's. */
async function rewrite(
  bytes: Uint8Array,
  piece: Piece,
  idLines: readonly IdLine[],
  target: ReplayTarget,
): Promise<Uint8Array> {
  const lines = idLines.filter((line) => line.from >= piece.from && line.to <= piece.to);
  if (lines.length === 0) return bytes.slice(piece.from, piece.to);
  const parts: Uint8Array[] = [];
  let at = piece.from;
  for (const line of lines) {
    parts.push(bytes.subarray(at, line.from));
    const live: AmiMessage = await target.waitForFrame(line.frame);
    const id = live.get("ActionID")?.trimStart();
    if (id !== undefined && id !== "") parts.push(encoder.encode(`ActionID: ${id}\r\n`));
    at = line.to;
  }
  parts.push(bytes.subarray(at, piece.to));
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The offsets just past each frame's closing empty line. */
function frameEnds(bytes: Uint8Array): number[] {
  const ends: number[] = [];
  let start = 0;
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (
      bytes[i] === CRLF2[0] && bytes[i + 1] === CRLF2[1] && bytes[i + 2] === CRLF2[2] &&
      bytes[i + 3] === CRLF2[3]
    ) {
      // A run of empty lines before a frame is not a frame.
      if (i > start) ends.push(i + 4);
      start = i + 4;
      i += 3;
    }
  }
  return ends;
}

/**
 * Finds the server's `ActionID:` lines whose value a recorded client action
 * used, with that action's position (1 = the client's first frame).
 */
function findIdLines(server: Uint8Array, client: Uint8Array): IdLine[] {
  const frameOf = new Map<string, number>();
  const clientText = decoder.decode(client);
  let frame = 0;
  for (const block of clientText.split("\r\n\r\n")) {
    if (block.replace(/\r\n/g, "") === "") continue;
    frame++;
    const match = /(?:^|\r\n)ActionID:[ \t]*([^\r\n]*)/i.exec(block);
    const id = match?.[1];
    if (id !== undefined && id !== "" && !frameOf.has(id)) frameOf.set(id, frame);
  }
  const lines: IdLine[] = [];
  if (frameOf.size === 0) return lines;
  // Latin-1 keeps one character per byte, so string offsets are byte offsets.
  const text = decodeLatin1(server);
  const pattern = /(?:^|\r\n)(ActionID: ([^\r\n]*)\r\n)/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const line = match[1]!;
    const id = decoder.decode(encodeLatin1(match[2]!));
    const position = frameOf.get(id);
    const from = match.index + match[0].length - line.length;
    if (position !== undefined) lines.push({ from, to: from + line.length, frame: position });
    pattern.lastIndex = from + line.length - 2;
  }
  return lines;
}

function decodeLatin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return text;
}

function encodeLatin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
