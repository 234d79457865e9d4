/**
 * The connection's view of a transport: read bytes, write bytes, shut. Two
 * ways to get there: a socket that reads into a buffer and writes byte
 * arrays (`Deno.Conn`, `Deno.TlsConn`) is used directly, which saves the
 * stream layers' promise turns on every read and write; anything else is
 * used through its `readable` and `writable` streams.
 *
 * @module
 */

import type { AmiTransport } from "./types.ts";

/** The size of the buffer reads go into: large reads cost fewer calls. */
const READ_BYTES = 256 * 1024;
/** The size of the buffer a socket's writes are encoded into; longer text gets its own. */
const WRITE_BYTES = 16 * 1024;

const encoder = new TextEncoder();

/** Bytes in and out of one transport. */
export interface ByteChannel {
  /** The next bytes, or `null` at the end. The view is only valid until the next read. */
  read(): Promise<Uint8Array | null>;
  /** Writes all of `bytes`. */
  write(bytes: Uint8Array): Promise<void>;
  /** Writes `text` as UTF-8; one write at a time (wait for it before the next). */
  writeText(text: string): Promise<void>;
  /** Ends reading at once: a read under way settles (with an error or the end). */
  cancelRead(): void;
  /** Closes the transport gracefully: the peer sees an end once written bytes are out. Never waits. */
  close(): void;
  /** Closes the transport at once, failing a write that may be stuck with `reason`. Never waits. */
  abort(reason: unknown): void;
}

/** A socket that reads into a buffer and writes byte arrays, as `Deno.Conn` does. */
interface Socket {
  read(buffer: Uint8Array): Promise<number | null>;
  write(bytes: Uint8Array): Promise<number>;
  close(): void;
}

/** The channel for `transport`: its socket directly when it is one, else its streams. */
export function openByteChannel(transport: AmiTransport): ByteChannel {
  return isSocket(transport) ? new SocketChannel(transport) : new StreamChannel(transport);
}

function isSocket(transport: AmiTransport): transport is AmiTransport & Socket {
  const candidate = transport as Partial<Socket>;
  return typeof candidate.read === "function" && typeof candidate.write === "function" &&
    typeof candidate.close === "function";
}

/**
 * A socket used directly: one reused read buffer, writes repeated until
 * every byte is out. Text is encoded into one reused write buffer too: a
 * socket's write is done with the bytes once it settles, and the writes
 * come one at a time.
 */
class SocketChannel implements ByteChannel {
  readonly #socket: Socket;
  readonly #buffer = new Uint8Array(READ_BYTES);
  readonly #writeBuffer = new Uint8Array(WRITE_BYTES);
  #closed = false;

  constructor(socket: Socket) {
    this.#socket = socket;
  }

  async read(): Promise<Uint8Array | null> {
    const count = await this.#socket.read(this.#buffer);
    return count === null ? null : this.#buffer.subarray(0, count);
  }

  async write(bytes: Uint8Array): Promise<void> {
    let rest = bytes;
    while (rest.length > 0) rest = rest.subarray(await this.#socket.write(rest));
  }

  writeText(text: string): Promise<void> {
    // A UTF-16 unit takes at most three bytes.
    if (text.length * 3 > WRITE_BYTES) return this.write(encoder.encode(text));
    const { written } = encoder.encodeInto(text, this.#writeBuffer);
    return this.write(this.#writeBuffer.subarray(0, written));
  }

  cancelRead(): void {
    // Closing is the only way to end a read under way; a read after it fails, as it should.
    this.close();
  }

  abort(): void {
    // A socket has no separate abort: closing it fails a write under way.
    this.close();
  }

  close(): void {
    // A socket has no separate graceful close: closing sends the end once written bytes are out.
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#socket.close();
    } catch {
      // Already closed by the peer or by the runtime.
    }
  }
}

/** A transport used through its streams. */
class StreamChannel implements ByteChannel {
  readonly #transport: AmiTransport;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array> | ReadableStreamBYOBReader;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  /**
   * For a byte stream (a socket's), the memory each read fills, handed back
   * by the read before: the parser copies what it keeps, so one buffer
   * serves every read. `undefined` for other streams, which hand out their
   * own chunks.
   */
  #readBuffer: ArrayBuffer | undefined;

  constructor(transport: AmiTransport) {
    this.#transport = transport;
    const reader = openReader(transport.readable);
    this.#reader = reader;
    if (reader instanceof ReadableStreamBYOBReader) this.#readBuffer = new ArrayBuffer(READ_BYTES);
    this.#writer = transport.writable.getWriter();
  }

  async read(): Promise<Uint8Array | null> {
    const spare = this.#readBuffer;
    const { value, done } = spare === undefined
      ? await (this.#reader as ReadableStreamDefaultReader<Uint8Array>).read()
      : await (this.#reader as ReadableStreamBYOBReader).read(new Uint8Array(spare));
    // The read took the buffer over (a transfer); its result is a view of the same memory.
    if (spare !== undefined && value !== undefined) this.#readBuffer = value.buffer as ArrayBuffer;
    return done ? null : value;
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.#writer.write(bytes);
  }

  writeText(text: string): Promise<void> {
    // A stream may keep its chunks after taking them: each gets bytes of its own.
    return this.#writer.write(encoder.encode(text));
  }

  cancelRead(): void {
    this.#reader.cancel().catch(() => {});
  }

  close(): void {
    // The peer sees an end, not an error; nobody waits for it.
    this.#writer.close().catch(() => {});
    this.#closeTransport();
  }

  abort(reason: unknown): void {
    // Only an abort ends a write that is stuck.
    this.#writer.abort(reason).catch(() => {});
    this.#closeTransport();
  }

  #closeTransport(): void {
    try {
      this.#transport.close?.();
    } catch {
      // The transport may already be closed by its streams.
    }
  }
}

/**
 * A reader of the transport's bytes: a BYOB reader when the stream is a byte
 * stream (so reads fill one reused buffer), a default reader otherwise.
 */
function openReader(
  readable: ReadableStream<Uint8Array>,
): ReadableStreamDefaultReader<Uint8Array> | ReadableStreamBYOBReader {
  try {
    return readable.getReader({ mode: "byob" });
  } catch {
    // Not a byte stream: the check comes before the stream is locked, so it can be read as it is.
    return readable.getReader();
  }
}
