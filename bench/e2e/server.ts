/**
 * A minimal AMI server for the loopback benchmark. It speaks just enough
 * AMI for every client under test: the banner, `Challenge` and `Login`
 * (any secret is accepted), `Ping`, `Logoff`; other actions get an error.
 *
 * After a successful login it streams the planned number of synthetic
 * events as fast as the socket takes them, then half-closes its side, so a
 * reader that counts bytes sees the end of the stream. In `large` chunks it
 * writes 512 events at a time; in `small` chunks it writes as Asterisk does
 * (one event per `write()`, with `TCP_NODELAY`) and cuts each event further,
 * unevenly: inside the UTF-8 bytes of a non-ASCII caller name and between the
 * two CRLFs that end the event, so that reads end mid-character and mid-marker.
 *
 * @module
 */

import { BANNER, syntheticBlock } from "../corpus.ts";
import { BLOCK_EVENTS } from "./consumer.ts";

/** The size of one write while streaming in large chunks, in events. */
const EVENTS_PER_WRITE = 512;

/** How the stream is cut into writes. */
export type Chunking = "large" | "small";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What the next logins get. */
export interface StreamPlan {
  /** How many events follow a successful login. */
  events: number;
  /** How the events are cut into writes (default `large`). */
  chunks?: Chunking;
}

/** The loopback server: 127.0.0.1, a port chosen by the system. */
export class BenchServer implements AsyncDisposable {
  /** What a login triggers; change it between runs. */
  plan: StreamPlan = { events: 0 };
  readonly #listener: Deno.Listener<Deno.TcpConn, Deno.NetAddr>;
  readonly #block = syntheticBlock(BLOCK_EVENTS);
  /** Where the small writes end, as offsets into the block. */
  readonly #smallCuts = smallCuts(this.#block);
  readonly #sessions = new Set<Promise<void>>();
  readonly #conns = new Set<Deno.TcpConn>();
  readonly #accepting: Promise<void>;

  constructor() {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#accepting = this.#accept();
  }

  /** The port to connect to. */
  get port(): number {
    return this.#listener.addr.port;
  }

  /** The exact number of bytes `events` streamed events take on the wire. */
  streamBytes(events: number): number {
    const { ends } = this.#block;
    const blockBytes = ends[BLOCK_EVENTS - 1]!;
    const whole = Math.floor(events / BLOCK_EVENTS);
    const rest = events % BLOCK_EVENTS;
    return whole * blockBytes + (rest === 0 ? 0 : ends[rest - 1]!);
  }

