/**
 * The wallboard's HTTP server: the page (plain HTML, CSS and JavaScript
 * from `page/`), the board as JSON at `/state`, and the board again on
 * every change at `/events` (Server-Sent Events fed by `live.changes()`).
 *
 * Changes that come close together are sent as one board (at most one every
 * `coalesceMs`); a resync, a restart or lost changes send a `resync` event
 * with the whole board, and a change of the view's status (live, resyncing,
 * stale) is sent within a second.
 *
 * @module
 */

import { AmiGap, type LiveView } from "../../mod.ts";
import { boardState } from "./board_state.ts";

/** Options of {@linkcode serveWallboard}. */
export interface WallboardOptions {
  /** TCP port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Most one board every this many ms. Default 50. */
  coalesceMs?: number;
}

/** A running wallboard server. */
export interface Wallboard extends AsyncDisposable {
  /** Where the page is, `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** Ends the event streams and stops the server. */
  close(): Promise<void>;
}

const ASSETS: Record<string, string> = {
  "/": "index.html",
  "/app.js": "app.js",
  "/style.css": "style.css",
};

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

/** Serves the wallboard of `live` on 127.0.0.1. */
export async function serveWallboard(
  live: LiveView,
  options: WallboardOptions = {},
): Promise<Wallboard> {
  const assets = new Map<string, { body: string; type: string }>();
  for (const [path, file] of Object.entries(ASSETS)) {
    const body = await Deno.readTextFile(new URL(`./page/${file}`, import.meta.url));
    assets.set(path, { body, type: TYPES[file.split(".").pop()!]! });
  }
  const streams = new Set<AbortController>();
  const coalesceMs = options.coalesceMs ?? 50;
  const listening = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: options.port ?? 8080,
    onListen: (address) => listening.resolve(address as Deno.NetAddr),
  }, (request) => {
    const path = new URL(request.url).pathname;
    if (request.method !== "GET") return new Response("Method not allowed", { status: 405 });
    const asset = assets.get(path);
    if (asset !== undefined) {
      return new Response(asset.body, { headers: { "content-type": asset.type } });
    }
    if (path === "/state") return Response.json(boardState(live.snapshot()));
    if (path === "/events") return eventStream(live, streams, coalesceMs);
    return new Response("Not found", { status: 404 });
  });
  const address = await listening.promise;
  const close = async () => {
    for (const stream of streams) stream.abort();
    await server.shutdown();
  };
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** One page's event stream: the board now, then on every change. */
function eventStream(live: LiveView, streams: Set<AbortController>, coalesceMs: number): Response {
  const abort = new AbortController();
  streams.add(abort);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) => {
        if (abort.signal.aborted) return;
        controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      follow(live, abort.signal, send, coalesceMs).catch(() => {}).finally(() => {
        streams.delete(abort);
        try {
          controller.close();
        } catch { /* the page went away first */ }
      });
    },
    cancel() {
      abort.abort();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
    },
  });
}

/** Sends the board, then again after changes, until `signal` aborts or the view closes. */
async function follow(
  live: LiveView,
  signal: AbortSignal,
  send: (event: string, data: unknown) => void,
  coalesceMs: number,
): Promise<void> {
  let status = live.status;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    status = live.status;
    send("state", boardState(live.snapshot()));
  };
  // The status (live, resyncing, stale) moves without a change: look every second.
  const watch = setInterval(() => {
    if (live.status !== status) flush();
  }, 1_000);
  try {
    send("state", boardState(live.snapshot()));
    const changes = live.changes({ since: live.snapshot().revision, gaps: true, signal });
    for await (const change of changes) {
      if (change instanceof AmiGap || change.kind === "resync") {
        clearTimeout(timer);
        timer = undefined;
        const reason = change instanceof AmiGap ? "lost" : change.reason;
        status = live.status;
        send("resync", { reason, state: boardState(live.snapshot()) });
      } else {
        timer ??= setTimeout(flush, coalesceMs);
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    clearInterval(watch);
  }
}
