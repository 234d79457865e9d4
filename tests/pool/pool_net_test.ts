import assert from "node:assert/strict";
import {
  AmiConnectionError,
  AmiGap,
  AmiPool,
  type AmiPoolEvent,
  type AmiPoolOptions,
  type AmiPoolStateChange,
} from "../../mod.ts";
import { AmiTestServer } from "../../testing.ts";
import { until } from "../support/until.ts";

// Every event on from the login: events emitted right after a stream is made reach it (by default
// a client turns events on only once a consumer exists, and a test server, as Asterisk, sends
// nothing before).
const defaults: NonNullable<AmiPoolOptions["defaults"]> = {
  events: "on",
  reconnect: { initialDelay: 2, maxDelay: 20, jitter: 0 },
  connectTimeout: 2_000,
};

function listening(options: ConstructorParameters<typeof AmiTestServer>[0] = {}): AmiTestServer {
  const server = new AmiTestServer({ authFailureDelayMs: 0, ...options });
  server.listen({ hostname: "127.0.0.1", port: 0 });
  return server;
}

/** Reads `count` items from a pool stream. */
async function take<E>(
  stream: AsyncIterator<AmiPoolEvent<E>>,
  count: number,
): Promise<AmiPoolEvent<E>[]> {
  const items: AmiPoolEvent<E>[] = [];
  while (items.length < count) {
    const { value, done } = await stream.next();
    if (done) break;
    items.push(value);
  }
  return items;
}

/** A port nothing listens on (as far as the OS knows right now). */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test("AmiPool merges the events of several PBXs, tagged, in order per PBX, with a sequence per PBX", async () => {
  await using a = listening();
  await using b = listening();
  await using pool = new AmiPool({ pbxs: { "pbx-a": a.url, "pbx-b": b.url }, defaults });
  await pool.ready();
  await using stream = pool.events("UserEvent");
  for (let i = 1; i <= 5; i++) {
    a.emit({ Event: "UserEvent", UserEvent: `a${i}` });
    b.emit({ Event: "UserEvent", UserEvent: `b${i}` });
  }
  // A response comes after the events sent before it: then both PBXs' events are waiting.
  await Promise.all([
    pool.send("pbx-a", { Action: "Ping" }),
    pool.send("pbx-b", { Action: "Ping" }),
  ]);
  // One turn of the event loop: every PBX's first event, already read, reaches the merged stream.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const items = await take(stream, 10);
  for (const pbx of ["pbx-a", "pbx-b"]) {
    const mine = items.filter((item) => item.pbx === pbx);
    const letter = pbx.at(-1);
    assert.deepEqual(
      mine.map((item) => item.event.UserEvent),
      [1, 2, 3, 4, 5].map((i) => `${letter}${i}`),
    );
    // The client's own seq: its events were read one after the other, after the login's responses.
    const first = mine[0]!.seq!;
    assert.deepEqual(mine.map((item) => item.seq), [0, 1, 2, 3, 4].map((i) => first + i));
    assert.deepEqual(mine.map((item) => item.seq), mine.map((item) => item.event.seq));
    assert.equal(new Set(mine.map((item) => item.epoch)).size, 1);
  }
  // Taken in turn, not all of one PBX first.
  assert.notEqual(items[0]!.pbx, items[1]!.pbx);
});

Deno.test("AmiPool: a PBX that is down and one that refuses the login never hold up the others", async () => {
  await using up = listening();
  await using refusing = listening();
  const refusingUrl = `ami://admin:wrong@127.0.0.1:${refusing.port}`;
  const downPort = closedPort();
  await using pool = new AmiPool({
    pbxs: { up: up.url, refusing: refusingUrl, down: `ami://admin:amp111@127.0.0.1:${downPort}` },
    defaults,
  });
  await pool.ready({ atLeast: 1 });
  await using stream = pool.events("UserEvent");
  up.emit({ Event: "UserEvent", UserEvent: "still flowing" });
  const [item] = await take(stream, 1);
  assert.equal(item?.pbx, "up");
  assert.equal((await pool.send("up", { Action: "Ping" })).Ping, "Pong");
  await assert.rejects(pool.send("down", { Action: "Ping" }), AmiConnectionError);
  await assert.rejects(pool.send("refusing", { Action: "Ping" }), /is not connected/);
  await until(() => pool.stats.refusing?.lastError !== undefined, "the refused login is recorded");
  assert.match(pool.stats.refusing?.lastError ?? "", /Login as "admin" failed/);
  assert.doesNotMatch(JSON.stringify(pool.stats), /wrong|amp111/);
  assert.equal(pool.stats.down?.state, "disconnected");
  assert.equal(pool.stats.up?.state, "connected");

  // The PBX that was down comes up: the pool connects to it on its own.
  await using late = listening();
  await late.stopListening();
  late.listen({ hostname: "127.0.0.1", port: downPort });
  await pool.ready({ atLeast: 2, signal: AbortSignal.timeout(5_000) });
  assert.equal(pool.state("down"), "connected");
  late.emit({ Event: "UserEvent", UserEvent: "late" });
  const [fromLate] = await take(stream, 1);
  assert.deepEqual([fromLate?.pbx, fromLate?.event.UserEvent], ["down", "late"]);
});

