import assert from "node:assert/strict";
import {
  AmiAuthenticationError,
  AmiClient,
  AmiConnectionError,
  type AmiConnectionState,
  type AmiConnectOptions,
  AmiGap,
  type AmiProtocolError,
  type AmiStateChange,
  AmiTimeoutError,
} from "../../mod.ts";
import { AmiTestServer, type AmiTestSession } from "../../testing.ts";
import { acceptLogin, BANNER, FrameReader, rawServer, writeText } from "../support/raw_server.ts";

const fast: AmiConnectOptions["reconnect"] = { initialDelay: 2, maxDelay: 20, jitter: 0 };

/** Collects state changes until `until` is seen (or the client closes). */
function recordStates(
  client: AmiClient,
): {
  states: AmiConnectionState[];
  reached(state: AmiConnectionState, times?: number): Promise<void>;
} {
  const states: AmiConnectionState[] = [];
  const waiters: { state: AmiConnectionState; times: number; resolve: () => void }[] = [];
  (async () => {
    for await (const { state } of client.stateChanges()) {
      states.push(state);
      for (const waiter of [...waiters]) {
        if (states.filter((s) => s === waiter.state).length >= waiter.times) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    }
  })();
  return {
    states,
    reached(state, times = 1) {
      if (states.filter((s) => s === state).length >= times) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ state, times, resolve }));
    },
  };
}

async function bootedSession(server: AmiTestServer, n: number): Promise<AmiTestSession> {
  const session = await server.waitForSession(n);
  await session.waitForAction((action) => action.name === "Login");
  return session;
}

Deno.test("after a drop the client reconnects, logs in by MD5 again and restores its filters and event mask", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url, { reconnect: fast, events: "call" });
  const watch = recordStates(client);
  await client.send({ Action: "Filter", Operation: "Add", Filter: "Event: Hangup" });
  await client.send({ Action: "Events", EventMask: "call,system" });
  await (await server.waitForSession(1)).abort();
  await watch.reached("connected");
  const second = await bootedSession(server, 2);
  const actions = second.received.map((action) => action.name);
  assert.deepEqual(actions.slice(0, 4), ["Challenge", "Login", "Filter", "Events"]);
  // Events off at the login, the filters, then the mask: no unfiltered burst in between.
  assert.equal(second.received[1]?.get("Events"), "off");
  assert.equal(second.received[1]?.has("Key"), true);
  assert.equal(second.received[2]?.get("Filter"), "Event: Hangup");
  assert.equal(second.received[3]?.get("EventMask"), "call,system");
  assert.deepEqual(watch.states, ["disconnected", "reconnecting", "connected"]);
  assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
});

Deno.test("event consumers keep iterating across a reconnect: a gaps one gets its marker when the link is back, a plain one counts the loss", async () => {
  await using server = new AmiTestServer();
  server.listen();
  const changes: AmiStateChange[] = [];
  await using client = await AmiClient.connect(server.url, {
    reconnect: { initialDelay: 40, maxDelay: 40, jitter: 0 },
    onStateChange: (change) => void changes.push(change),
  });
  const watch = recordStates(client);
  const withGaps = await client.subscribe("UserEvent", { gaps: true });
  const plain = await client.subscribe("UserEvent");
  const first = await server.waitForSession(1);
  first.emit({ Event: "UserEvent", UserEvent: "before" });
  assert.equal((await plain.next()).value?.UserEvent, "before");
  assert.equal((await withGaps.next()).value instanceof AmiGap, false);
  await first.abort();
  await watch.reached("disconnected");
  // The link is down: no marker yet (a wallboard must not resync against a dead connection).
  assert.equal(withGaps.buffered, 0);
  assert.equal(plain.reconnectGaps, 0);
  await watch.reached("connected");
  const second = await bootedSession(server, 2);
  second.emit({ Event: "UserEvent", UserEvent: "after" });
  const gap = (await withGaps.next()).value;
  assert.ok(gap instanceof AmiGap && gap.reason === "reconnect");
  const after = (await withGaps.next()).value;
  assert.ok(!(after instanceof AmiGap) && after?.UserEvent === "after");
  assert.equal((await plain.next()).value?.UserEvent, "after");
  assert.equal(plain.reconnectGaps, 1);
  assert.equal(withGaps.reconnectGaps, 1);
  const back = changes.findLast((change) => change.state === "connected");
  assert.ok(back?.outage !== undefined, "the state change that says the link is back reports it");
  assert.deepEqual([gap.droppedAt, gap.restoredAt], [
    back.outage.droppedAt,
    back.outage.restoredAt,
  ]);
  const down = changes.find((change) => change.state === "disconnected")!;
  assert.ok(back.outage.restoredAt - back.outage.droppedAt >= 30, "the outage spans the backoff");
  assert.equal(down.outage, undefined);
  // A consumer that came after the drop lost nothing it would have seen.
  await using later = client.events("UserEvent");
  second.emit({ Event: "UserEvent", UserEvent: "later" });
  assert.equal((await later.next()).value?.UserEvent, "later");
  assert.equal(later.reconnectGaps, 0);
  await withGaps.return();
  await plain.return();
});

