/**
 * The reader must drain the socket, but a stream that always has data ready
 * would then never let a timer run: action timeouts and keepalives would
 * wait for the burst to end. These tests feed an endless-looking stream.
 */
import assert from "node:assert/strict";
import { AmiClient, AmiConnectionError, type AmiEvent, AmiTimeoutError } from "../../mod.ts";

const EVENT = new TextEncoder().encode(
  ("Event: Newexten\r\nPrivilege: dialplan,all\r\nChannel: Local/a-00000001;1\r\n" +
    "Context: default\r\nExten: 100\r\nApplication: NoOp\r\nAppData: burst\r\n\r\n").repeat(64),
);

/** A stream of `chunks` reads of events, each ready at once, counting what was pulled. */
function burst(chunks: number): { readable: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const readable = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (++pulled > chunks) controller.close();
      else controller.enqueue(EVENT);
    },
  });
  return { readable, pulled: () => pulled };
}

Deno.test("an action times out while the server is still in the middle of a long burst", async () => {
  const total = 200_000;
  const { readable, pulled } = burst(total);
  const client = new AmiClient({ readable, writable: new WritableStream() }, { banner: false });
  await assert.rejects(client.send({ Action: "Ping" }, { timeout: 5 }), AmiTimeoutError);
  assert.ok(pulled() < total, `the timeout fired only after the whole burst (${pulled()} reads)`);
  await client.close();
});

/**
 * Reads every event named `name` from a client over `readable` until the
 * stream ends (the client then closes with an error, which the consumer
 * sees after every event), calling `handle` on each; returns how many.
 */
async function consumeAll(
  readable: ReadableStream<Uint8Array>,
  name: string,
  handle: (ev: AmiEvent) => unknown,
): Promise<number> {
  const client = new AmiClient({ readable, writable: new WritableStream() }, { banner: false });
  let count = 0;
  await assert.rejects(async () => {
    for await (const ev of client.events(name)) {
      await handle(ev);
      count++;
    }
  }, AmiConnectionError);
  await client.close();
  return count;
}

Deno.test("a consumer that keeps pace does not overflow the default buffer in a burst", async () => {
  const chunks = 1000;
  const count = await consumeAll(burst(chunks).readable, "Newexten", (ev) => {
    assert.equal(ev.AppData, "burst");
  });
  assert.equal(count, chunks * 64);
});

Deno.test("one read holding more events than a consumer's buffer does not overflow it", async () => {
  // 3,000 small events (about 90 bytes each) in a single read of about 270 KB.
  const small =
    "Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 1\r\nStatus: Fully Booted\r\n\r\n";
  const events = 3000;
  const read = new TextEncoder().encode(small.repeat(events));
  const count = await consumeAll(ReadableStream.from([read]), "FullyBooted", (ev) => {
    assert.equal(ev.Status, "Fully Booted");
  });
  assert.equal(count, events);
});

Deno.test("a consumer that awaits a few promises of its own per event keeps pace in a burst", async () => {
  const chunks = 300;
  const count = await consumeAll(burst(chunks).readable, "Newexten", async (ev) => {
    // Work of its own between events, as an async handler does: twelve awaits of settled promises.
    for (let i = 0; i < 12; i++) await Promise.resolve(ev);
  });
  assert.equal(count, chunks * 64);
});
