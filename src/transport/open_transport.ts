/**
 * Transports: how the client gets a byte stream pair. Any
 * `{ readable, writable }` pair works (a `Deno.Conn` is one); this module
 * opens TCP and TLS connections for {@linkcode AmiClient.connect}.
 *
 * @module
 */

import { describeError } from "../_util/hooks.ts";
import { withTimeout } from "../_util/timeouts.ts";
import { AmiConnectionError, AmiTimeoutError } from "../errors.ts";
import { dialDeno } from "./dial_deno.ts";
import type { AmiEndpoint, AmiTransport } from "./types.ts";

export type { AmiEndpoint, AmiTlsOptions, AmiTransport } from "./types.ts";

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
  const connecting = dial(endpoint, controller.signal);
  try {
    return await withTimeout(connecting, timeoutMs, () => {
      controller.abort();
      return new AmiTimeoutError(`Connecting to ${where} took longer than ${timeoutMs} ms`);
    });
  } catch (error) {
    // A connection that completes after the timeout must not leak.
    connecting.then((conn) => conn.close?.(), () => {});
    if (error instanceof AmiTimeoutError) throw error;
    const reason = endpoint.tls ? describeTlsFailure(error) : describeError(error);
    throw new AmiConnectionError(`Could not connect to ${where}: ${reason}`, {
      cause: error,
    });
  }
}

async function dial(endpoint: AmiEndpoint, signal: AbortSignal): Promise<AmiTransport> {
  // Without Deno (on Node.js): node:net and node:tls, loaded only then.
  if (!("Deno" in globalThis)) {
    const node = await import("./dial_node.ts");
    return node.dialNode(endpoint, signal);
  }
  return await dialDeno(endpoint, signal);
}

/**
 * A TLS failure in words. A TLS client that meets a plain-text server (the
 * AMI port 5038 given for `amis://`) reads its banner as a TLS record:
 * rustls calls that `InvalidContentType`, OpenSSL `wrong version number`.
 */
function describeTlsFailure(error: unknown): string {
  const text = describeError(error);
  if (/InvalidContentType|wrong version number|packet length too long|http request/i.test(text)) {
    return `TLS failed: the server answered in plain text, not TLS (for a plain-text AMI port ` +
      `use ami://, or give amis:// the TLS port, often 5039)`;
  }
  return `TLS failed: ${text}`;
}
