/**
 * The byte-level AMI frame parser: bytes in, {@linkcode AmiMessage}s out.
 * It knows nothing of sockets: feed it chunks as they arrive, in any sizes.
 *
 * @module
 */

import { AmiProtocolError } from "../errors.ts";
import { type AmiMessage, createMessage } from "./message.ts";
import type { KnownKeys } from "./fields.ts";
import type { AmiParsedMessage } from "./message_types.ts";
import {
  findEnd,
  findFrameEnd,
  FRAME_START_LOOKAHEAD,
  LEGACY_START,
  legacyReplyComplete,
  startsWith,
  tailToKeep,
} from "./_frame_scan.ts";

const CR = 13;
const LF = 10;
const COLON = 58;
const INITIAL_BUFFER_BYTES = 64 * 1024;
/** Nothing: what the batch points into between pushes, so no read is kept alive. */
const NO_BYTES = new Uint8Array(0);
/** Frames are decoded in batches of about this many bytes (see `#batch`). */
const BATCH_BYTES = 4096;

/** The default cap on one frame's size: 1 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

/**
 * Options of {@linkcode AmiFrameParser} and {@linkcode AmiDecoderStream}.
 *
 * @example
 * ```ts
 * import type { AmiParserOptions } from "@x/ami";
 * import assert from "node:assert/strict";
 * const options: AmiParserOptions = { maxFrameBytes: 4 * 1024 * 1024, banner: false };
 * assert.equal(options.banner, false);
 * ```
 */
export interface AmiParserOptions {
  /**
   * The largest frame accepted, in bytes. A larger frame is skipped and
   * reported through `onError`; parsing goes on with the next frame.
   * Defaults to {@linkcode DEFAULT_MAX_FRAME_BYTES}.
   */
  maxFrameBytes?: number;
  /**
   * Whether the stream starts with the `Asterisk Call Manager/X.Y.Z` line.
   * Defaults to `true`: a first line without a colon is taken as the banner.
   */
  banner?: boolean;
  /** Called once with the banner line, without its line end. */
  onBanner?: (banner: string) => void;
  /** Called for each frame that was skipped or cut short. Never throws into the stream. */
  onError?: (error: AmiProtocolError) => void;
  /**
   * Numbers the frames handed on: called once per delivered message, in
   * order, its result becomes the message's `seq`. A client passes one
   * counter to each of its connections, so the numbers increase across
   * reconnects.
   */
  sequence?: () => number;
}

/** What the parser is doing: reading the banner, reading frames, or skipping an oversize frame. */
const ParserState = { Banner: 0, Frames: 1, Skipping: 2 } as const;
type ParserState = typeof ParserState[keyof typeof ParserState];
/** What a state's step returns when the bytes so far are all it can use. */
const NEED_MORE = -1;

/**
 * A synchronous AMI frame parser over bytes. Frames end with an empty line;
 * values are split at the first colon; UTF-8 split across chunks, invalid
 * UTF-8, colon-less lines, extra empty lines, the banner and the legacy
 * `Response: Follows` reply to `Command` are all handled, and none of them
 * stops the parser.
 *
 * It copies bytes only when a frame spans two chunks, and decodes each frame
 * once.
 *
 * @example Parsing chunks as they arrive
 * ```ts
 * import { AmiFrameParser, type AmiParsedMessage } from "@x/ami";
 * import assert from "node:assert/strict";
 *
 * const messages: AmiParsedMessage[] = [];
 * const parser = new AmiFrameParser((message) => messages.push(message));
 * const bytes = new TextEncoder().encode(
 *   "Asterisk Call Manager/13.0.0\r\nResponse: Success\r\nPing: Pong\r\n\r\n",
 * );
 * parser.push(bytes.subarray(0, 40));
 * parser.push(bytes.subarray(40));
 * assert.equal(parser.banner, "Asterisk Call Manager/13.0.0");
 * assert.equal(messages[0]?.Ping, "Pong"); // fields read by name: string | undefined
 * ```
 *
 * @example Typed fields in the callback
 * ```ts
 * import { AmiFrameParser } from "@x/ami";
 * import assert from "node:assert/strict";
 *
 * const hangups: string[] = [];
 * const parser = new AmiFrameParser((message) => {
 *   if (message.Event === "Hangup") hangups.push(message.Channel ?? "?");
 * }, { banner: false });
 * parser.push(new TextEncoder().encode("Event: Hangup\r\nChannel: PJSIP/100-01\r\n\r\n"));
 * assert.deepEqual(hangups, ["PJSIP/100-01"]);
 * ```
 */
