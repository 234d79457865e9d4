/**
 * Writes are bounded: when the server stops reading, actions past
 * `maxWriteQueueBytes` fail at once with a typed error, and an action given
 * up (timed out or aborted) before its turn to be written is never written.
 */
import assert from "node:assert/strict";
import { AmiClient, AmiTimeoutError, AmiWriteQueueFullError } from "../../mod.ts";
import { acceptLogin, BANNER, FrameReader, rawServer, writeText } from "../support/raw_server.ts";

Deno.test("a server that stops reading makes actions past maxWriteQueueBytes fail at once with AmiWriteQueueFullError", async () => {
  let resume!: () => void;
  const reading = new Promise<void>((resolve) => resume = resolve);
  await using server = rawServer(async (conn) => {
    await writeText(conn, BANNER);
    const reader = new FrameReader(conn);
    await acceptLogin(conn, reader);
    await reading; // stops reading: the kernel's buffers fill, then the client's queue
    while (await reader.next() !== undefined) {
      // drain until the client goes
    }
  });
  const client = new AmiClient(await Deno.connect({ hostname: "127.0.0.1", port: server.port }), {
    maxWriteQueueBytes: 256 * 1024,
  });
  await client.login({ username: "admin", secret: "amp111", auth: "plain" });
  const data = "x".repeat(1024);
  const outcomes: Promise<unknown>[] = [];
  let full = 0;
  for (let round = 0; round < 400 && full === 0; round++) {
    for (let i = 0; i < 100; i++) {
      const sent = client.send({ Action: "UserEvent", UserEvent: "Fill", Data: data }, {
        timeout: 200,
      });
      outcomes.push(sent.catch((error) => {
        if (error instanceof AmiWriteQueueFullError) full++;
        return error;
      }));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  assert.ok(full > 0, "no action was refused");
  const errors = await Promise.all(outcomes);
  assert.ok(
    errors.every((error) =>
      error instanceof AmiWriteQueueFullError || error instanceof AmiTimeoutError
    ),
  );
  assert.equal(client.state, "connected");
  resume();
  await client.close();
});

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
  const first = client.send({ Action: "Ping", ActionID: "first" }, { timeout: 60 });
  await new Promise((resolve) => setTimeout(resolve, 5));
  const given = [
    client.send({ Action: "Ping", ActionID: "late-1" }, { timeout: 10 }),
    client.send({ Action: "Ping", ActionID: "late-2" }, { signal: AbortSignal.timeout(10) }),
  ];
  for (const sent of given) await assert.rejects(sent);
  const last = client.send({ Action: "Ping", ActionID: "last" }, { timeout: 60 });
  release();
  await assert.rejects(first, AmiTimeoutError);
  await assert.rejects(last, AmiTimeoutError);
  const text = written.join("");
  assert.match(text, /ActionID: first/);
  assert.match(text, /ActionID: last/);
  assert.doesNotMatch(text, /late-/);
  await client.close();
});
