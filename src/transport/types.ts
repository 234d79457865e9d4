/**
 * The transport contract: the byte stream pair the connection reads and
 * writes, and where to dial. Types only, shared by every dialer.
 *
 * @module
 */

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
 * import assert from "node:assert/strict";
 * import type { AmiTransport } from "@x/ami";
 * const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
 * const loopback: AmiTransport = { readable, writable };
 * assert.ok(loopback.readable instanceof ReadableStream);
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
 * import assert from "node:assert/strict";
 * import type { AmiTlsOptions } from "@x/ami";
 * const tls: AmiTlsOptions = { caCerts: ["-----BEGIN CERTIFICATE-----\n…"] };
 * assert.equal(tls.caCerts?.length, 1);
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
 * import assert from "node:assert/strict";
 * import type { AmiEndpoint } from "@x/ami";
 * const endpoint: AmiEndpoint = { hostname: "pbx.example.net", port: 5039, tls: true };
 * assert.equal(endpoint.port, 5039);
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
