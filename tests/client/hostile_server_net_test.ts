/**
 * The client against hand-written servers (raw sockets, bytes written by
 * hand): each test is a promise from issue 13 that broke before its fix.
 */
import assert from "node:assert/strict";
import {
  AmiAuthenticationError,
  AmiClient,
  AmiConnectionError,
  type AmiProtocolError,
  AmiTimeoutError,
} from "../../mod.ts";
import { acceptLogin, BANNER, FrameReader, rawServer, writeText } from "../support/raw_server.ts";

/** A client logged in (plain) to a raw server, reporting protocol errors into `errors`. */
async function connectTo(
  port: number,
  errors: AmiProtocolError[] = [],
  actionTimeout = 2_000,
): Promise<AmiClient> {
  const client = new AmiClient(await Deno.connect({ hostname: "127.0.0.1", port }), {
    onProtocolError: (error) => errors.push(error),
    actionTimeout,
  });
  // Events chosen at login: these scripted servers answer a fixed sequence of actions, and the
  // client sends no Events action of its own then.
  await client.login({ username: "admin", secret: "amp111", auth: "plain", events: "on" });
  return client;
}

Deno.test("a server that is not AMI is refused with AmiConnectionError, not a timeout", async () => {
  await using server = rawServer(async (conn) => {
    await writeText(conn, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    await new FrameReader(conn).next();
  });
  const error = await AmiClient.connect(server.url, { connectTimeout: 3_000 }).then(
    () => undefined,
    (error) => error,
  );
  assert.ok(error instanceof AmiConnectionError, String(error));
  assert.ok(!(error instanceof AmiTimeoutError));
  assert.match(error.message, /not AMI.*HTTP\/1\.1 400/);
});

Deno.test("a server that echoes the secret in its refusal never gets it into AmiAuthenticationError", async () => {
  const secret = "s3cr3t-Value";
  await using server = rawServer(async (conn) => {
    await writeText(conn, BANNER);
    const reader = new FrameReader(conn);
    const login = await reader.next();
    await writeText(
      conn,
      `Response: Error\r\nActionID: ${login?.ActionID}\r\n` +
        `Message: Authentication failed for ${login?.Secret}\r\n\r\n`,
    );
    await reader.next();
  });
  const error = await AmiClient.connect(
    `ami://admin:${secret}@127.0.0.1:${server.port}?auth=plain`,
  ).then(() => undefined, (error) => error);
  assert.ok(error instanceof AmiAuthenticationError);
  assert.ok(!error.message.includes(secret), error.message);
  assert.match(error.message, /Authentication failed for \*\*\*/);
  assert.ok(!JSON.stringify({ ...error, text: error.response?.toString() }).includes(secret));
});

Deno.test("originate() sends Async: true once, whatever Async the caller wrote", async () => {
  const originates: string[] = [];
  await using server = rawServer(async (conn) => {
    await writeText(conn, BANNER);
    const reader = new FrameReader(conn);
    await acceptLogin(conn, reader);
    const decoder = new TextDecoder();
    const buffer = new Uint8Array(4096);
    const count = await conn.read(buffer);
    const text = decoder.decode(buffer.subarray(0, count ?? 0));
    originates.push(text);
    const id = /ActionID: (.*)\r\n/.exec(text)?.[1];
    await writeText(
      conn,
      `Response: Success\r\nActionID: ${id}\r\nMessage: Originate successfully queued\r\n\r\n` +
        `Event: OriginateResponse\r\nActionID: ${id}\r\nResponse: Success\r\nUniqueid: 1.1\r\n\r\n`,
    );
    await reader.next();
  });
  await using client = await connectTo(server.port);
  const done = await client.originate({
    Action: "Originate",
    async: "false",
    Channel: "PJSIP/100",
    Application: "Playback",
    Data: "demo-congrats",
  } as never);
  assert.equal(done.Uniqueid, "1.1");
  const asyncLines = originates[0]!.split("\r\n").filter((line) => /^async:/i.test(line));
  assert.deepEqual(asyncLines, ["Async: true"]);
});

Deno.test("a duplicated response inside an event list neither ends it nor sends its items to events()", async () => {
  await using server = rawServer(async (conn) => {
    await writeText(conn, BANNER);
    const reader = new FrameReader(conn);
    await acceptLogin(conn, reader);
    const action = await reader.next();
    const id = action?.ActionID;
    const response = `Response: Success\r\nActionID: ${id}\r\nEventList: start\r\n\r\n`;
    await writeText(
      conn,
      response +
        `Event: CoreShowChannel\r\nActionID: ${id}\r\nChannel: A\r\n\r\n` +
        `Response: Success\r\nActionID: ${id}\r\nMessage: duplicate\r\n\r\n` +
        `Event: CoreShowChannel\r\nActionID: ${id}\r\nChannel: B\r\n\r\n` +
        `Event: CoreShowChannelsComplete\r\nActionID: ${id}\r\nEventList: Complete\r\n` +
        `ListItems: 2\r\n\r\n`,
    );
    await reader.next();
  });
  const errors: AmiProtocolError[] = [];
  await using client = await connectTo(server.port, errors);
  const stray = client.events();
  const { items, complete } = await client.sendList({ Action: "CoreShowChannels" });
  assert.deepEqual(items.map((item) => item.Channel), ["A", "B"]);
  assert.equal(complete?.ListItems, "2");
  assert.deepEqual(errors.map((error) => error.kind), ["unroutable-response"]);
  assert.equal(stray.buffered, 0);
});

Deno.test("list items that come after their list timed out are reported as unroutable, not sent to events()", async () => {
  let sendLate!: () => void;
  const late = new Promise<void>((resolve) => sendLate = resolve);
  await using server = rawServer(async (conn) => {
    await writeText(conn, BANNER);
    const reader = new FrameReader(conn);
    await acceptLogin(conn, reader);
    const id = (await reader.next())?.ActionID;
    await late;
    await writeText(
      conn,
      `Response: Success\r\nActionID: ${id}\r\nEventList: start\r\n\r\n` +
        `Event: QueueMember\r\nActionID: ${id}\r\nName: PJSIP/100\r\n\r\n` +
        `Event: QueueStatusComplete\r\nActionID: ${id}\r\nEventList: Complete\r\n\r\n` +
        `Event: Hangup\r\nChannel: PJSIP/9\r\n\r\n`,
    );
    await reader.next();
  });
  const errors: AmiProtocolError[] = [];
  await using client = await connectTo(server.port, errors);
  const events = client.events();
  await assert.rejects(
    client.sendList({ Action: "QueueStatus" }, { timeout: 20 }),
    AmiTimeoutError,
  );
  sendLate();
  // The unrelated event after the list shows that everything before it was handled.
  assert.equal((await events.next()).value?.Event, "Hangup");
  assert.deepEqual(errors.map((error) => error.kind), [
    "unroutable-response",
    "unroutable-event",
    "unroutable-event",
  ]);
});

Deno.test("an explicit ActionID whose action timed out stays reserved until its late answer comes", async () => {
  let answer!: () => void;
  const answerNow = new Promise<void>((resolve) => answer = resolve);
  await using server = rawServer(async (conn) => {
    await writeText(conn, BANNER);
    const reader = new FrameReader(conn);
    await acceptLogin(conn, reader);
    await reader.next(); // the first Ping: answered late
    await answerNow;
    await writeText(conn, "Response: Success\r\nActionID: mine\r\nPing: Pong\r\nLate: yes\r\n\r\n");
    const again = await reader.next();
    await writeText(
      conn,
      `Response: Success\r\nActionID: ${again?.ActionID}\r\nPing: Pong\r\n\r\n`,
    );
    await reader.next();
  });
  const errors: AmiProtocolError[] = [];
  await using client = await connectTo(server.port, errors);
  await assert.rejects(
    client.send({ Action: "Ping", ActionID: "mine" }, { timeout: 20 }),
    AmiTimeoutError,
  );
  await assert.rejects(client.send({ Action: "Ping", ActionID: "mine" }), /still reserved/);
  answer();
  while (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(errors[0]!.kind, "unroutable-response");
  const reply = await client.send({ Action: "Ping", ActionID: "mine" });
  assert.equal(reply.get("Late"), undefined);
});

Deno.test("events() with an already-aborted signal leaves no consumer attached", async () => {
  await using server = rawServer(async (conn) => {
    await writeText(conn, BANNER);
    const reader = new FrameReader(conn);
    await acceptLogin(conn, reader);
    await reader.next();
  });
  await using client = await connectTo(server.port);
  const stream = client.events(undefined, { signal: AbortSignal.abort() });
  assert.equal(client.stats.eventConsumers, 0);
  assert.deepEqual(await stream.next(), { value: undefined, done: true });
});

Deno.test("a server that accepts the login and drops at once is retried maxAttempts times, with growing backoff", async () => {
  const acceptedAt: number[] = [];
  const droppedAt: number[] = [];
  await using server = rawServer(async (conn) => {
    await writeText(conn, BANNER);
    const reader = new FrameReader(conn);
    if (await acceptLogin(conn, reader) === undefined) return;
    acceptedAt.push(performance.now());
    // Up for a moment, silent, then gone: well within the 5 s a connection needs to count as up.
    await new Promise((resolve) => setTimeout(resolve, 20));
    droppedAt.push(performance.now());
    conn.close();
  });
  const client = await AmiClient.connect(server.url, {
    auth: "plain",
    // Backoffs of 20, 80 and 320 ms: far enough apart for a loaded machine's noise.
    reconnect: { initialDelay: 20, factor: 4, maxDelay: 1_000, jitter: 0, maxAttempts: 3 },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reason = await Promise.race([
    client.closed,
    new Promise<string>((resolve) =>
      timer = setTimeout(() => resolve("still reconnecting"), 5_000)
    ),
  ]);
  clearTimeout(timer);
  await client.close();
  assert.ok(reason instanceof AmiConnectionError, String(reason));
  assert.match(reason.message, /Gave up reconnecting after 3 attempts/);
  // The first connection and three attempts, each after a longer wait than the one before: from
  // the drop to the next login, at least the attempt's backoff.
  assert.equal(acceptedAt.length, 4);
  const waits = acceptedAt.slice(1).map((at, i) => at - droppedAt[i]!);
  assert.ok(waits[1]! > waits[0]! && waits[2]! > waits[1]!, `waits ${waits.join(", ")}`);
  [20, 80, 320].forEach((backoff, i) =>
    assert.ok(waits[i]! >= backoff - 2, `waits ${waits.join(", ")}`)
  );
});
