/**
 * The floor any JavaScript client pays on an event stream: each read is
 * decoded with a streaming `TextDecoder` and cut into frames at CRLFCRLF,
 * and nothing else (no fields, no objects). It counts the frames after the
 * login response.
 *
 * @module
 */

import { argument, peakRss, report, USER } from "../measure.ts";

const port = argument("port");

const started = performance.now();
const conn = await Deno.connect({ hostname: "127.0.0.1", port });
await conn.write(
  new TextEncoder().encode(
    `Action: Login\r\nActionID: 1\r\nUsername: ${USER.username}\r\nSecret: ${USER.secret}\r\n\r\n`,
  ),
);
const decoder = new TextDecoder();
const buffer = new Uint8Array(256 * 1024);
let pending = "";
/** Frames cut so far; the first is the banner line with the login response. */
let frames = 0;
let last = started;
while (true) {
  const n = await conn.read(buffer);
  if (n === null) break;
  pending += decoder.decode(buffer.subarray(0, n), { stream: true });
  let start = 0;
  let end: number;
  while ((end = pending.indexOf("\r\n\r\n", start)) !== -1) {
    frames++;
    start = end + 4;
  }
  if (start > 0) {
    pending = pending.slice(start);
    last = performance.now();
  }
}
conn.close();
report({ kind: "stream", events: frames - 1, bytes: 0, ms: last - started, peakRss: peakRss() });
