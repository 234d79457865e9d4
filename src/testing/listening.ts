/**
 * What the test server's listeners have in common, whichever runtime's
 * sockets they use.
 *
 * @module
 */

import type { AmiTestAddress, Link } from "./links.ts";
import type { AmiTestListenOptions } from "./server_options.ts";

/** A listener that accepts connections until closed. */
export interface Listening {
  /** Where it is bound. */
  readonly address: AmiTestAddress;
  /** Whether it serves TLS. */
  readonly tls: boolean;
  /** Stops accepting; resolves once no more connection will be handed over. */
  close(): Promise<void>;
}

/** Receives each accepted connection. */
export type Accept = (link: Link) => void;

/** The options of one listener, with defaults filled in. */
export interface ListenSpec {
  readonly hostname: string;
  readonly port: number;
  readonly tls: { readonly cert: string; readonly key: string } | undefined;
}

/** Fills in the defaults of {@linkcode AmiTestListenOptions}. */
export function listenSpec(options: AmiTestListenOptions): ListenSpec {
  const tls = options.cert !== undefined || options.key !== undefined;
  return {
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 0,
    tls: tls ? { cert: options.cert ?? "", key: options.key ?? "" } : undefined,
  };
}
