/**
 * The test server's listener on Node.js: `node:net`, or `node:tls` with a
 * certificate, each accepted socket wrapped as a web stream pair. Loaded
 * only when the server listens on Node.
 *
 * @module
 */

import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { socketTransport } from "../transport/dial_node.ts";
import { type Link, netAddress } from "./links.ts";
import type { Accept, Listening, ListenSpec } from "./listening.ts";

function socketLink(socket: Socket, transport: "tcp" | "tls"): Link {
  const { readable, writable } = socketTransport(socket);
  return {
    transport,
    readable,
    writable,
    remoteAddr: netAddress({ hostname: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 }),
    release: () => void socket.destroy(),
  };
}

/** Listens with Node's sockets; resolves once bound, rejects if binding fails. */
export function listenNode(spec: ListenSpec, accept: Accept): Promise<Listening> {
  const transport = spec.tls === undefined ? "tcp" : "tls";
  const onSocket = (socket: Socket) => accept(socketLink(socket, transport));
  const server: Server = spec.tls === undefined
    ? createTcpServer(onSocket)
    : createTlsServer({ cert: spec.tls.cert, key: spec.tls.key }, onSocket);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(spec.port, spec.hostname, () => {
      server.off("error", reject);
      const bound = server.address();
      if (bound === null || typeof bound === "string") {
        reject(new Error(`The test server bound to an unexpected address: "${String(bound)}"`));
        return;
      }
      resolve({
        address: netAddress({ hostname: bound.address, port: bound.port }),
        tls: spec.tls !== undefined,
        // Open connections go on; Node's close callback would wait for them, so it is not awaited.
        close: () => {
          server.close();
          return Promise.resolve();
        },
      });
    });
  });
}
