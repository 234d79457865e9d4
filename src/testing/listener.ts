/**
 * Listening sockets for the test server, on Deno (`Deno.listen`, bound at
 * once) and on Node.js (`node:net`/`node:tls`, bound asynchronously, loaded
 * only there). Each accepted connection becomes a {@linkcode Link}.
 *
 * @module
 */

import { type AmiTestAddress, connLink, type Link, netAddress } from "./links.ts";
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

/** Whether the code runs on Deno (the only runtime that binds synchronously). */
export function onDeno(): boolean {
  return "Deno" in globalThis;
}

/** Listens with Deno's sockets; binds before it returns. */
export function listenDeno(spec: ListenSpec, accept: Accept): Listening {
  const { hostname, port, tls } = spec;
  const listener: Deno.Listener = tls === undefined
    ? Deno.listen({ hostname, port, transport: "tcp" })
    : Deno.listenTls({ hostname, port, cert: tls.cert, key: tls.key, transport: "tcp" });
  const transport = tls === undefined ? "tcp" : "tls";
  const accepting = (async () => {
    try {
      for await (const conn of listener) accept(connLink(conn, transport));
    } catch {
      // The listener was closed.
    }
  })();
  return {
    address: netAddress(listener.addr as Deno.NetAddr),
    tls: tls !== undefined,
    close() {
      try {
        listener.close();
      } catch {
        // Already closed.
      }
      return accepting;
    },
  };
}

/** Listens with Node's sockets (loaded on first use); resolves once bound. */
export async function listenNode(spec: ListenSpec, accept: Accept): Promise<Listening> {
  const { listenNode } = await import("./listener_node.ts");
  return listenNode(spec, accept);
}