Deno.test("without reconnect, a drop ends event consumers with the error", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url);
  const events = await client.subscribe("UserEvent", { gaps: true });
  const first = await server.waitForSession(1);
  first.emit({ Event: "UserEvent", UserEvent: "before" });
  assert.equal(((await events.next()).value as { UserEvent?: string }).UserEvent, "before");
  await first.abort();
  await assert.rejects(events.next(), AmiConnectionError);
});

Deno.test("actions in flight when the link drops fail and are never re-sent", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url, { reconnect: fast });
  const watch = recordStates(client);
  const first = await server.waitForSession(1);
  first.faults = { silent: true };
  const inFlight = client.send({ Action: "UserEvent", UserEvent: "once" });
  await first.waitForAction((action) => action.name === "UserEvent");
  await first.abort();
  await assert.rejects(inFlight, AmiConnectionError);
  await watch.reached("connected");
  await client.send({ Action: "Ping" });
  assert.equal(server.received.filter((action) => action.name === "UserEvent").length, 1);
});

Deno.test("actions sent while reconnecting wait for the connection, within their timeout", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url, {
    reconnect: { initialDelay: 30, maxDelay: 30, jitter: 0 },
  });
  const watch = recordStates(client);
  await (await server.waitForSession(1)).abort();
  await watch.reached("disconnected");
  const waiting = client.send({ Action: "Ping" });
  const tooShort = client.send({ Action: "Ping" }, { timeout: 1 });
  await assert.rejects(tooShort, AmiTimeoutError);
  assert.equal((await waiting).Ping, "Pong");
  // The timed-out one was never written.
  const second = await server.waitForSession(2);
  assert.equal(second.received.filter((action) => action.name === "Ping").length, 1);
});

Deno.test("with whileDisconnected: fail, actions fail at once while the link is down", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url, {
    reconnect: { initialDelay: 30, jitter: 0, whileDisconnected: "fail" },
  });
  const watch = recordStates(client);
  await (await server.waitForSession(1)).abort();
  await watch.reached("disconnected");
  await assert.rejects(client.send({ Action: "Ping" }), AmiConnectionError);
  await watch.reached("connected");
  assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
});

Deno.test("refused logins back off and give up after maxLoginFailures with the authentication error", async () => {
  await using server = new AmiTestServer({ authFailureDelayMs: 1 });
  server.listen();
  const client = await AmiClient.connect(server.url, {
    reconnect: { initialDelay: 2, factor: 2, jitter: 0, maxLoginFailures: 3 },
  });
  server.users.admin = "changed";
  await (await server.waitForSession(1)).abort();
  const reason = await client.closed;
  assert.ok(reason instanceof AmiAuthenticationError);
  assert.doesNotMatch(reason.message, /amp111|changed/);
  assert.equal(server.received.filter((action) => action.name === "Login").length, 1 + 3);
  assert.equal(client.state, "closed");
});

Deno.test("reconnecting gives up after maxAttempts when the server stays away", async () => {
  await using server = new AmiTestServer();
  server.listen();
  const client = await AmiClient.connect(server.url, {
    reconnect: { initialDelay: 1, jitter: 0, maxAttempts: 3 },
  });
  await server.stopListening();
  await (await server.waitForSession(1)).abort();
  const reason = await client.closed;
  assert.ok(reason instanceof AmiConnectionError);
  assert.match(reason.message, /Gave up reconnecting after 3 attempts/);
});

Deno.test("keepalive finds a half-open peer and replaces the connection", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url, {
    reconnect: fast,
    keepalive: { interval: 10, timeout: 30 },
  });
  const watch = recordStates(client);
  const first = await server.waitForSession(1);
  first.faults = { silent: true };
  await watch.reached("connected");
  assert.ok(first.received.some((action) => action.name === "Ping"));
  assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
  assert.ok(server.sessions.length >= 1);
});

Deno.test("without reconnection, a dead keepalive closes the client with a timeout error", async () => {
  await using server = new AmiTestServer();
  server.listen();
  const client = await AmiClient.connect(server.url, { keepalive: { interval: 5, timeout: 20 } });
  (await server.waitForSession(1)).faults = { silent: true };
  const reason = await client.closed;
  assert.ok(reason instanceof AmiTimeoutError);
  assert.match(reason.message, /keepalive/);
});

