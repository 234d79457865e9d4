/**
 * A bare AMI client for testing the test server: it writes raw action text
 * and parses what comes back with {@linkcode AmiFrameParser}, with no client
 * logic in between, so what a test sees is what the server wrote.
 *
 * @module
 */

import { concat } from "./bytes.ts";
import { AmiFrameParser } from "../../src/wire/parser.ts";
import type { AmiMessage } from "../../src/wire/message.ts";
import type { AmiProtocolError } from "../../src/errors.ts";

const encoder = new TextEncoder();

/** Something with a readable and a writable side: a `Deno.Conn` or an in-memory pair. */
export interface BytePair {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
}

/** Reads frames from a server and writes raw text to it. */
export class RawAmiClient {
  /** Every frame received, in order. */
  readonly messages: AmiMessage[] = [];
  /** Every chunk received, as the reads returned them. */
  readonly chunks: Uint8Array[] = [];
  /** Parser errors (oversize, truncated frames). */
  readonly errors: AmiProtocolError[] = [];
  banner: string | undefined;
  /** Set when the read side failed rather than ended. */
  readError: unknown;
  /** Resolves when the server's side has ended (closed or broken). */
  readonly ended: Promise<void>;

  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #parser: AmiFrameParser;
  #taken = 0;
  #wakers: (() => void)[] = [];
  #done = false;
  #bytes = 0;

  constructor(pair: BytePair, options: { banner?: boolean; maxFrameBytes?: number } = {}) {
    this.#writer = pair.writable.getWriter();
    this.#writer.closed.catch(() => {});
    this.#reader = pair.readable.getReader();
    this.#parser = new AmiFrameParser((message) => {
      this.messages.push(message);
      this.#notify();
    }, {
      banner: options.banner ?? true,
      maxFrameBytes: options.maxFrameBytes ?? 1024 * 1024,
      onBanner: (banner) => (this.banner = banner),
      onError: (error) => this.errors.push(error),
    });
    this.ended = this.#read();
  }

  /** Connects over TCP. */
  static async tcp(port: number): Promise<RawAmiClient> {
    return new RawAmiClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Writes raw text (or bytes). */
  async write(data: string | Uint8Array): Promise<void> {
    await this.#writer.write(typeof data === "string" ? encoder.encode(data) : data);
  }

  /** Writes one action from `Key: value` pairs. */
  action(fields: Record<string, string>): Promise<void> {
    let text = "";
    for (const [key, value] of Object.entries(fields)) text += `${key}: ${value}\r\n`;
    return this.write(text + "\r\n");
  }

  /** Logs in as admin with a plain secret. */
  async login(events = "off", secret = "amp111", user = "admin"): Promise<AmiMessage> {
    await this.action({
      Action: "Login",
      ActionID: "login",
      Username: user,
      Secret: secret,
      Events: events,
    });
    return await this.next();
  }

  /** The next frame not yet taken, waiting for it; rejects if the stream ends first. */
  async next(): Promise<AmiMessage> {
    while (this.#taken >= this.messages.length) {
      if (this.#done) throw new Error("the server closed the connection");
      await new Promise<void>((resolve) => this.#wakers.push(resolve));
    }
    return this.messages[this.#taken++]!;
  }

  /** Takes the next `n` frames. */
  async take(n: number): Promise<AmiMessage[]> {
    const out: AmiMessage[] = [];
    for (let i = 0; i < n; i++) out.push(await this.next());
    return out;
  }

  /** Takes frames until one matches, returning it (skipped frames are taken too). */
  async until(test: (message: AmiMessage) => boolean): Promise<AmiMessage> {
    while (true) {
      const message = await this.next();
      if (test(message)) return message;
    }
  }

  /** Resolves once at least `n` bytes have arrived; rejects if the stream ends first. */
  async waitForBytes(n: number): Promise<void> {
    while (this.#bytes < n) {
      if (this.#done) {
        throw new Error(`the server closed the connection after ${this.#bytes} bytes`);
      }
      await new Promise<void>((resolve) => this.#wakers.push(resolve));
    }
  }

  /** Frames received and not yet taken. */
  get pending(): AmiMessage[] {
    return this.messages.slice(this.#taken);
  }

  /** All bytes received so far, decoded. */
  get text(): string {
    return new TextDecoder().decode(concat(this.chunks));
  }

  /** Closes the client's side and waits for the server's side to end. */
  async close(): Promise<void> {
    await this.#writer.close().catch(() => {});
    await this.ended;
  }

  async #read(): Promise<void> {
    try {
      while (true) {
        const { done, value } = await this.#reader.read();
        if (done) break;
        this.chunks.push(value.slice());
        this.#bytes += value.length;
        this.#parser.push(value);
        this.#notify();
      }
    } catch (error) {
      this.readError = error;
    }
    this.#parser.end();
    this.#done = true;
    this.#notify();
    this.#reader.releaseLock();
  }

  #notify(): void {
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const wake of wakers) wake();
  }
}
