/**
 * One test per fault the test server can inject: what the client does, and
 * that no other response or event is lost.
 */
import assert from "node:assert/strict";
import { AmiAuthenticationError, AmiClient, AmiConnectionError } from "../../mod.ts";
import { AmiTestServer } from "../../testing.ts";

Deno.test("fault: a connection reset fails pending actions, keeps delivered events, and closes the client", async () => {
  await using server = new AmiTestServer();
  server.listen();
  const client = await AmiClient.connect(server.url);
  const session = await server.waitForSession(1);
  const stream = await client.subscribe("UserEvent");
  session.emit({ Event: "UserEvent", N: 1 });
  assert.equal((await stream.next()).value?.N, "1");
  session.faults = { silent: true };
  const pending = client.send({ Action: "Ping" });
  await session.waitForAction((action) => action.name === "Ping");
  await session.abort();
  await assert.rejects(pending, AmiConnectionError);
  await assert.rejects(stream.next(), AmiConnectionError);
  assert.ok((await client.closed) instanceof AmiConnectionError);
});

Deno.test("fault: refused logins reject connect() with AmiAuthenticationError", async () => {
  await using server = new AmiTestServer({ faults: { refuseLogin: true }, authFailureDelayMs: 1 });
  server.listen();
  await assert.rejects(AmiClient.connect(server.url), AmiAuthenticationError);
});

Deno.test("fault: a server that accepts and closes at once rejects connect() with AmiConnectionError", async () => {
  await using server = new AmiTestServer({ faults: { closeOnConnect: true } });
  server.listen();
  await assert.rejects(AmiClient.connect(server.url), AmiConnectionError);
});
