/**
 * Replay of recorded Asterisk sessions by the test server: the recorded
 * bytes come back exactly, in the recorded pieces, paced by the client, with
 * the live client's ActionIDs.
 */

import assert from "node:assert/strict";
import { type AmiReplayTimelineEntry, AmiTestServer, parseTimeline } from "../../testing.ts";
import { concat } from "../support/bytes.ts";
import { RawAmiClient } from "../support/raw_ami_client.ts";

const FIXTURES = new URL("../fixtures/asterisk-23/", import.meta.url);

interface Recording {
  name: string;
  server: Uint8Array;
  client: Uint8Array;
  timelineText: string;
  timeline: AmiReplayTimelineEntry[];
  closedBy: "client" | "server";
}

async function load(name: string): Promise<Recording> {
  const [server, client, timelineText] = await Promise.all([
    Deno.readFile(new URL(`${name}.server.raw`, FIXTURES)),
    Deno.readFile(new URL(`${name}.client.raw`, FIXTURES)),
    Deno.readTextFile(new URL(`${name}.timeline.jsonl`, FIXTURES)),
  ]);
  const timeline = parseTimeline(timelineText);
  const eof = timeline.at(-1)!;
  assert.equal(eof.eof, true);
  return {
    name,
    server,
    client,
    timelineText,
    timeline,
    closedBy: eof.dir === "s2c" ? "server" : "client",
  };
}

const index = JSON.parse(await Deno.readTextFile(new URL("index.json", FIXTURES))) as {
  scenarios: { name: string }[];
};

/** Plays the recorded client's writes to a replay server, as recorded, and reads it all. */
async function playRecordedClient(recording: Recording, client: RawAmiClient): Promise<void> {
  for (const entry of recording.timeline) {
    if (entry.dir !== "c2s" || entry.eof) continue;
    await client.write(recording.client.subarray(entry.off!, entry.off! + entry.len!));
  }
  if (recording.closedBy === "server") {
    await client.ended;
  } else {
    await client.waitForBytes(recording.server.length);
  }
  await client.close();
}

for (const { name } of index.scenarios) {
  Deno.test(`replaying ${name} gives back the recorded bytes in the recorded pieces`, async () => {
    const recording = await load(name);
    await using server = AmiTestServer.replay(recording.server, {
      timeline: recording.timelineText,
      client: recording.client,
    });
    const client = new RawAmiClient(server.connect(), { maxFrameBytes: 64 * 1024 * 1024 });
    await playRecordedClient(recording, client);
    assert.deepEqual(concat(client.chunks), recording.server);
    const recordedPieces = recording.timeline
      .filter((entry) => entry.dir === "s2c" && !entry.eof)
      .map((entry) => entry.len);
    assert.deepEqual(client.chunks.map((chunk) => chunk.length), recordedPieces);
    const session = await server.waitForSession();
    await session.closed;
    const recordedActions = recording.client.length === 0
      ? 0
      : new TextDecoder().decode(recording.client).split("\r\n\r\n").filter((b) => b !== "").length;
    assert.equal(session.received.length, recordedActions);
  });
}

Deno.test("a replay answers with the live client's own ActionIDs", async () => {
  const recording = await load("22-pipelining");
  await using server = AmiTestServer.replay(recording.server, {
    timeline: recording.timeline,
    client: recording.client,
  });
  const client = new RawAmiClient(server.connect());
  // The same actions as recorded, numbered differently; the last Ping has no ActionID.
  const recorded = new TextDecoder().decode(recording.client);
  const rewritten = recorded
    .replace("ActionID: login-1", "ActionID: mine-login")
    .replace(/ActionID: p-(\d+)/g, (_, n) => n === "11" ? "Foo: bar" : `ActionID: mine-${n}`);
  await client.write(rewritten);
  await client.until((m) =>
    m.name === "Success" && m.get("Ping") === "Pong" &&
    m.actionId === undefined
  );
  const ids = client.messages.filter((m) => m.kind === "response").map((m) => m.actionId);
  assert.deepEqual(ids, [
    "mine-login",
    "mine-1",
    "mine-2",
    "mine-3",
    "mine-4",
    "mine-5",
    "mine-6",
    "mine-7",
    "mine-8",
    "mine-9",
    "mine-10",
    undefined,
  ]);
  const originateResponse = client.messages.find((m) => m.name === "OriginateResponse")!;
  assert.equal(originateResponse.actionId, "mine-1");
  const listItems = client.messages.filter((m) => m.name === "CoreShowChannel");
  assert.equal(listItems.length, 10);
  assert.ok(listItems.every((m) => m.actionId === "mine-4"));
  assert.ok(!client.text.includes("ActionID: p-"));
  await client.close();
});

