/**
 * Listening sockets for the test server, on Deno (`Deno.listen`, bound at
 * once) and on Node.js (`node:net`/`node:tls`, bound asynchronously, loaded
 * only there). Each accepted connection becomes a {@linkcode Link}.
 *
 * @module
 */

import { connLink, netAddress } from "./links.ts";
import type { Accept, Listening, ListenSpec } from "./listening.ts";

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
