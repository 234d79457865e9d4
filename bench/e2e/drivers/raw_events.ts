/**
 * The machine's limit: a raw `Deno.connect` reader that logs in and counts
 * bytes until the server ends the stream. No parsing at all.
 *
 * @module
 */

import { argument, peakRss, report, USER } from "../measure.ts";

const port = argument("port");
const events = argument("events");
const readBytes = argument("read-bytes", 256 * 1024);

const started = performance.now();
const conn = await Deno.connect({ hostname: "127.0.0.1", port });
await conn.write(
  new TextEncoder().encode(
    `Action: Login\r\nActionID: 1\r\nUsername: ${USER.username}\r\nSecret: ${USER.secret}\r\n\r\n`,
  ),
);
const buffer = new Uint8Array(readBytes);
let bytes = 0;
while (true) {
  const n = await conn.read(buffer);
  if (n === null) break;
  bytes += n;
}
const ms = performance.now() - started;
conn.close();
report({ kind: "stream", events, bytes, ms, peakRss: peakRss() });
