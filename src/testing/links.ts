/**
 * The two ends a test session can run over: an in-memory pair of streams, or
 * an accepted TCP/TLS connection. A session sees both the same way.
 *
 * @module
 */

/**
 * A client's end of a connection: bytes from the server on `readable`, bytes
 * to the server on `writable`. A `Deno.Conn` has the same shape.
 *
 * @example
 * ```ts
 * import { AmiTestServer, type AmiStreamPair } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer();
 * const pair: AmiStreamPair = server.connect();
 * await pair.writable.close();
 * ```
 */
export interface AmiStreamPair {
  /** Bytes the server sends. */
  readonly readable: ReadableStream<Uint8Array>;
  /** Bytes the client sends. */
  readonly writable: WritableStream<Uint8Array>;
}

/**
 * Where a test server listens, as {@linkcode AmiTestServer.listen} and
 * {@linkcode AmiTestServer.serve} report it (the shape of a `Deno.NetAddr`).
 *
 * @example
 * ```ts
 * import { AmiTestServer, type AmiTestAddress } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = new AmiTestServer();
 * const address: AmiTestAddress = await server.serve();
 * assert.equal(address.hostname, "127.0.0.1");
 * assert.ok(address.port > 0);
 * ```
 */
export interface AmiTestAddress {
  /** Always `tcp` (TLS runs over TCP). */
  readonly transport: "tcp";
  /** The bound address. */
  readonly hostname: string;
  /** The bound port. */
  readonly port: number;
}

/** How a session is connected. */
export type AmiTestTransport = "memory" | "tcp" | "tls";

/** The server's end of a connection. */
export interface Link {
  readonly transport: AmiTestTransport;
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  /** The client's address, for sockets. */
  readonly remoteAddr: AmiTestAddress | undefined;
  /**
   * Frees what the streams do not free themselves, after the session has
   * closed or aborted its reader and writer. Must not throw.
   */
  release(): void;
}

/** The error an in-memory client sees when the server aborts the connection. */
export class ConnectionResetError extends Error {
  constructor() {
    super("Connection reset by the test server");
    this.name = "ConnectionResetError";
  }
}

/**
 * Creates an in-memory connection: the client's pair and the server's link.
 * Neither direction applies backpressure, so a client that does not read
 * never blocks the server.
 */
export function memoryLink(): { client: AmiStreamPair; server: Link } {
  const toServer = new TransformStream<Uint8Array, Uint8Array>(
    undefined,
    undefined,
    { highWaterMark: Number.POSITIVE_INFINITY },
  );
  const toClient = new TransformStream<Uint8Array, Uint8Array>(
    undefined,
    undefined,
    { highWaterMark: Number.POSITIVE_INFINITY },
  );
  return {
    client: { readable: toClient.readable, writable: toServer.writable },
    server: {
      transport: "memory",
      readable: toServer.readable,
      writable: toClient.writable,
      remoteAddr: undefined,
      release() {},
    },
  };
}

/** Wraps an accepted socket. */
export function connLink(conn: Deno.Conn, transport: "tcp" | "tls"): Link {
  return {
    transport,
    readable: conn.readable,
    writable: conn.writable,
    remoteAddr: netAddress(conn.remoteAddr as Deno.NetAddr),
    release() {
      try {
        conn.close();
      } catch {
        // Already closed through its streams.
      }
    },
  };
}

/** An address as {@linkcode AmiTestAddress}, whatever else the runtime's object carries. */
export function netAddress(address: { hostname: string; port: number }): AmiTestAddress {
  return { transport: "tcp", hostname: address.hostname, port: address.port };
}
