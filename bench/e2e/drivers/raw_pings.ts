/**
 * The baseline for actions: a raw socket that writes `Ping` actions and
 * counts the responses, keeping `--inflight` pings outstanding. Each read's
 * follow-up pings go out in one write.
 *
 * @module
 */

import { argument, measurePings, USER } from "../measure.ts";

const port = argument("port");
const pings = argument("pings");
const inflight = argument("inflight");
const warmup = argument("warmup", 0);

const encoder = new TextEncoder();
const conn = await Deno.connect({ hostname: "127.0.0.1", port });
conn.setNoDelay(true);
const buffer = new Uint8Array(64 * 1024);
/** Bytes of the CRLFCRLF pattern matched so far, carried across reads. */
let matched = 0;

/** Reads once; returns how many frames ended in what was read. */
async function readFrames(): Promise<number> {
  const n = await conn.read(buffer);
  if (n === null) throw new Error("the server closed the connection");
  let frames = 0;
  for (let i = 0; i < n; i++) {
    const byte = buffer[i];
    if (byte === (matched % 2 === 0 ? 13 : 10)) {
      if (++matched === 4) {
        frames++;
        matched = 0;
      }
    } else {
      matched = byte === 13 ? 1 : 0;
    }
  }
  return frames;
}

await conn.write(
  encoder.encode(
    `Action: Login\r\nActionID: login\r\nUsername: ${USER.username}\r\nSecret: ${USER.secret}\r\n\r\n`,
  ),
);
// The banner has no empty line after it, so the first frame to end is the login response.
while ((await readFrames()) === 0);

/**
 * Runs `count` pings, `inflight` at a time, sending none after `deadline`;
 * returns each answered one's latency in ms.
 */
async function run(count: number, deadline: number): Promise<Float64Array> {
  const latencies = new Float64Array(count);
  const sentAt = new Float64Array(count);
  let sent = 0;
  let answered = 0;
  const send = async (upTo: number): Promise<void> => {
    let text = "";
    const now = performance.now();
    for (; sent < upTo; sent++) {
      sentAt[sent] = now;
      text += `Action: Ping\r\nActionID: p${sent}\r\n\r\n`;
    }
    if (text.length > 0) await conn.write(encoder.encode(text));
  };
  await send(Math.min(inflight, count));
  while (answered < count) {
    const frames = await readFrames();
    const now = performance.now();
    // The server answers in order, so answers match pings first in, first out.
    for (let i = 0; i < frames; i++, answered++) latencies[answered] = now - sentAt[answered]!;
    if (performance.now() >= deadline) count = sent;
    await send(Math.min(answered + inflight, count));
  }
  return latencies.subarray(0, count);
}

await measurePings(run, pings, warmup);
