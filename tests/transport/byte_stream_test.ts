/**
 * A transport whose readable side is a byte stream (as a socket's is) is
 * read into one reused buffer: every frame must still come out whole, even
 * when frames, lines and UTF-8 characters are split across reads and the
 * buffer is filled again before the next frame is finished.
 */
import assert from "node:assert/strict";
import { AmiClient, type AmiMessage } from "../../mod.ts";

const encoder = new TextEncoder();

/** Frames that exercise splits: UTF-8 text, repeated keys, and one frame larger than a read. */
function frames(): string[] {
  const list: string[] = [];
  for (let i = 0; i < 40; i++) {
    list.push(
      `Event: UserEvent\r\nUniqueID: ${i}\r\nGreeting: Grüße ☎ 日本語 ${i}\r\n` +
        `ChanVariable: A=${i}\r\nChanVariable: B=${i}\r\n\r\n`,
    );
  }
  list.push(`Event: UserEvent\r\nUniqueID: big\r\nBody: ${"é".repeat(70_000)}\r\n\r\n`);
  list.push("Event: UserEvent\r\nUniqueID: last\r\n\r\n");
  return list;
}

/** A client over a byte stream that serves `bytes` through `serve`, and a sink for writes. */
function clientOver(
  serve: (controller: ReadableByteStreamController, bytes: Uint8Array, at: number) => number,
  bytes: Uint8Array,
): AmiClient {
  let at = 0;
  const readable = new ReadableStream({
    type: "bytes",
    pull(controller) {
      if (at >= bytes.length) return; // Stays open: the client closes it.
      at = serve(controller, bytes, at);
    },
  });
  const writable = new WritableStream<Uint8Array>();
  return new AmiClient({ readable, writable }, { banner: false, actionTimeout: 60_000 });
}

async function receiveAll(client: AmiClient, count: number): Promise<AmiMessage[]> {
  const events = client.events(undefined, { bufferSize: 1000 });
  const received: AmiMessage[] = [];
  for await (const event of events) {
    received.push(event);
    if (received.length === count) break;
  }
  return received;
}

Deno.test("a byte stream served a few bytes per read gives every frame whole", async () => {
  const sent = frames();
  const bytes = encoder.encode(sent.join(""));
  // Seven bytes per read: every kind of split happens, UTF-8 characters included.
  await using client = clientOver((controller, source, at) => {
    const request = controller.byobRequest;
    assert.ok(request?.view, "the client reads with its own buffer");
    const view = new Uint8Array(request.view.buffer, request.view.byteOffset, 7);
    const piece = source.subarray(at, at + 7);
    view.set(piece);
    request.respond(piece.length);
    return at + piece.length;
  }, bytes);
  const received = await receiveAll(client, sent.length);
  assert.deepEqual(received.map((event) => event.toString()), sent);
  assert.equal(received[0]?.get("Greeting"), "Grüße ☎ 日本語 0");
  assert.deepEqual(received[39]?.getAll("ChanVariable"), ["A=39", "B=39"]);
  assert.equal(received.at(-2)?.get("Body"), "é".repeat(70_000));
});

Deno.test("a byte stream that enqueues chunks of its own, larger than a read, gives every frame whole", async () => {
  const sent = frames();
  const bytes = encoder.encode(sent.join(""));
  // 100,000-byte chunks: larger than the client's read buffer, so each is taken in parts.
  await using client = clientOver((controller, source, at) => {
    const chunk = source.slice(at, at + 100_000);
    const next = at + chunk.length;
    controller.enqueue(chunk); // Transfers the chunk: its length reads 0 from here on.
    return next;
  }, bytes);
  const received = await receiveAll(client, sent.length);
  assert.deepEqual(received.map((event) => event.toString()), sent);
});
