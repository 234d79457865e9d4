/**
 * The Deno path of {@linkcode openTransport}: `Deno.connect`, then
 * `Deno.startTls` over the same socket for `amis://`.
 *
 * @module
 */

import type { AmiEndpoint, AmiTransport } from "./types.ts";

/**
 * Opens a TCP connection with `Deno.connect` (no Nagle delay: the client
 * batches its own writes) and starts TLS over it when asked.
 *
 * @param endpoint Where to connect.
 * @param signal Aborts the attempt.
 * @returns The connection.
 */
export async function dialDeno(endpoint: AmiEndpoint, signal: AbortSignal): Promise<AmiTransport> {
  const { hostname, port, tls } = endpoint;
  const conn = await Deno.connect({ hostname, port, signal });
  conn.setNoDelay(true);
  if (tls === undefined || tls === false) return conn;
  const caCerts = typeof tls === "object" ? tls.caCerts : undefined;
  let secured: Deno.TlsConn;
  try {
    secured = await Deno.startTls(
      conn,
      caCerts === undefined ? { hostname } : { hostname, caCerts },
    );
  } catch (error) {
    conn.close();
    throw error;
  }
  try {
    // Handshake now, so a TLS failure is reported as a connection failure, not as a bad read.
    await secured.handshake();
  } catch (error) {
    secured.close();
    throw error;
  }
  return secured;
}
