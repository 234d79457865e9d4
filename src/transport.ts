/**
 * Transports: how the client gets a byte stream pair. Any
 * `{ readable, writable }` pair works (a `Deno.Conn` is one); this module
 * opens TCP and TLS connections for {@linkcode AmiClient.connect}.
 *
 * @module
 */

import { AmiConnectionError, AmiTimeoutError } from "./errors.ts";

/**
 * A byte stream pair to an AMI server. A `Deno.Conn` is one; so is anything
 * with a `ReadableStream<Uint8Array>` and a `WritableStream<Uint8Array>`.
 * A transport that is also a socket, with `read(buffer)`, `write(bytes)` and
 * `close()` as `Deno.Conn` and `Deno.TlsConn` have, is read and written
 * through those instead of its streams (fewer promise turns per read and
 * write).
 *
 * @example An in-memory pair
 * ```ts
 * import type { AmiTransport } from "@x/ami";
 * const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
 * const loopback: AmiTransport = { readable, writable };
 * console.assert(loopback.readable instanceof ReadableStream);
 * ```
 */
export interface AmiTransport {
  /** Bytes from the server. */
  readonly readable: ReadableStream<Uint8Array>;
  /** Bytes to the server. */
  readonly writable: WritableStream<Uint8Array>;
  /** Closes the underlying connection at once, if there is one to close. */
  close?(): void;
}

/**
 * TLS settings for `amis://` connections.
 *
 * @example
 * ```ts
 * import type { AmiTlsOptions } from "@x/ami";
 * const tls: AmiTlsOptions = { caCerts: ["-----BEGIN CERTIFICATE-----\n…"] };
 * console.assert(tls.caCerts?.length === 1);
 * ```
 */
export interface AmiTlsOptions {
  /** Extra root certificates (PEM) to trust, e.g. a PBX's self-signed one. */
  caCerts?: string[];
}

/**
 * Where to connect.
 *
 * @example
 * ```ts
 * import type { AmiEndpoint } from "@x/ami";
 * const endpoint: AmiEndpoint = { hostname: "pbx.example.net", port: 5039, tls: true };
 * console.assert(endpoint.port === 5039);
 * ```
 */
export interface AmiEndpoint {
  /** Host name or address. */
  hostname: string;
  /** TCP port; Asterisk listens on 5038, and on 5039 for TLS. */
  port: number;
  /** Use TLS: `true` for the system's roots, or options. */
  tls?: boolean | AmiTlsOptions;
}

/**
 * Opens a TCP or TLS connection, giving up after `timeoutMs`.
 *
 * @param endpoint Where to connect.
 * @param timeoutMs How long to wait for the connection.
 * @returns The open connection.
 * @throws {AmiTimeoutError} when the connection takes too long.
 * @throws {AmiConnectionError} when it is refused or fails.
 *
 * @example
 * ```ts
 * import { AmiClient, openTransport } from "@x/ami";
 * import { AmiTestServer } from "@x/ami/testing";
 *
 * await using server = new AmiTestServer();
 * const { port } = server.listen();
 * const conn = await openTransport({ hostname: "127.0.0.1", port }, 5_000);
 * await using client = new AmiClient(conn);
 * await client.login({ username: "admin", secret: "amp111" });
 * ```
 */
export async function openTransport(
  endpoint: AmiEndpoint,
  timeoutMs: number,
): Promise<AmiTransport> {
  const where = `${endpoint.hostname}:${endpoint.port}`;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new AmiTimeoutError(`connecting to ${where} took longer than ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const connecting = dial(endpoint, controller.signal);
  try {
    return await Promise.race([connecting, timeout]);
  } catch (error) {
    // A connection that completes after the timeout must not leak.
    connecting.then((conn) => conn.close?.(), () => {});
    if (error instanceof AmiTimeoutError) throw error;
    throw new AmiConnectionError(`could not connect to ${where}: ${describe(error)}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

async function dial(endpoint: AmiEndpoint, signal: AbortSignal): Promise<AmiTransport> {
  // Without Deno (on Node.js): node:net and node:tls, loaded only then.
  if (!("Deno" in globalThis)) {
    const node = await import("./transport_node.ts");
    return node.dialNode(endpoint, signal);
  }
  const { hostname, port, tls } = endpoint;
  const conn = await Deno.connect({ hostname, port, signal });
  // The client batches its writes itself; Nagle's algorithm would only add delay.
  conn.setNoDelay(true);
  if (tls === undefined || tls === false) return conn;
  const caCerts = typeof tls === "object" ? tls.caCerts : undefined;
  try {
    return await Deno.startTls(conn, caCerts === undefined ? { hostname } : { hostname, caCerts });
  } catch (error) {
    conn.close();
    throw error;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