export class AmiFrameParser {
  readonly #onMessage: (message: AmiParsedMessage) => void;
  readonly #onBanner: ((banner: string) => void) | undefined;
  readonly #onError: ((error: AmiProtocolError) => void) | undefined;
  readonly #sequence: (() => number) | undefined;
  readonly #maxFrameBytes: number;
  readonly #decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  /** The keys of the frames read so far, by position, re-used by the next ones. */
  readonly #knownKeys: KnownKeys = [];
  /** Frames found in the bytes being parsed and not yet decoded: `[start, end)` offsets. */
  #batchStarts: number[] = [];
  #batchEnds: number[] = [];
  #batchReceivedAt = 0;
  /** The bytes the batched offsets point into. */
  #batchData: Uint8Array = NO_BYTES;
  #state: ParserState;
  #banner: string | undefined;
  /** Bytes of an unfinished frame, kept between chunks. */
  #buffer = new Uint8Array(0);
  #buffered = 0;
  /** Where, in the buffered bytes, the search for the frame's end resumes. */
  #resumeAt = 0;
  /** Whether the frame being skipped is a legacy Command reply, which ends at --END COMMAND--. */
  #skippingLegacy = false;
  /** While parsing: where the search for the current frame's end goes on. */
  #scan = 0;
  /** While parsing: when the bytes being parsed arrived (0 until a frame needs it). */
  #receivedAt = 0;
  /** Set with {@linkcode NEED_MORE}: how many bytes the parse consumed. */
  #consumed = 0;

  /**
   * Creates a parser.
   *
   * @param onMessage Called with each complete message, in order; its fields read by name
   *   (`message.Event`), as `string | undefined`.
   * @param options Size cap, banner handling and hooks.
   */
  constructor(onMessage: (message: AmiParsedMessage) => void, options: AmiParserOptions = {}) {
    this.#onMessage = onMessage;
    this.#onBanner = options.onBanner;
    this.#onError = options.onError;
    this.#sequence = options.sequence;
    this.#maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.#state = options.banner === false ? ParserState.Frames : ParserState.Banner;
  }

  /**
   * Parses every frame in a whole input at once.
   *
   * @param input Bytes or text of zero or more frames.
   * @param options Parser options; `banner` defaults to `true`.
   * @returns The messages, in order.
   *
   * @example
   * ```ts
   * import { AmiFrameParser } from "@x/ami";
   * import assert from "node:assert/strict";
   * const messages = AmiFrameParser.parseAll("Event: A\r\n\r\nEvent: B\r\n\r\n");
   * assert.equal(messages.map((m) => m.name).join(), "A,B");
   * ```
   */
  static parseAll(input: Uint8Array | string, options?: AmiParserOptions): AmiParsedMessage[] {
    const messages: AmiParsedMessage[] = [];
    const parser = new AmiFrameParser((message) => messages.push(message), options);
    parser.push(typeof input === "string" ? new TextEncoder().encode(input) : input);
    parser.end();
    return messages;
  }

  /**
   * The banner line, once it has been read.
   *
   * @example
   * ```ts
   * import { AmiFrameParser } from "@x/ami";
   * import assert from "node:assert/strict";
   * const parser = new AmiFrameParser(() => {});
   * parser.push(new TextEncoder().encode("Asterisk Call Manager/13.0.0\r\n"));
   * assert.equal(parser.banner, "Asterisk Call Manager/13.0.0");
   * ```
   */
  get banner(): string | undefined {
    return this.#banner;
  }

