/**
 * The client against a raw server that goes silent after the login: the
 * keepalive finds the connection dead and drops it. Between the moment the
 * drop starts and the moment the old socket is gone, the state still says
 * `connected`; an action sent then must wait for the new connection, as
 * `whileDisconnected: "wait"` promises (issue 13).
 */
import assert from "node:assert/strict";
import { AmiClient, type AmiConnectionState, type AmiResponse } from "../../mod.ts";
import { acceptLogin, BANNER, FrameReader, rawServer, writeText } from "../support/raw_server.ts";

/**
 * Runs `body` while `Deno.connect` hands out sockets whose first `close()`
 * calls `onFirstClose` before closing: the client closes a socket first when
 * it starts dropping it, so the hook runs at the start of the drop, before
 * the read loop has ended and before the client's state changes. Only the
 * first socket dialled is hooked.
 */
async function withDropHook(onFirstClose: () => void, body: () => Promise<void>): Promise<void> {
  const connect = Deno.connect;
  let dialled = 0;
  Deno.connect = (async (options: Deno.ConnectOptions) => {
    const conn = await connect(options);
    if (dialled++ > 0) return conn;
    const close = conn.close.bind(conn);
    let hooked = false;
    conn.close = () => {
      if (!hooked) {
        hooked = true;
        onFirstClose();
      }
      close();
    };
    return conn;
  }) as typeof Deno.connect;
  try {
    await body();
  } finally {
    Deno.connect = connect;
  }
}

Deno.test("an action sent while a dead connection is being dropped waits and is answered on the new connection", async () => {
  const seenByDeadConnection: string[] = [];
  await using server = rawServer(async (conn, index) => {
    await writeText(conn, BANNER);
    const reader = new FrameReader(conn);
    if (await acceptLogin(conn, reader) === undefined) return;
    while (true) {
      const action = await reader.next();
      if (action === undefined) return;
      if (index === 0) {
        // Silent from the login on: the keepalive Ping is never answered.
        seenByDeadConnection.push(action.ActionID ?? "");
        continue;
      }
      await writeText(
        conn,
        `Response: Success\r\nActionID: ${action.ActionID}\r\nMessage: Connection ${index}\r\n\r\n`,
      );
    }
  });
  let client: AmiClient | undefined;
  const sent = Promise.withResolvers<{
    state: AmiConnectionState;
    answer: Promise<AmiResponse | Error>;
  }>();
  await withDropHook(() => {
    // A turn later, still inside the drop: the old socket is closing, its read has not ended.
    queueMicrotask(() => {
      const state = client!.state;
      const answer = client!.send({ Action: "UserEvent", UserEvent: "Probe", ActionID: "probe-1" })
        .catch((error: Error) => error);
      sent.resolve({ state, answer });
    });
  }, async () => {
    client = await AmiClient.connect(server.url, {
      auth: "plain",
      keepalive: { interval: 20, timeout: 200 },
      reconnect: { initialDelay: 1, maxDelay: 5, jitter: 0, whileDisconnected: "wait" },
    });
  });
  await using _client = client!;
  const { state, answer: answered } = await sent.promise;
  assert.equal(state, "connected");
  const answer = await answered;
  assert.ok(!(answer instanceof Error), `the action failed: ${answer}`);
  assert.equal(answer.Message, "Connection 1");
  assert.ok(!seenByDeadConnection.includes("probe-1"));
  assert.equal(server.accepted, 2);
});
