import assert from "node:assert/strict";
import {
  AmiAuthenticationError,
  AmiClient,
  AmiConnectionError,
  AmiTimeoutError,
} from "../../mod.ts";
import { AmiTestServer } from "../../testing.ts";
import { closedPort } from "../support/closed_port.ts";

Deno.test("AmiClient.connect() logs in by MD5 over TCP: the secret never crosses the wire", async () => {
  await using server = new AmiTestServer({ users: { admin: "amp111" } });
  server.listen();
  await using client = await AmiClient.connect(server.url);
  assert.equal(client.banner, "Asterisk Call Manager/13.0.0");
  assert.equal(client.state, "connected");
  assert.equal(client.loggedIn, true);
  assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
  const [challenge, login] = server.received;
  assert.equal(challenge?.get("Action"), "Challenge");
  assert.equal(challenge?.get("AuthType"), "MD5");
  assert.equal(login?.get("AuthType"), "MD5");
  assert.match(login?.get("Key") ?? "", /^[0-9a-f]{32}$/);
  assert.equal(login?.has("Secret"), false);
});

Deno.test("AmiClient.connect() with auth: plain sends the secret and the Events value", async () => {
  await using server = new AmiTestServer({ users: { admin: "amp111" } });
  server.listen();
  await using client = await AmiClient.connect(server.url, { auth: "plain", events: "off" });
  const login = server.received.find((action) => action.name === "Login");
  assert.equal(login?.get("Secret"), "amp111");
  assert.equal(login?.get("Events"), "off");
  assert.equal(server.sessions[0]?.eventMask, "off");
  assert.equal(client.loggedIn, true);
});

Deno.test("a refused login rejects with AmiAuthenticationError that never shows the secret", async () => {
  await using server = new AmiTestServer({
    users: { admin: "amp111" },
    authFailureDelayMs: 5,
  });
  server.listen();
  const error = await assert.rejects(
    AmiClient.connect(server.url.replace("amp111", "wrong-secret-xyz")),
    AmiAuthenticationError,
  ).then(() => undefined, (e) => e);
  assert.equal(error, undefined);
  try {
    await AmiClient.connect(server.url.replace("amp111", "wrong-secret-xyz"));
    assert.fail("login should have been refused");
  } catch (caught) {
    assert.ok(caught instanceof AmiAuthenticationError);
    assert.match(caught.message, /Authentication failed/);
    assert.doesNotMatch(caught.message, /wrong-secret-xyz/);
    assert.equal(caught.response?.get("Response"), "Error");
  }
});

Deno.test("AmiClient.connect() to a port nobody listens on rejects with AmiConnectionError", async () => {
  await assert.rejects(
    AmiClient.connect(`ami://admin:amp111@127.0.0.1:${closedPort()}`),
    AmiConnectionError,
  );
});

Deno.test("AmiClient.connect() gives up with AmiTimeoutError when no banner comes within connectTimeout", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  await assert.rejects(
    AmiClient.connect(`ami://admin:amp111@127.0.0.1:${listener.addr.port}`, {
      connectTimeout: 50,
    }),
    AmiTimeoutError,
  );
  (await accepted).close();
});