  async #accept(): Promise<void> {
    try {
      for await (const conn of this.#listener) {
        this.#conns.add(conn);
        const session = this.#serve(conn).finally(() => {
          this.#conns.delete(conn);
          this.#sessions.delete(session);
        });
        this.#sessions.add(session);
      }
    } catch {
      // The listener was closed.
    }
  }

  /** Reads actions and answers them; each read's answers go out in one write. */
  async #serve(conn: Deno.TcpConn): Promise<void> {
    const plan = { ...this.plan };
    const writer = new Writer(conn);
    let streaming: Promise<void> | undefined;
    try {
      await writer.write(encoder.encode(BANNER));
      const buffer = new Uint8Array(64 * 1024);
      let pending = "";
      while (true) {
        const n = await conn.read(buffer);
        if (n === null) break;
        pending += decoder.decode(buffer.subarray(0, n), { stream: true });
        let reply = "";
        let end: number;
        while ((end = pending.indexOf("\r\n\r\n")) >= 0) {
          const frame = pending.slice(0, end);
          pending = pending.slice(end + 4);
          const action = headers(frame);
          const name = (action.get("action") ?? "").toLowerCase();
          const id = action.get("actionid");
          const idLine = id === undefined ? "" : `ActionID: ${id}\r\n`;
          if (name === "ping") {
            reply += `Response: Success\r\n${idLine}Ping: Pong\r\nTimestamp: ${
              (Date.now() / 1000).toFixed(6)
            }\r\n\r\n`;
          } else if (name === "challenge") {
            reply += `Response: Success\r\n${idLine}Challenge: 28753093\r\n\r\n`;
          } else if (name === "login") {
            reply += `Response: Success\r\n${idLine}Message: Authentication accepted\r\n\r\n`;
            if (plan.events > 0 && streaming === undefined) {
              const head = reply;
              reply = "";
              // The login response goes first, then the stream, and nothing else in between.
              if (plan.chunks === "small") conn.setNoDelay(true);
              streaming = writer.write(encoder.encode(head))
                .then(() =>
                  plan.chunks === "small"
                    ? this.#streamSmall(writer, plan.events)
                    : this.#stream(writer, plan.events)
                )
                .then(() => conn.closeWrite())
                .catch(() => {});
            }
          } else if (name === "logoff") {
            reply += `Response: Goodbye\r\n${idLine}Message: Thanks for all the fish.\r\n\r\n`;
          } else {
            reply += `Response: Error\r\n${idLine}Message: Invalid/unknown command\r\n\r\n`;
          }
        }
        if (reply.length > 0) {
          // Answers to actions sent during a stream go out between two of its writes.
          const sent = writer.write(encoder.encode(reply));
          if (streaming === undefined) await sent;
          else sent.catch(() => {});
        }
      }
    } catch {
      // The client went away; that ends the session.
    } finally {
      await streaming;
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    }
  }

  async #stream(writer: Writer, events: number): Promise<void> {
    const { bytes, ends } = this.#block;
    let sent = 0;
    let at = 0;
    while (sent < events) {
      const take = Math.min(EVENTS_PER_WRITE, events - sent, BLOCK_EVENTS - at);
      const from = at === 0 ? 0 : ends[at - 1]!;
      const to = ends[at + take - 1]!;
      await writer.write(bytes.subarray(from, to));
      sent += take;
      at = (at + take) % BLOCK_EVENTS;
    }
  }

  /** Writes `events` events in small, uneven pieces (see the module doc). */
  async #streamSmall(writer: Writer, events: number): Promise<void> {
    const { bytes, ends } = this.#block;
    const cuts = this.#smallCuts;
    let from = 0;
    let cut = 0;
    for (let sent = 0; sent < events;) {
      const to = cuts[cut]!;
      await writer.write(bytes.subarray(from, to));
      if (to === ends[sent % BLOCK_EVENTS]) sent++;
      cut++;
      if (cut === cuts.length) {
        cut = 0;
        from = 0;
      } else {
        from = to;
      }
    }
  }

  /** Stops listening and closes every connection. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#listener.close();
    for (const conn of this.#conns) {
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    }
    await this.#accepting;
    await Promise.all(this.#sessions);
  }
}

/** Writes whole buffers, one at a time. */
class Writer {
  readonly #conn: Deno.TcpConn;
  #last: Promise<void> = Promise.resolve();

  constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  write(bytes: Uint8Array): Promise<void> {
    this.#last = this.#last.then(() => writeAll(this.#conn, bytes));
    return this.#last;
  }
}

async function writeAll(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await conn.write(bytes.subarray(at));
}

/**
 * The ends of the small writes over one block: each event is cut after the
 * first byte of its first non-ASCII character (if any), between its two
 * closing CRLFs, and at its end.
 */
function smallCuts({ bytes, ends }: { bytes: Uint8Array; ends: Uint32Array }): Uint32Array {
  const cuts: number[] = [];
  let start = 0;
  for (const end of ends) {
    const wide = bytes.subarray(start, end).findIndex((byte) => byte >= 0x80);
    if (wide >= 0) cuts.push(start + wide + 1);
    cuts.push(end - 2, end);
    start = end;
  }
  return Uint32Array.from(cuts);
}

/** The headers of one action, keys in lower case, first value kept. */
function headers(frame: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of frame.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    if (!map.has(key)) map.set(key, line.slice(colon + 1).trim());
  }
  return map;
}
