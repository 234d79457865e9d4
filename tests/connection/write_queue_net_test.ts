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
