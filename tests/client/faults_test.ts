/**
 * One test per fault the test server can inject: what the client does, and
 * that no other response or event is lost.
 */
import assert from "node:assert/strict";
import { type AmiClient, type AmiClientOptions, AmiConnectionError } from "../../mod.ts";
import {
  AmiTestServer,
  type AmiTestSession,
  garbageBytes,
  invalidUtf8Event,
  oversizeFrame,
} from "../../testing.ts";
import { loggedIn } from "../support/logged_in.ts";
import { collectProtocolErrors } from "../support/protocol_errors.ts";

const GREETING = "Grüße aus Köln ☎ 日本語";

/** A logged-in client and the server's session for it. */
async function loggedInWithSession(
  server: AmiTestServer,
  options: AmiClientOptions = {},
): Promise<{ client: AmiClient; session: AmiTestSession }> {
  const client = await loggedIn(server, options);
  return { client, session: server.sessions.at(-1)! };
}

/**
 * Emits `count` numbered events and pipelines `count` pings, then checks that
 * every event arrived whole and in order, and every ping got its answer.
 */
async function assertNothingLost(client: AmiClient, session: AmiTestSession, count = 20) {
  const stream = client.events("UserEvent");
  for (let i = 0; i < count; i++) {
    session.emit({ Event: "UserEvent", UserEvent: "probe", N: i, Greeting: GREETING });
  }
  const pongs = await Promise.all(
    Array.from({ length: count }, () => client.send({ Action: "Ping" })),
  );
  assert.equal(pongs.filter((pong) => pong.Ping === "Pong").length, count);
  for (let i = 0; i < count; i++) {
    const ev = (await stream.next()).value!;
    assert.equal(ev.N, String(i));
    assert.equal(ev.Greeting, GREETING);
  }
  await stream.return();
}

Deno.test("fault: every write split into single bytes loses nothing", async () => {
  await using server = new AmiTestServer({ faults: { chunkSize: 1 } });
  const { client, session } = await loggedInWithSession(server);
  await assertNothingLost(client, session);
  await client.close();
});

Deno.test("fault: writes split at arbitrary offsets (inside UTF-8 characters too) lose nothing", async () => {
  const offsets = Array.from({ length: 400 }, (_, i) => 31 + i * 7 + (i % 5));
  await using server = new AmiTestServer({ faults: { splitAt: offsets } });
  const { client, session } = await loggedInWithSession(server);
  await assertNothingLost(client, session);
  await client.close();
});

Deno.test("fault: garbage bytes are confined to the frame they arrive in", async () => {
  const { errors, options } = collectProtocolErrors();
  await using server = new AmiTestServer();
  const { client, session } = await loggedInWithSession(server, options);
  await session.send(garbageBytes(4096, 7));
  await session.send("\r\n\r\n");
  await assertNothingLost(client, session);
  assert.ok(errors.length >= 1);
  assert.ok(errors.every((error) => error.kind === "unknown-frame"));
  await client.close();
});

Deno.test("fault: invalid UTF-8 is decoded as U+FFFD and the session goes on", async () => {
  await using server = new AmiTestServer();
  const { client, session } = await loggedInWithSession(server);
  const stream = client.events("UserEvent");
  await session.send(invalidUtf8Event());
  const ev = (await stream.next()).value!;
  assert.match(ev.Body ?? "", /^bad \uFFFD/);
  await stream.return();
  await assertNothingLost(client, session);
  await client.close();
});

Deno.test("fault: an oversize frame is skipped and reported; the frames around it arrive", async () => {
  const { errors, options } = collectProtocolErrors();
  await using server = new AmiTestServer({ faults: { chunkSize: 1000 } });
  const { client, session } = await loggedInWithSession(server, {
    ...options,
    maxFrameBytes: 64 * 1024,
  });
  await session.send(oversizeFrame(300_000));
  await assertNothingLost(client, session);
  assert.deepEqual(errors.map((error) => error.kind), ["frame-too-large"]);
  await client.close();
});

Deno.test("fault: a close in the middle of a frame keeps every complete event and fails the pending action", async () => {
  const { errors, options } = collectProtocolErrors();
  await using server = new AmiTestServer();
  const { client, session } = await loggedInWithSession(server, options);
  const stream = client.events("UserEvent");
  for (let i = 0; i < 5; i++) session.emit({ Event: "UserEvent", N: i });
  session.faults = { silent: true };
  const pending = client.send({ Action: "Ping" });
  await session.waitForAction((action) => action.name === "Ping");
  await session.send("Event: UserEvent\r\nN: 5\r\nGreet");
  await session.close();
  await assert.rejects(pending, AmiConnectionError);
  assert.ok((await client.closed) instanceof AmiConnectionError);
  // The cut frame is reported once, with what arrived of it.
  assert.deepEqual(errors.map((error) => error.kind), ["truncated-frame"]);
  assert.equal(errors[0]?.frame?.get("Event"), "UserEvent");
  assert.ok(errors[0]?.frame?.toString().startsWith("Event: UserEvent\r\nN: 5\r\nGreet"));
  // Events received before the loss are still delivered, then the error.
  for (let i = 0; i < 5; i++) assert.equal((await stream.next()).value?.N, String(i));
  await assert.rejects(stream.next(), AmiConnectionError);
  await assert.rejects(client.send({ Action: "Ping" }), AmiConnectionError);
});

Deno.test("fault: a silent (half-open) peer times actions out; answers that come later are not misrouted", async () => {
  const { errors, options } = collectProtocolErrors();
  await using server = new AmiTestServer();
  const { client, session } = await loggedInWithSession(server, { ...options, actionTimeout: 20 });
  session.faults = { silent: true };
  const results = await Promise.allSettled([1, 2, 3].map(() => client.send({ Action: "Ping" })));
  assert.ok(results.every((r) => r.status === "rejected" && r.reason.name === "AmiTimeoutError"));
  session.faults = {};
  await assertNothingLost(client, session);
  assert.deepEqual(errors, []);
  await client.close();
});