Deno.test("a flapping server: many reconnects leave one live session and nothing pending", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url, { reconnect: fast });
  const watch = recordStates(client);
  const rounds = 25;
  for (let round = 1; round <= rounds; round++) {
    const session = await bootedSession(server, round);
    await session.abort();
    await watch.reached("connected", round);
  }
  assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
  const open = server.sessions.filter((session) => !session.isClosed);
  assert.equal(open.length, 1);
  assert.equal(watch.states.filter((s) => s === "connected").length, rounds);
  // Nothing piles up on the client's side either.
  assert.deepEqual(client.stats, {
    pendingActions: 0,
    waitingActions: 0,
    eventConsumers: 0,
    bufferedEvents: 0,
    reconnectAttempts: rounds,
    hookErrors: 0,
    serverFilters: "off",
  });
});

Deno.test("amis:// connects over TLS to a server with a certificate made for the test", async () => {
  const dir = new URL("../fixtures/tls/", import.meta.url);
  const cert = await Deno.readTextFile(new URL("server.pem", dir));
  const key = await Deno.readTextFile(new URL("server.key", dir));
  const ca = await Deno.readTextFile(new URL("ca.pem", dir));
  await using server = new AmiTestServer();
  const { port } = server.listen({ cert, key });
  await using client = await AmiClient.connect(`amis://admin:amp111@127.0.0.1:${port}`, {
    tls: { caCerts: [ca] },
  });
  assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
  // Without the test CA the certificate is not trusted.
  await assert.rejects(
    AmiClient.connect(`amis://admin:amp111@127.0.0.1:${port}`, { connectTimeout: 2_000 }),
    AmiConnectionError,
  );
});

Deno.test("the secret never shows when the client is inspected or serialized", async () => {
  await using server = new AmiTestServer({ users: { admin: "s3cr3t-value" } });
  server.listen();
  await using client = await AmiClient.connect(server.url);
  const shown = Deno.inspect(client, { showHidden: true, getters: true, depth: 10 }) +
    JSON.stringify(client) + String(client);
  assert.doesNotMatch(shown, /s3cr3t-value/);
});

Deno.test("onStateChange hears every change, with the error that caused it", async () => {
  await using server = new AmiTestServer();
  server.listen();
  const changes: string[] = [];
  const client = await AmiClient.connect(server.url, {
    reconnect: fast,
    onStateChange: ({ state, error }) => changes.push(error ? `${state}: ${error.name}` : state),
  });
  const watch = recordStates(client);
  await (await server.waitForSession(1)).abort();
  await watch.reached("connected");
  await client.close();
  assert.deepEqual(changes, [
    "connected",
    "disconnected: AmiConnectionError",
    "reconnecting",
    "connected",
    "closed",
  ]);
});

Deno.test("two actions held during an outage with the same ActionID: the second is refused, the first answered", async () => {
  await using server = new AmiTestServer();
  server.listen();
  await using client = await AmiClient.connect(server.url, {
    reconnect: { initialDelay: 20, maxDelay: 20, jitter: 0 },
  });
  const watch = recordStates(client);
  await (await server.waitForSession(1)).abort();
  await watch.reached("disconnected");
  const first = client.send({ Action: "Ping", ActionID: "mine" });
  const second = client.send({ Action: "Ping", ActionID: "mine" });
  await assert.rejects(second, TypeError);
  assert.equal((await first).actionId, "mine");
});

Deno.test("after a reconnect a Filter refused on re-apply is reported, never fatal, and the login's events come back last", async () => {
  const actions: string[][] = [];
  await using server = rawServer(async (conn, index) => {
    await writeText(conn, BANNER);
    const reader = new FrameReader(conn);
    const login = await acceptLogin(conn, reader);
    const seen = [`Login Events=${login?.Events}`];
    actions.push(seen);
    for (let action = await reader.next(); action !== undefined; action = await reader.next()) {
      seen.push(`${action.Action} ${action.EventMask ?? action.Filter ?? ""}`);
      const refused = action.Action === "Filter" && index > 0;
      const answer = refused
        ? "Response: Error\r\nMessage: Permission denied"
        : "Response: Success";
      await writeText(conn, `${answer}\r\nActionID: ${action.ActionID}\r\n\r\n`);
      if (action.Action === "Ping" && index === 0) return; // drops the first connection
      if (action.Action === "Logoff") return;
    }
  });
  const errors: AmiProtocolError[] = [];
  await using client = await AmiClient.connect(`${server.url}?auth=plain&events=call`, {
    reconnect: fast,
    onProtocolError: (error) => void errors.push(error),
  });
  await client.send({ Action: "Filter", Operation: "Add", Filter: "Event: Hangup" });
  const back = (async () => {
    for await (const { state } of client.stateChanges()) if (state === "connected") return;
  })();
  await client.send({ Action: "Ping" });
  await back;
  assert.deepEqual(actions[0], ["Login Events=call", "Filter Event: Hangup", "Ping "]);
  assert.deepEqual(actions[1], ["Login Events=off", "Filter Event: Hangup", "Events call"]);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.kind, "filter-refused");
  assert.equal(client.state, "connected");
});
