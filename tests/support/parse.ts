import type { AmiProtocolError } from "../../src/errors.ts";
import type { AmiMessage } from "../../src/wire/message.ts";
import { AmiFrameParser, type AmiParserOptions } from "../../src/wire/parser.ts";

/** Everything a parser reported for one stream. */
export interface Parsed {
  banner: string | undefined;
  bannerCalls: string[];
  messages: AmiMessage[];
  errors: AmiProtocolError[];
}

/** Feeds the chunks in order to a new parser, then ends the stream. */
export function parseChunks(chunks: Iterable<Uint8Array>, options: AmiParserOptions = {}): Parsed {
  const parsed: Parsed = { banner: undefined, bannerCalls: [], messages: [], errors: [] };
  const parser = new AmiFrameParser((message) => parsed.messages.push(message), {
    ...options,
    onBanner: (banner) => parsed.bannerCalls.push(banner),
    onError: (error) => parsed.errors.push(error),
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  parsed.banner = parser.banner;
  return parsed;
}

/**
 * The bytes one at a time, as views (a copy per byte would cost an
 * ArrayBuffer each: seconds on a recording of megabytes).
 */
export function* bytewise(bytes: Uint8Array): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
}