Deno.test("AmiPool: a PBX's connection that drops and comes back is a gap tagged with that PBX", async () => {
  await using a = listening();
  await using b = listening();
  await using pool = new AmiPool({ pbxs: { a: a.url, b: b.url }, defaults });
  await pool.ready();
  const changes: AmiPoolStateChange[] = [];
  const following = (async () => {
    for await (const change of pool.stateChanges()) changes.push(change);
  })();
  await using stream = pool.events("UserEvent", { gaps: true });
  a.emit({ Event: "UserEvent", UserEvent: "before" });
  assert.equal((await take(stream, 1))[0]?.event instanceof AmiGap, false);
  await (await a.waitForSession(1)).abort();
  const [gap] = await take(stream, 1);
  assert.equal(gap?.pbx, "a");
  assert.ok(gap?.event instanceof AmiGap);
  assert.equal(gap.event.reason, "reconnect");
  assert.equal(gap.seq, undefined);
  b.emit({ Event: "UserEvent", UserEvent: "b goes on" });
  assert.equal((await take(stream, 1))[0]?.pbx, "b");
  await pool.ready({ signal: AbortSignal.timeout(5_000) });
  await a.waitForSession(2);
  await until(() => pool.state("a") === "connected", "a is connected again");
  a.emit({ Event: "UserEvent", UserEvent: "after" });
  const [after] = await take(stream, 1);
  assert.deepEqual([after?.pbx, (after?.event as { UserEvent?: string }).UserEvent], [
    "a",
    "after",
  ]);
  await pool.close();
  await following;
  assert.deepEqual(
    changes.filter((c) => c.pbx === "a").map((c) => c.state).slice(0, 3),
    ["disconnected", "reconnecting", "connected"],
  );
});

Deno.test("AmiPool: without gaps, a dropped PBX ends the merged iteration with an error naming the loss", async () => {
  await using a = listening();
  await using pool = new AmiPool({ pbxs: { a: a.url }, defaults });
  await pool.ready();
  const stream = pool.events("UserEvent");
  await (await a.waitForSession(1)).abort();
  await assert.rejects(stream.next(), AmiConnectionError);
});

Deno.test("AmiPool: a slow consumer loses events per PBX with a counted gap; the other PBX loses none", async () => {
  await using a = listening();
  await using b = listening();
  await using pool = new AmiPool({ pbxs: { a: a.url, b: b.url }, defaults });
  await pool.ready();
  await using stream = pool.events("UserEvent", { gaps: true, bufferSize: 3 });
  for (let i = 1; i <= 8; i++) a.emit({ Event: "UserEvent", UserEvent: `a${i}` });
  for (let i = 1; i <= 2; i++) b.emit({ Event: "UserEvent", UserEvent: `b${i}` });
  await a.waitForSession(1).then((s) => s.waitForAction("Login"));
  await pool.send("a", { Action: "Ping" }); // everything emitted before has been read
  await pool.send("b", { Action: "Ping" });
  const items = await take(stream, 7);
  const fromA = items.filter((item) => item.pbx === "a").map((item) => item.event);
  const gap = fromA.find((event) => event instanceof AmiGap);
  assert.ok(gap instanceof AmiGap);
  assert.equal(gap.reason, "overflow");
  assert.equal(gap.dropped, 4);
  assert.deepEqual(
    items.filter((item) => item.pbx === "b").map((item) =>
      (item.event as { UserEvent: string }).UserEvent
    ),
    ["b1", "b2"],
  );
});

Deno.test("AmiPool adds and removes PBXs at run time; removing one logs off and stops its events", async () => {
  await using a = listening();
  await using b = listening();
  await using pool = new AmiPool({ pbxs: { a: a.url }, defaults });
  await using stream = pool.events("UserEvent");
  pool.add("b", b.url);
  assert.throws(() => pool.add("b", b.url), /already in the pool/);
  assert.throws(() => pool.add("b.c", b.url), TypeError);
  assert.throws(() => pool.add("c", "http://x"), TypeError);
  await pool.ready();
  assert.deepEqual(pool.names, ["a", "b"]);
  b.emit({ Event: "UserEvent", UserEvent: "from b" });
  assert.equal((await take(stream, 1))[0]?.pbx, "b");
  await pool.remove("b");
  assert.deepEqual(pool.names, ["a"]);
  assert.ok((await b.waitForSession(1)).received.some((action) => action.name === "Logoff"));
  b.emit({ Event: "UserEvent", UserEvent: "unheard" });
  a.emit({ Event: "UserEvent", UserEvent: "from a" });
  assert.equal((await take(stream, 1))[0]?.pbx, "a");
  assert.throws(() => pool.state("b"), RangeError);
  await assert.rejects(pool.remove("b"), RangeError);
});

Deno.test("AmiPool closes every client on dispose and ends its streams", async () => {
  await using a = listening();
  await using b = listening();
  let stream;
  {
    await using pool = new AmiPool({ pbxs: { a: a.url, b: b.url }, defaults });
    await pool.ready();
    stream = pool.events();
  }
  assert.equal((await stream.next()).done, true);
  for (const server of [a, b]) {
    assert.ok((await server.waitForSession(1)).received.some((action) => action.name === "Logoff"));
  }
});

Deno.test("AmiPool refuses names that are not safe as a subject token", () => {
  for (const name of ["", "a.b", "a b", "a*", "x".repeat(65), "é"]) {
    assert.throws(() => new AmiPool({ pbxs: { [name]: "ami://u:p@127.0.0.1" } }), TypeError, name);
  }
});
