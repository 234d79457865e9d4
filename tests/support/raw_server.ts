/**
 * A hand-written AMI server for hostile-server tests: a raw TCP listener on
 * 127.0.0.1 and an OS-picked port, each connection given to `serve`, which
 * writes bytes by hand. Nothing of the test server is involved.
 *
 * @module
 */

const encoder = new TextEncoder();

/** The banner a real Asterisk 23 sends. */
export const BANNER = "Asterisk Call Manager/11.0.0\r\n";

/** A raw server; `await using` stops it and every connection it accepted. */
export interface RawServer extends AsyncDisposable {
  /** The port it listens on. */
  readonly port: number;
  /** `ami://admin:amp111@127.0.0.1:<port>` */
  readonly url: string;
  /** How many connections it accepted. */
  readonly accepted: number;
}

/** Starts a raw server; `serve` runs once per connection (errors from a closed socket are ignored). */
export function rawServer(serve: (conn: Deno.Conn, index: number) => Promise<void>): RawServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const tasks: Promise<void>[] = [];
  let accepted = 0;
  const loop = (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      const index = accepted++;
      tasks.push(
        serve(conn, index).catch(() => {}).finally(() => {
          if (conns.delete(conn)) {
            try {
              conn.close();
            } catch {
              // Already closed.
            }
          }
        }),
      );
    }
  })().catch(() => {});
  const { port } = listener.addr as Deno.NetAddr;
  return {
    port,
    url: `ami://admin:amp111@127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    async [Symbol.asyncDispose]() {
      listener.close();
      for (const conn of conns) {
        try {
          conn.close();
        } catch {
          // Already closed.
        }
      }
      conns.clear();
      await loop;
      await Promise.all(tasks);
    },
  };
}

/** Writes all of `text`. */
export async function writeText(conn: Deno.Conn, text: string | Uint8Array): Promise<void> {
  let rest = typeof text === "string" ? encoder.encode(text) : text;
  while (rest.length > 0) rest = rest.subarray(await conn.write(rest));
}

/** Reads frames (text up to a blank line) from a connection, one at a time. */
export class FrameReader {
  readonly #conn: Deno.Conn;
  readonly #decoder = new TextDecoder();
  #buffered = "";

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /** The next frame's fields, or `undefined` when the connection ends. */
  async next(): Promise<Record<string, string> | undefined> {
    const buffer = new Uint8Array(4096);
    while (!this.#buffered.includes("\r\n\r\n")) {
      const count = await this.#conn.read(buffer);
      if (count === null) return undefined;
      this.#buffered += this.#decoder.decode(buffer.subarray(0, count), { stream: true });
    }
    const end = this.#buffered.indexOf("\r\n\r\n");
    const frame = this.#buffered.slice(0, end);
    this.#buffered = this.#buffered.slice(end + 4);
    const fields: Record<string, string> = {};
    for (const line of frame.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) fields[line.slice(0, colon)] ??= line.slice(colon + 1).trim();
    }
    return fields;
  }
}

/**
 * Answers a plain or MD5 login for any user and secret, returning the login
 * action's fields, or `undefined` when the connection ended first.
 */
export async function acceptLogin(
  conn: Deno.Conn,
  reader: FrameReader,
): Promise<Record<string, string> | undefined> {
  while (true) {
    const action = await reader.next();
    if (action === undefined) return undefined;
    const id = action.ActionID ?? "";
    if (action.Action?.toLowerCase() === "challenge") {
      await writeText(conn, `Response: Success\r\nActionID: ${id}\r\nChallenge: 123456789\r\n\r\n`);
    } else if (action.Action?.toLowerCase() === "login") {
      await writeText(
        conn,
        `Response: Success\r\nActionID: ${id}\r\nMessage: Authentication accepted\r\n\r\n`,
      );
      return action;
    }
  }
}
