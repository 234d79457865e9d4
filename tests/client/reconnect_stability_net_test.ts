/**
 * When a reconnected link counts as up (issue 13): a connection that drops
 * at once, silent, is a failed attempt (tests/client/hostile_server_net_test.ts),
 * but one that carried a frame after its login is up, and the count of
 * attempts towards `maxAttempts` starts again after it. Against a raw server
 * that answers one Ping per connection and then closes it.
 */
import assert from "node:assert/strict";
import { AmiClient } from "../../mod.ts";
import { acceptLogin, BANNER, FrameReader, rawServer, writeText } from "../support/raw_server.ts";

Deno.test("connections that carried traffic after the login count as up: reconnecting goes on past maxAttempts", async () => {
  await using server = rawServer(async (conn) => {
    await writeText(conn, BANNER);
    const reader = new FrameReader(conn);
    if (await acceptLogin(conn, reader) === undefined) return;
    while (true) {
      const action = await reader.next();
      if (action === undefined) return;
      const ping = action.Action === "Ping";
      await writeText(
        conn,
        `Response: Success\r\nActionID: ${action.ActionID}\r\n${ping ? "Ping: Pong\r\n" : ""}\r\n`,
      );
      // One answered Ping, then the connection goes (serve's end closes it).
      if (ping) return;
    }
  });
  const maxAttempts = 2;
  await using client = await AmiClient.connect(server.url, {
    auth: "plain",
    reconnect: { initialDelay: 1, maxDelay: 5, jitter: 0, maxAttempts },
  });
  const changes = client.stateChanges();
  const connections = maxAttempts + 3;
  let connected = 1;
  assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
  for await (const { state, error } of changes) {
    assert.notEqual(state, "closed", `the client gave up: ${error?.message}`);
    if (state !== "connected") continue;
    connected++;
    assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
    if (connected === connections) break;
  }
  assert.equal(connected, connections);
  assert.equal(server.accepted, connections);
});