Deno.test("a replay waits for the client's action before the answer to it", async () => {
  const encoder = new TextEncoder();
  const banner = "Asterisk Call Manager/13.0.0\r\n";
  const answer = "Response: Success\r\nPing: Pong\r\n\r\n";
  const ping = "Action: Ping\r\n\r\n";
  await using server = AmiTestServer.replay(encoder.encode(banner + answer + answer), {
    timeline: [
      { t: 0, dir: "s2c", off: 0, len: banner.length },
      { t: 0.1, dir: "c2s", off: 0, len: ping.length },
      { t: 0.2, dir: "s2c", off: banner.length, len: answer.length },
      { t: 0.3, dir: "c2s", off: ping.length, len: ping.length },
      { t: 0.4, dir: "s2c", off: banner.length + answer.length, len: answer.length },
      { t: 0.5, dir: "c2s", eof: true },
    ],
    client: encoder.encode(ping + ping),
  });
  const client = new RawAmiClient(server.connect());
  const session = await server.waitForSession();
  await client.waitForBytes(banner.length);
  // Give the replay every chance to run ahead; it must not.
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(session.bytesSent, banner.length);
  await client.write(ping);
  assert.equal((await client.next()).get("Ping"), "Pong");
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(session.bytesSent, banner.length + answer.length);
  await client.write(ping);
  assert.equal((await client.next()).get("Ping"), "Pong");
  assert.equal(session.bytesSent, banner.length + 2 * answer.length);
  await client.close();
});

Deno.test("a replay holds an answer until the action it echoes the ActionID of", async () => {
  const recording = await load("04-ping");
  await using server = AmiTestServer.replay(recording.server, {
    timeline: recording.timeline,
    client: recording.client,
  });
  const client = new RawAmiClient(server.connect());
  await client.write("Action: Login\r\nActionID: x\r\nUsername: admin\r\nSecret: amp111\r\n\r\n");
  const response = await client.next();
  assert.equal(response.actionId, "x");
  assert.equal(response.get("Message"), "Authentication accepted");
  await client.close();
});

Deno.test("a replay without a timeline writes everything at once and stays open", async () => {
  const recording = await load("04-ping");
  await using server = AmiTestServer.replay(recording.server);
  const client = new RawAmiClient(server.connect());
  await client.waitForBytes(recording.server.length);
  assert.equal(client.chunks.length, 1);
  assert.deepEqual(client.chunks[0], recording.server);
  const session = await server.waitForSession();
  assert.equal(session.isClosed, false);
  await client.write("Action: Ping\r\n\r\n");
  await session.waitForAction("Ping");
  await client.close();
  await session.closed;
});

Deno.test("a replay closes at the end when the recording's server closed", async () => {
  const recording = await load("03-login-bad-password");
  await using server = AmiTestServer.replay(recording.server, {
    timeline: recording.timeline,
    client: recording.client,
    speed: 100,
  });
  const client = new RawAmiClient(server.connect());
  await client.write(recording.client);
  await client.ended;
  assert.equal(client.messages[0]!.get("Message"), "Authentication failed");
  assert.deepEqual(concat(client.chunks), recording.server);
  await client.close();
});

Deno.test("closeAtEnd overrides the recording", async () => {
  const recording = await load("04-ping");
  await using server = AmiTestServer.replay(recording.server, { closeAtEnd: true });
  const client = new RawAmiClient(server.connect());
  await client.ended;
  assert.deepEqual(concat(client.chunks), recording.server);
  await client.close();
});

Deno.test("every connection gets its own replay from the start", async () => {
  const recording = await load("04-ping");
  await using server = AmiTestServer.replay(recording.server, { closeAtEnd: true });
  const first = new RawAmiClient(server.connect());
  const second = new RawAmiClient(server.connect());
  await Promise.all([first.ended, second.ended]);
  assert.deepEqual(concat(first.chunks), recording.server);
  assert.deepEqual(concat(second.chunks), recording.server);
  await Promise.all([first.close(), second.close()]);
});

Deno.test("closing a replay server mid-replay ends the waiting session", async () => {
  const recording = await load("04-ping");
  const server = AmiTestServer.replay(recording.server, {
    timeline: recording.timeline,
    client: recording.client,
  });
  const client = new RawAmiClient(server.connect());
  await client.waitForBytes(30);
  await server.close();
  await client.ended;
  assert.equal(concat(client.chunks).length, 30);
  await client.close();
});

Deno.test("parseTimeline reads one entry per line and skips blank lines", () => {
  const entries = parseTimeline(
    '{"t":0.1,"dir":"s2c","off":0,"len":30}\n\n{"t":0.2,"dir":"c2s","off":0,"len":5}\n' +
      '{"t":0.3,"dir":"c2s","eof":true}\n',
  );
  assert.deepEqual(entries, [
    { t: 0.1, dir: "s2c", off: 0, len: 30 },
    { t: 0.2, dir: "c2s", off: 0, len: 5 },
    { t: 0.3, dir: "c2s", eof: true },
  ]);
  assert.throws(() => parseTimeline("{not json"), SyntaxError);
});
