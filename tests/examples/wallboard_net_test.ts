/**
 * The wallboard example's server: its page, its board, and its event
 * stream following a queue call from the caller joining to an agent
 * answering, and a resync after a reconnect.
 */

import assert from "node:assert/strict";
import { AmiClient, createLiveView, type LiveQueueMember } from "../../mod.ts";
import { SimulatedPbx } from "../../testing.ts";
import { type BoardState, memberState } from "../../examples/wallboard/board_state.ts";
import { serveWallboard } from "../../examples/wallboard/server.ts";

/** Reads Server-Sent Events from a response body. */
async function* serverSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<{ event: string; data: unknown }> {
  let text = "";
  for await (const chunk of body.pipeThrough(new TextDecoderStream())) {
    text += chunk;
    let end;
    while ((end = text.indexOf("\n\n")) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data !== undefined) yield { event, data: JSON.parse(data) };
    }
  }
}

async function boardsUntil(
  events: AsyncGenerator<{ event: string; data: unknown }>,
  until: (board: BoardState, event: string) => boolean,
): Promise<BoardState> {
  // Read with next(): a for-await loop would close the stream when it returns.
  for (let item = await events.next(); !item.done; item = await events.next()) {
    const { event, data } = item.value;
    const board = (event === "resync" ? (data as { state: BoardState }).state : data) as BoardState;
    if (until(board, event)) return board;
  }
  throw new Error("the event stream ended");
}

Deno.test("memberState reads paused, ringing, talking, unavailable and free from a member", () => {
  const member = { paused: false, status: 1, inCall: false } as LiveQueueMember;
  assert.equal(memberState(member), "free");
  assert.equal(memberState({ ...member, paused: true, status: 2 }), "paused");
  assert.equal(memberState({ ...member, status: 6 }), "ringing");
  assert.equal(memberState({ ...member, status: 2 }), "talking");
  assert.equal(memberState({ ...member, inCall: true }), "talking");
  assert.equal(memberState({ ...member, status: 5 }), "unavailable");
});

Deno.test("The wallboard streams a queue caller joining, being answered and leaving, and a resync", async () => {
  await using pbx = new SimulatedPbx({
    endpoints: ["100", "201"],
    queues: { support: { members: [{ interface: "PJSIP/201", name: "Alice" }] } },
    callDurationMs: Infinity,
    queueRetryMs: 10,
    ringMs: 10,
  });
  pbx.server.listen();
  pbx.pauseMember("PJSIP/201", true, { reason: "coffee" });
  await using client = await AmiClient.connect(pbx.server.url, {
    reconnect: { initialDelay: 20, maxDelay: 20, jitter: 0 },
  });
  await using live = await createLiveView(client, { queues: true });
  await using board = await serveWallboard(live, { port: 0 });
  assert.match(board.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await (await fetch(board.url)).text();
  assert.match(page, /role="status"/);
  assert.match(page, /<html lang="en">/);
  for (const asset of ["app.js", "style.css"]) {
    const response = await fetch(new URL(asset, board.url));
    assert.equal(response.status, 200);
    await response.body?.cancel();
  }
  const missing = await fetch(new URL("nothing", board.url));
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
  const state = await (await fetch(new URL("state", board.url))).json() as BoardState;
  assert.deepEqual(state.queues[0]?.members, [{
    interface: "PJSIP/201",
    name: "Alice",
    state: "paused",
    reason: "coffee",
    calls: 0,
  }]);

  const stream = new AbortController();
  const response = await fetch(new URL("events", board.url), { signal: stream.signal });
  assert.equal(response.headers.get("content-type"), "text/event-stream");
  const events = serverSentEvents(response.body!);
  try {
    await boardsUntil(events, (b) => b.queues.length === 1);
    const caller = await pbx.originate({
      Channel: "PJSIP/100",
      Application: "Queue",
      Data: "support",
    });
    let seen = await boardsUntil(events, (b) => b.queues[0]!.callers.length === 1);
    assert.equal(seen.queues[0]!.callers[0]!.uniqueid, caller.uniqueid);
    pbx.pauseMember("PJSIP/201", false);
    seen = await boardsUntil(
      events,
      (b) => b.queues[0]!.callers.length === 0 && b.queues[0]!.members[0]!.state === "talking",
    );
    assert.equal(seen.calls.length, 1);
    // A reconnect: the page gets one resync event with the whole board.
    await (await pbx.server.waitForSession(1)).abort();
    seen = await boardsUntil(events, (_, event) => event === "resync");
    assert.equal(seen.status, "live");
    assert.equal(seen.calls.length, 1);
  } finally {
    // Closing the reader cancels the body; the abort then ends the request (its error is expected).
    await events.return(undefined).catch(() => {});
    stream.abort();
  }
});
