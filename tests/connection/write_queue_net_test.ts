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

Deno.test("actions that timed out queued behind a server that stopped reading are never written once it reads again", async () => {
  let resume!: () => void;
  const reading = new Promise<void>((resolve) => resume = resolve);
  const received: string[] = [];
  await using server = rawServer(async (conn) => {
    await writeText(conn, BANNER);
    const reader = new FrameReader(conn);
    await acceptLogin(conn, reader);
    await reading; // stops reading: the kernel's buffers fill, then the client's queue
    while (true) {
      const action = await reader.next();
      if (action === undefined) return;
      received.push(action.ActionID ?? "");
      if (action.Action === "Ping") {
        await writeText(conn, `Response: Success\r\nActionID: ${action.ActionID}\r\n\r\n`);
      }
    }
  });
  // When each action was handed to the socket (the wire tap sees a frame as it is written).
  const writtenAt = new Map<string, number>();
  const client = new AmiClient(await Deno.connect({ hostname: "127.0.0.1", port: server.port }), {
    onWire: ({ direction, text }) => {
      const id = /\r\nActionID: (fill-\d+)\r\n/.exec(text)?.[1];
      if (direction === "sent" && id !== undefined) writtenAt.set(id, performance.now());
    },
  });
  await client.login({ username: "admin", secret: "amp111", auth: "plain" });
  const data = "x".repeat(8 * 1024);
  const timedOutAt = new Map<string, number>();
  const outcomes: Promise<unknown>[] = [];
  // Until 200 actions wait in the client's own queue, not yet handed to the socket.
  for (let round = 0; round < 400 && outcomes.length - writtenAt.size < 200; round++) {
    for (let i = 0; i < 50; i++) {
      const id = `fill-${outcomes.length}`;
      const sent = client.send(
        { Action: "UserEvent", UserEvent: "Fill", Data: data, ActionID: id },
        {
          timeout: 100,
        },
      );
      outcomes.push(sent.catch((error) => {
        timedOutAt.set(id, performance.now());
        assert.ok(error instanceof AmiTimeoutError, String(error));
      }));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(outcomes);
  const queuedWhenTimedOut = outcomes.length - writtenAt.size;
  assert.ok(queuedWhenTimedOut >= 200, `${queuedWhenTimedOut} actions were still queued`);
  resume();
  // Answered once the server has read everything written before it.
  await client.send({ Action: "Ping", ActionID: "after" }, { timeout: 10_000 });
  const fills = received.filter((id) => id.startsWith("fill-"));
  for (const id of fills) {
    const written = writtenAt.get(id);
    assert.ok(
      written !== undefined && written < timedOutAt.get(id)!,
      `${id} was written after it timed out`,
    );
  }
  assert.equal(fills.length, writtenAt.size);
  assert.equal(client.state, "connected");
  await client.close();
});
