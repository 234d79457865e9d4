/**
 * A reference for what any AMI client must at least do per action, and
 * nothing more: the least a promise-per-action client can do. Each action
 * gets an ActionID and a promise; each read is decoded, cut into frames at
 * CRLFCRLF, and each answer's ActionID settles its promise. No checks, no
 * timeouts, no message objects: it only shows how far the raw-socket row
 * is from a client that answers `await send(...)`.
 *
 * @module
 */

import { argument, inFlight, measurePings, USER } from "../measure.ts";

const port = argument("port");
const pings = argument("pings");
const inflight = argument("inflight");
const warmup = argument("warmup", 0);

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const conn = await Deno.connect({ hostname: "127.0.0.1", port });
conn.setNoDelay(true);

const waiting = new Map<string, () => void>();
let nextId = 0;
let queued: string[] = [];

/** Queues one action; the actions queued in one turn go out in one write. */
function send(name: string): Promise<void> {
  const id = `m${++nextId}`;
  const answered = new Promise<void>((resolve) => waiting.set(id, resolve));
  if (queued.length === 0) queueMicrotask(flush);
  queued.push(`Action: ${name}\r\nActionID: ${id}\r\n\r\n`);
  return answered;
}

function flush(): void {
  const text = queued.join("");
  queued = [];
  conn.write(encoder.encode(text)).catch(() => {});
}

/** Reads until the connection ends, settling each answered action. */
async function readAnswers(): Promise<void> {
  const buffer = new Uint8Array(256 * 1024);
  let pending = "";
  while (true) {
    const n = await conn.read(buffer);
    if (n === null) return;
    pending += decoder.decode(buffer.subarray(0, n), { stream: true });
    let start = 0;
    while (true) {
      const end = pending.indexOf("\r\n\r\n", start);
      if (end === -1) break;
      const at = pending.indexOf("ActionID: ", start);
      if (at !== -1 && at < end) {
        const idEnd = pending.indexOf("\r\n", at);
        const id = pending.slice(at + 10, idEnd);
        const resolve = waiting.get(id);
        if (resolve !== undefined) {
          waiting.delete(id);
          resolve();
        }
      }
      start = end + 4;
    }
    pending = pending.slice(start);
  }
}

const reading = readAnswers();
// The banner comes first; the login is answered like any other action.
await (async () => {
  const id = `m${++nextId}`;
  const answered = new Promise<void>((resolve) => waiting.set(id, resolve));
  await conn.write(
    encoder.encode(
      `Action: Login\r\nActionID: ${id}\r\nUsername: ${USER.username}\r\nSecret: ${USER.secret}\r\n\r\n`,
    ),
  );
  await answered;
})();

void reading;
await measurePings(
  (count, deadline) => inFlight(count, inflight, () => send("Ping"), deadline),
  pings,
  warmup,
);
