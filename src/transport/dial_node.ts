/**
 * The Node.js path of {@linkcode openTransport}: TCP over `node:net` and TLS
 * over `node:tls`, each socket wrapped as a web stream pair. It is loaded
 * only when `Deno` is absent; Deno uses `Deno.connect`.
 *
 * @module
 */

import { connect as connectTcp, type Socket } from "node:net";
import { connect as connectTls, rootCertificates } from "node:tls";
import type { AmiEndpoint, AmiTransport } from "./types.ts";

/**
 * Opens a TCP or TLS connection with Node's sockets. Settles once the
 * connection (and, for TLS, the handshake) is done, or rejects with the
 * socket's error; aborting `signal` destroys the socket.
 *
 * @param endpoint Where to connect; `tls.caCerts` are trusted in addition to
 *   Node's root certificates.
 * @param signal Aborts the attempt.
 * @returns The connection as a byte stream pair.
 *
 * @example
 * ```ts ignore
 * import { dialNode } from "./dial_node.ts";
 * const conn = await dialNode({ hostname: "127.0.0.1", port: 5038 }, AbortSignal.timeout(5_000));
 * conn.close?.();
 * ```
 */
export function dialNode(endpoint: AmiEndpoint, signal: AbortSignal): Promise<AmiTransport> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const { hostname, port, tls } = endpoint;
    const caCerts = typeof tls === "object" ? tls.caCerts : undefined;
    const secure = tls !== undefined && tls !== false;
    const socket: Socket = secure
      ? connectTls({
        host: hostname,
        port,
        ...(caCerts === undefined ? {} : { ca: [...rootCertificates, ...caCerts] }),
      })
      : connectTcp({ host: hostname, port });
    const settle = () => {
      socket.off(secure ? "secureConnect" : "connect", onReady);
      socket.off("error", onError);
      signal.removeEventListener("abort", onAbort);
    };
    const onReady = () => {
      settle();
      // The client batches its writes itself; Nagle's algorithm would only add delay.
      socket.setNoDelay(true);
      resolve(socketTransport(socket));
    };
    const onError = (error: Error) => {
      settle();
      socket.destroy();
      reject(error);
    };
    const onAbort = () => onError(signal.reason);
    socket.once(secure ? "secureConnect" : "connect", onReady);
    socket.once("error", onError);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Wraps a connected Node socket as a byte stream pair. Reading pauses the
 * socket while the stream's queue is full, so a slow reader applies
 * backpressure to the peer; a write resolves once Node has handed the bytes
 * on; closing the writable ends the socket's write side; cancelling the
 * readable, aborting the writable or `close()` destroys the socket.
 *
 * @param socket A connected `net.Socket` (or `tls.TLSSocket`).
 * @returns The stream pair.
 *
 * @example
 * ```ts ignore
 * import { connect } from "node:net";
 * import { AmiClient } from "@x/ami";
 * import { socketTransport } from "./dial_node.ts";
 * const socket = connect({ host: "127.0.0.1", port: 5038 });
 * socket.once("connect", () => new AmiClient(socketTransport(socket)));
 * ```
 */
export function socketTransport(socket: Socket): AmiTransport {
  let ended = false;
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      const end = (error?: Error) => {
        if (ended) return;
        ended = true;
        try {
          if (error === undefined) controller.close();
          else controller.error(error);
        } catch {
          // The stream was cancelled already.
        }
      };
      socket.on("data", (chunk: Uint8Array) => {
        if (ended) return;
        // A plain view: a Buffer's slice() shares memory, a Uint8Array's copies.
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) socket.pause();
      });
      socket.once("end", () => end());
      socket.on("error", (error: Error) => end(error));
      socket.once("close", () => end());
    },
    pull() {
      socket.resume();
    },
    cancel() {
      ended = true;
      socket.destroy();
    },
  }, { highWaterMark: 8 });
  const writable = new WritableStream<Uint8Array>({
    write(chunk) {
      return new Promise<void>((resolve, reject) => {
        socket.write(chunk, (error) => error ? reject(error) : resolve());
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        if (socket.destroyed) {
          resolve();
          return;
        }
        socket.once("close", () => resolve());
        socket.end(() => resolve());
      });
    },
    abort() {
      socket.destroy();
    },
  });
  return { readable, writable, close: () => void socket.destroy() };
}
