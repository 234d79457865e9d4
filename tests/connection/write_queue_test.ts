/**
 * Writes are bounded: when the server stops reading, actions past
 * `maxWriteQueueBytes` fail at once with a typed error, and an action given
 * up (timed out or aborted) before its turn to be written is never written.
 */
import assert from "node:assert/strict";
import { AmiClient, AmiTimeoutError } from "../../mod.ts";

Deno.test("an action that timed out while waiting to be written is never written", async () => {
  const written: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const fromServer = new TransformStream<Uint8Array, Uint8Array>();
  const decoder = new TextDecoder();
  const client = new AmiClient({
    readable: fromServer.readable,
    writable: new WritableStream<Uint8Array>({
      async write(chunk) {
        written.push(decoder.decode(chunk));
        await gate; // the first write hangs: the server is not reading
      },
    }),
  }, { banner: false });
  // Its rejection is awaited from the start: on a loaded machine the timer may run late and
  // expire it together with the two below.
  const first = assert.rejects(
    client.send({ Action: "Ping", ActionID: "first" }, { timeout: 60 }),
    AmiTimeoutError,
  );
  await new Promise((resolve) => setTimeout(resolve, 5));
  // Both are given up at about the same time, in either order: each is awaited from the start.
  await Promise.all([
    assert.rejects(client.send({ Action: "Ping", ActionID: "late-1" }, { timeout: 10 })),
    assert.rejects(
      client.send({ Action: "Ping", ActionID: "late-2" }, { signal: AbortSignal.timeout(10) }),
    ),
  ]);
  const last = client.send({ Action: "Ping", ActionID: "last" }, { timeout: 60 });
  release();
  await first;
  await assert.rejects(last, AmiTimeoutError);
  const text = written.join("");
  assert.match(text, /ActionID: first/);
  assert.match(text, /ActionID: last/);
  assert.doesNotMatch(text, /late-/);
  await client.close();
});
