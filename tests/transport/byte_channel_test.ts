/**
 * The connection reads and writes a socket directly when the transport is
 * one (read into a buffer, write byte arrays, close), and goes through the
 * streams otherwise. A socket may write fewer bytes than asked: every byte
 * must still go out, in order.
 */
import assert from "node:assert/strict";
import { openByteChannel } from "../../src/transport/byte_channel.ts";
import type { AmiTransport } from "../../src/transport/open_transport.ts";
import { AmiClient } from "../../mod.ts";
import { until } from "../support/until.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A socket that hands out what it is fed in reads of at most `readSize`
 * bytes, and takes writes `writeSize` bytes at a time.
 */
function fakeSocket(readSize: number, writeSize: number) {
  let incoming = new Uint8Array(0);
  const written: number[] = [];
  let closes = 0;
  let waiting: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const socket = {
    readable: new ReadableStream<Uint8Array>(),
    writable: new WritableStream<Uint8Array>(),
    async read(buffer: Uint8Array): Promise<number | null> {
      // Nothing to read: wait to be fed or closed, as a quiet socket does.
      while (incoming.length === 0) {
        if (closes > 0) throw new Error("closed");
        await new Promise<void>((resolve, reject) => waiting = { resolve, reject });
      }
      const count = Math.min(readSize, buffer.length, incoming.length);
      buffer.set(incoming.subarray(0, count));
      incoming = incoming.subarray(count);
      return count;
    },
    write(bytes: Uint8Array): Promise<number> {
      const count = Math.min(writeSize, bytes.length);
      written.push(...bytes.subarray(0, count));
      return Promise.resolve(count);
    },
    close(): void {
      closes++;
      waiting?.reject(new Error("closed"));
    },
  };
  const feed = (text: string) => {
    incoming = Uint8Array.from([...incoming, ...encoder.encode(text)]);
    waiting?.resolve();
  };
  return {
    socket,
    feed,
    written: () => decoder.decode(Uint8Array.from(written)),
    closes: () => closes,
  };
}

Deno.test("a socket transport is written in full even when it takes a few bytes at a time", async () => {
  const { socket, written } = fakeSocket(1, 3);
  const channel = openByteChannel(socket as AmiTransport);
  await channel.write(encoder.encode("Action: Ping\r\nActionID: 1\r\n\r\n"));
  assert.equal(written(), "Action: Ping\r\nActionID: 1\r\n\r\n");
  channel.close();
});

Deno.test("a socket transport is written text after text in full, short, long and beyond ASCII", async () => {
  const { socket, written } = fakeSocket(1, 5);
  const channel = openByteChannel(socket as AmiTransport);
  const texts = [
    "Action: Ping\r\nActionID: 1\r\n\r\n",
    "Action: UserEvent\r\nUserEvent: x\r\nBody: Żółć 山田\r\n\r\n",
    `Action: UserEvent\r\nBody: ${"é".repeat(20_000)}\r\n\r\n`,
    "Action: Ping\r\nActionID: 2\r\n\r\n",
  ];
  for (const text of texts) await channel.writeText(text);
  assert.equal(written(), texts.join(""));
  channel.close();
});

Deno.test("a socket transport is read into one buffer; cancelling closes it once", async () => {
  const text = "Event: A\r\n\r\nEvent: B\r\n\r\n";
  const { socket, feed, closes } = fakeSocket(7, 64);
  feed(text);
  const channel = openByteChannel(socket as AmiTransport);
  let read = "";
  const first = await channel.read();
  assert.ok(first !== null);
  read += decoder.decode(first);
  const second = await channel.read();
  assert.ok(second !== null);
  assert.equal(second.buffer, first.buffer, "reads fill the same memory");
  read += decoder.decode(second);
  while (read.length < text.length) read += decoder.decode((await channel.read())!);
  assert.equal(read, text);
  const pending = channel.read();
  channel.cancelRead();
  await assert.rejects(pending);
  channel.close();
  assert.equal(closes(), 1, "closed once, however often asked");
});

Deno.test("a client over a fake socket reads answers and writes actions through it", async () => {
  const { socket, feed, written } = fakeSocket(5, 4);
  feed("Asterisk Call Manager/13.0.0\r\n");
  const client = new AmiClient(socket as AmiTransport);
  const answered = client.send({ Action: "Ping", ActionID: "a1" });
  // Answer once the whole action is out.
  await until(() => written().endsWith("\r\n\r\n"), "the action is written");
  assert.equal(written(), "Action: Ping\r\nActionID: a1\r\n\r\n");
  feed("Response: Success\r\nActionID: a1\r\nPing: Pong\r\n\r\n");
  assert.equal((await answered).Ping, "Pong");
  await client.close();
});