  /**
   * Feeds one chunk. Complete messages are passed to `onMessage` before this
   * returns; an unfinished frame is kept for the next chunk.
   *
   * @param chunk The next bytes of the stream.
   *
   * @example
   * ```ts
   * import { AmiFrameParser } from "@x/ami";
   * import assert from "node:assert/strict";
   * let count = 0;
   * const parser = new AmiFrameParser(() => count++, { banner: false });
   * for (const byte of new TextEncoder().encode("Event: A\r\n\r\n")) parser.push(Uint8Array.of(byte));
   * assert.equal(count, 1);
   * ```
   */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // A frame left unfinished by the last chunk takes bytes from this one until it is done;
    // the rest is parsed straight out of the chunk, and only its unfinished tail is copied.
    const taken = this.#buffered === 0 ? 0 : this.#finishBuffered(chunk);
    if (taken === chunk.length) return;
    const rest = taken === 0 ? chunk : chunk.subarray(taken);
    const consumed = this.#parseAndFlush(rest, rest.length, 0);
    this.#keep(rest, consumed, rest.length);
  }

  /**
   * Moves bytes of `chunk` to the buffered, unfinished frame, up to each
   * CRLFCRLF that may end it in turn, until nothing is left buffered;
   * returns how many bytes were taken. The frame spanning the two reads is
   * all that gets copied.
   */
  #finishBuffered(chunk: Uint8Array): number {
    let taken = 0;
    while (this.#buffered > 0 && taken < chunk.length) {
      // Up to the next CRLFCRLF, counting one begun in the buffer first.
      let upTo = taken === 0 ? this.#endAcross(chunk) : -1;
      if (upTo === -1) {
        const end = findFrameEnd(chunk, chunk.length, taken);
        upTo = end === -1 ? chunk.length : end + 4;
      }
      this.#append(chunk.subarray(taken, upTo));
      taken = upTo;
      const buffered = this.#buffer.subarray(0, this.#buffered);
      const consumed = this.#parseAndFlush(buffered, this.#buffered, this.#resumeAt);
      this.#keep(buffered, consumed, this.#buffered);
    }
    return taken;
  }

  /** Where a CRLFCRLF begun in the buffer (its last one to three bytes) ends in `chunk`, or -1. */
  #endAcross(chunk: Uint8Array): number {
    const buffer = this.#buffer;
    const length = this.#buffered;
    for (let inChunk = 1; inChunk <= 3; inChunk++) {
      const inBuffer = 4 - inChunk;
      if (length < inBuffer || chunk.length < inChunk) continue;
      let matches = true;
      for (let i = 0; i < 4 && matches; i++) {
        const byte = i < inBuffer ? buffer[length - inBuffer + i] : chunk[i - inBuffer];
        matches = byte === (i % 2 === 0 ? CR : LF);
      }
      if (matches) return inChunk;
    }
    return -1;
  }

  /**
   * Ends the stream. An unfinished frame is reported through `onError` as
   * `truncated-frame` (the peer closed mid-frame) and dropped.
   *
   * @example
   * ```ts
   * import { AmiFrameParser, type AmiProtocolError } from "@x/ami";
   * import assert from "node:assert/strict";
   * const errors: AmiProtocolError[] = [];
   * const parser = new AmiFrameParser(() => {}, { banner: false, onError: (e) => errors.push(e) });
   * parser.push(new TextEncoder().encode("Event: Hangup\r\nChan"));
   * parser.end();
   * assert.ok(errors[0]?.kind === "truncated-frame");
   * ```
   */
  end(): void {
    if (this.#buffered > 0 && this.#state !== ParserState.Skipping) {
      const partial = this.#decoder.decode(this.#buffer.subarray(0, this.#buffered));
      this.#report(
        `The stream ended inside a frame; ${this.#buffered} bytes dropped`,
        "truncated-frame",
        partial.includes(":")
          ? createMessage(partial.replace(/(\r\n)+$/, ""), Date.now())
          : undefined,
      );
    }
    this.#buffered = 0;
    this.#resumeAt = 0;
    this.#buffer = new Uint8Array(0);
  }

  /** {@linkcode AmiFrameParser.#parse}, then hands on the frames still batched. */
  #parseAndFlush(data: Uint8Array, length: number, resumeAt: number): number {
    try {
      return this.#parse(data, length, resumeAt);
    } finally {
      this.#decodeBatch();
      this.#batchData = NO_BYTES;
    }
  }

  /**
   * Parses whole frames out of `data[0, length)`, resuming the end-of-frame
   * search at `resumeAt`. Returns how many bytes were consumed; the rest is
   * kept for the next chunk, with the search resuming at `#resumeAt`.
   *
   * Whether a frame is too large never depends on how the bytes were
   * chunked: an unfinished frame is declared too large only once its body
   * (the bytes before a possible partial CRLFCRLF) is over the cap.
   */
  #parse(data: Uint8Array, length: number, resumeAt: number): number {
    this.#scan = resumeAt;
    this.#receivedAt = 0;
    let start = 0;
    while (start < length) {
      if (this.#state !== ParserState.Skipping) {
        // Empty lines between frames (app_queue writes an extra one) are skipped.
        while (start < length && (data[start] === CR || data[start] === LF)) start++;
        if (start >= length) break;
        if (this.#scan < start) this.#scan = start;
      }
      const next = this.#state === ParserState.Skipping
        ? this.#skipOversize(data, start, length)
        : this.#state === ParserState.Banner
        ? this.#readBanner(data, start, length)
        : this.#readFrame(data, start, length);
      if (next === NEED_MORE) return this.#consumed;
      start = next;
    }
    this.#resumeAt = 0;
    return length;
  }

  /**
   * Skips the rest of an oversize frame. Returns where the next frame
   * starts, or {@linkcode NEED_MORE} with `#consumed` set.
   */
  #skipOversize(data: Uint8Array, start: number, length: number): number {
    const legacy = this.#skippingLegacy;
    const end = findEnd(data, start, length, Math.max(this.#scan, start), legacy);
    if (end < 0) {
      // Keep only the bytes that could begin the closing CRLFCRLF (and, for a
      // legacy reply, the --END COMMAND-- before it or the frame start after it).
      return this.#needMore(Math.max(start, length - tailToKeep(legacy)), 0);
    }
    this.#state = ParserState.Frames;
    this.#skippingLegacy = false;
    return this.#scan = end + 4;
  }

  /**
   * Reads the first line: the banner when it has no colon, else it is left
   * to be read as the first frame's. Returns where to go on, or
   * {@linkcode NEED_MORE} with `#consumed` set.
   */
  #readBanner(data: Uint8Array, start: number, length: number): number {
    const lf = data.indexOf(LF, this.#scan);
    if (lf < 0) {
      // The line so far, less a CR that may end it, is already over the cap.
      if (length - start - 1 > this.#maxFrameBytes) {
        this.#tooLarge(length - start, false);
        return this.#needMore(Math.max(start, length - tailToKeep(false)), 0);
      }
      return this.#needMore(start, length - start);
    }
    this.#state = ParserState.Frames;
    const lineEnd = lf > start && data[lf - 1] === CR ? lf - 1 : lf;
    if (lineEnd - start > this.#maxFrameBytes) {
      // An endless first line is skipped like an oversize frame, up to the next empty line.
      this.#tooLarge(lineEnd - start, false);
      return this.#scan = start;
    }
    const line = data.subarray(start, lineEnd);
    if (line.indexOf(COLON) < 0) {
      this.#banner = this.#decoder.decode(line);
      this.#onBanner?.(this.#banner);
      start = lf + 1;
    }
    return this.#scan = start;
  }

  /**
   * Reads one frame starting at `start`. Returns where the next one starts,
   * or {@linkcode NEED_MORE} with `#consumed` set.
   */
  #readFrame(data: Uint8Array, start: number, length: number): number {
    const legacy = startsWith(data, start, length, LEGACY_START);
    const end = findEnd(data, start, length, this.#scan, legacy);
    if (end < 0) {
      const unfinished = length - start;
      // The body ends at most this far back: before a partial CRLFCRLF or, in a legacy reply,
      // at a CRLFCRLF followed by too few bytes yet to tell whether a frame starts there.
      const lookBack = legacy ? 4 + FRAME_START_LOOKAHEAD : 3;
      // Too large once the body is over the cap and it is known whether the frame is legacy.
      if (
        unfinished - lookBack > this.#maxFrameBytes &&
        (legacy || unfinished >= LEGACY_START.length)
      ) {
        this.#tooLarge(unfinished, legacy);
        return this.#needMore(Math.max(start, length - tailToKeep(legacy)), 0);
      }
      return this.#needMore(start, Math.max(0, unfinished - lookBack));
    }
    if (end - start > this.#maxFrameBytes) {
      this.#tooLarge(end - start, false);
      this.#state = ParserState.Frames;
    } else if (legacy && !legacyReplyComplete(data, start, end)) {
      this.#cutShort(data, start, end);
    } else {
      if (this.#receivedAt === 0) this.#receivedAt = Date.now();
      this.#batch(data, start, end, this.#receivedAt, legacy);
    }
    return this.#scan = end + 4;
  }

  /** Stops parsing this chunk: `consumed` bytes are done, the search resumes at `resumeAt`. */
  #needMore(consumed: number, resumeAt: number): typeof NEED_MORE {
    this.#consumed = consumed;
    this.#resumeAt = resumeAt;
    return NEED_MORE;
  }

  /**
   * Reports a legacy Command reply that a normal frame followed before its
   * `--END COMMAND--`: the reply is not delivered (its output may be cut),
   * and parsing goes on with that frame.
   */
  #cutShort(data: Uint8Array, start: number, end: number): void {
    this.#decodeBatch();
    const text = this.#decoder.decode(data.subarray(start, end));
    this.#report(
      "A legacy Command reply ended without its --END COMMAND-- line; it was dropped",
      "truncated-frame",
      createMessage(text, Date.now()),
    );
  }

  /**
   * Adds the frame `data[start, end)` to the frames decoded together. One
   * decode per batch instead of one per frame saves most of the decoding
   * cost; batches stay small ({@linkcode BATCH_BYTES}) because every message
   * keeps the text of its batch alive. A legacy `Command` reply may hold
   * empty lines, so it is decoded on its own.
   */
  #batch(
    data: Uint8Array,
    start: number,
    end: number,
    receivedAt: number,
    isLegacyCommand: boolean,
  ): void {
    const first = this.#batchStarts[0];
    if (isLegacyCommand || (first !== undefined && end - first > BATCH_BYTES)) this.#decodeBatch();
    this.#batchStarts.push(start);
    this.#batchEnds.push(end);
    this.#batchData = data;
    this.#batchReceivedAt = receivedAt;
    if (isLegacyCommand) this.#decodeBatch();
  }

  /**
   * Decodes the batched frames in one go and hands each on. Frame ends are
   * known in bytes; in the text, every character before a frame's end that
   * took more than one byte moves it back. The bytes still to come, less the
   * characters still to come, bound how far back, so the search for the
   * frame's CRLFCRLF starts at most that far before the end in bytes, and
   * not at all when every character was one byte.
   */
  #decodeBatch(): void {
    const starts = this.#batchStarts;
    const count = starts.length;
    if (count === 0) return;
    const ends = this.#batchEnds;
    const last = ends[count - 1]!;
    const text = this.#decoder.decode(this.#batchData.subarray(starts[0]!, last));
    const receivedAt = this.#batchReceivedAt;
    // Cleared first: a message handler may push more bytes.
    this.#batchStarts = [];
    this.#batchEnds = [];
    let from = 0;
    for (let i = 0; i < count; i++) {
      const start = starts[i]!;
      const bytes = ends[i]! - start;
      let to: number;
      if (i === count - 1) {
        to = text.length;
      } else {
        const slack = last - start - (text.length - from);
        to = slack === 0
          ? from + bytes
          : text.indexOf("\r\n\r\n", from + Math.max(0, bytes - slack));
      }
      const body = text.slice(from, to);
      const message = createMessage(body, receivedAt, this.#sequence?.(), this.#knownKeys);
      // The message's fields are its own properties: the typed view is what it is.
      this.#onMessage(message as AmiParsedMessage);
      // Between frames there are only CR and LF bytes, one character each.
      if (i < count - 1) from = to + (starts[i + 1]! - ends[i]!);
    }
  }

  #tooLarge(bytes: number, legacy: boolean): void {
    // Messages before the frame come before its error.
    this.#decodeBatch();
    this.#state = ParserState.Skipping;
    this.#skippingLegacy = legacy;
    this.#report(
      `A frame of more than ${this.#maxFrameBytes} bytes (${bytes} so far) was skipped`,
      "frame-too-large",
    );
  }

  #report(text: string, kind: "frame-too-large" | "truncated-frame", frame?: AmiMessage): void {
    this.#onError?.(new AmiProtocolError(text, kind, frame));
  }

  /** Keeps `data[from, to)` as the start of the next frame. */
  #keep(data: Uint8Array, from: number, to: number): void {
    const rest = to - from;
    if (rest === 0) {
      this.#buffered = 0;
      if (this.#buffer.length > 4 * INITIAL_BUFFER_BYTES) this.#buffer = new Uint8Array(0);
      return;
    }
    if (data.buffer === this.#buffer.buffer) {
      if (from > 0) this.#buffer.copyWithin(0, from, to);
    } else {
      if (this.#buffer.length < rest) this.#buffer = new Uint8Array(grow(rest));
      this.#buffer.set(data.subarray(from, to));
    }
    this.#buffered = rest;
  }

  #append(chunk: Uint8Array): void {
    const needed = this.#buffered + chunk.length;
    if (this.#buffer.length < needed) {
      const bigger = new Uint8Array(grow(needed));
      bigger.set(this.#buffer.subarray(0, this.#buffered));
      this.#buffer = bigger;
    }
    this.#buffer.set(chunk, this.#buffered);
    this.#buffered = needed;
  }
}

/** The next capacity at least `needed` bytes: doubling keeps appends linear. */
function grow(needed: number): number {
  let capacity = INITIAL_BUFFER_BYTES;
  while (capacity < needed) capacity *= 2;
  return capacity;
}
