/**
 * {@linkcode AmiDecoderStream}: the frame parser as a web-standard
 * `TransformStream` of bytes to messages.
 *
 * @module
 */

import type { AmiParsedMessage } from "./message_types.ts";
import { AmiFrameParser, type AmiParserOptions } from "./parser.ts";

/**
 * The parser as a web-standard `TransformStream`: pipe a byte stream (a
 * `Deno.Conn`'s `readable`, say) through it to get messages.
 *
 * @example
 * ```ts
 * import { AmiDecoderStream } from "@x/ami";
 * import assert from "node:assert/strict";
 * const bytes = new TextEncoder().encode("Asterisk Call Manager/13.0.0\r\nEvent: FullyBooted\r\n\r\n");
 * const names: string[] = [];
 * for await (const message of ReadableStream.from([bytes]).pipeThrough(new AmiDecoderStream())) {
 *   names.push(message.Event ?? message.name); // fields read by name
 * }
 * assert.equal(names.join(), "FullyBooted");
 * ```
 */
export class AmiDecoderStream extends TransformStream<Uint8Array, AmiParsedMessage> {
  readonly #parser: AmiFrameParser;

  /**
   * Creates the stream.
   *
   * @param options Parser options, hooks included.
   */
  constructor(options: AmiParserOptions = {}) {
    let enqueue: (message: AmiParsedMessage) => void = () => {};
    const parser = new AmiFrameParser((message) => enqueue(message), options);
    super({
      transform(chunk, controller) {
        enqueue = (message) => controller.enqueue(message);
        parser.push(chunk);
      },
      flush(controller) {
        enqueue = (message) => controller.enqueue(message);
        parser.end();
      },
    });
    this.#parser = parser;
  }

  /**
   * The banner line, once it has been read.
   *
   * @example
   * ```ts
   * import { AmiDecoderStream } from "@x/ami";
   * import assert from "node:assert/strict";
   * assert.equal(new AmiDecoderStream().banner, undefined);
   * ```
   */
  get banner(): string | undefined {
    return this.#parser.banner;
  }
}
