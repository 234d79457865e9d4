/**
 * The test server of `@x/ami/testing` over real sockets: the connection-kind
 * cases over TCP, listeners, TLS, and faults only a socket shows.
 */

import assert from "node:assert/strict";
import type { AmiTestServer } from "../../testing.ts";
import { RawAmiClient } from "../support/raw_ami_client.ts";
import { type Connect, defineTransportTests } from "./server_transport_cases.ts";
import { fastServer } from "../support/fast_server.ts";

const overTcp: Connect = (server) => {
  if (!hasListener(server)) server.listen({ hostname: "127.0.0.1", port: 0 });
  return RawAmiClient.tcp(server.port);
};
defineTransportTests("over TCP", overTcp);

function hasListener(server: AmiTestServer): boolean {
  try {
    return server.port > 0;
  } catch {
    return false;
  }
}

Deno.test("url and port describe the latest listener", async () => {
  await using server = fastServer({ users: { "us er": "p@ss" } });
  assert.throws(() => server.port, /not listening/);
  const address = server.listen({ hostname: "127.0.0.1", port: 0 });
  assert.equal(server.port, address.port);
  assert.equal(server.url, `ami://us%20er:p%40ss@127.0.0.1:${address.port}`);
});

Deno.test("stopListening refuses new connections and listen accepts again", async () => {
  await using server = fastServer();
  const { port } = server.listen();
  const kept = await RawAmiClient.tcp(port);
  await kept.login();
  await server.stopListening();
  await assert.rejects(
    Deno.connect({ hostname: "127.0.0.1", port }),
    Deno.errors.ConnectionRefused,
  );
  await kept.write("Action: Ping\r\nActionID: still\r\n\r\n");
  assert.equal((await kept.next()).actionId, "still");
  server.listen({ port });
  const again = await RawAmiClient.tcp(port);
  assert.equal((await again.login()).get("Message"), "Authentication accepted");
  await Promise.all([kept.close(), again.close()]);
});

Deno.test("split writes with a delay still arrive whole and in order over TCP", async () => {
  await using server = fastServer({ faults: { chunkSize: 5, chunkDelayMs: 1 } });
  server.listen();
  const client = await RawAmiClient.tcp(server.port);
  await client.login();
  await client.write("Action: Ping\r\nActionID: p\r\n\r\n");
  assert.equal((await client.next()).get("Ping"), "Pong");
  assert.ok(client.chunks.length > 2);
  await client.close();
});

Deno.test("closeOnConnect closes before the banner", async () => {
  await using server = fastServer({ faults: { closeOnConnect: true } });
  server.listen();
  for (const client of [new RawAmiClient(server.connect()), await RawAmiClient.tcp(server.port)]) {
    await client.ended;
    assert.equal(client.chunks.length, 0);
    assert.equal(client.banner, undefined);
    await client.close();
  }
});

Deno.test("abort over TCP ends the connection at once", async () => {
  await using server = fastServer();
  server.listen();
  const client = await RawAmiClient.tcp(server.port);
  await client.login();
  const session = await server.waitForSession();
  server.handle("Hang", () => new Promise(() => {}));
  await client.write("Action: Hang\r\n\r\n");
  await session.waitForAction("Hang");
  await session.abort();
  await client.ended;
  assert.equal(session.isClosed, true);
  await client.close();
});

Deno.test("the server serves TLS when given a certificate and key", async () => {
  await using server = fastServer();
  const tls = new URL("../fixtures/tls/", import.meta.url);
  const ca = await Deno.readTextFile(new URL("ca.pem", tls));
  const cert = await Deno.readTextFile(new URL("server.pem", tls));
  const key = await Deno.readTextFile(new URL("server.key", tls));
  const { port } = server.listen({
    hostname: "127.0.0.1",
    port: 0,
    cert,
    key,
  });
  assert.equal(server.url, `amis://admin:amp111@127.0.0.1:${port}`);
  const conn = await Deno.connectTls({ hostname: "127.0.0.1", port, caCerts: [ca] });
  const client = new RawAmiClient(conn);
  assert.equal((await client.login()).get("Message"), "Authentication accepted");
  assert.equal((await server.waitForSession()).transport, "tls");
  await client.close();
});

Deno.test("serve() listens like listen() and reports the bound address", async () => {
  await using server = fastServer();
  const address = await server.serve({ hostname: "127.0.0.1", port: 0 });
  assert.equal(address.transport, "tcp");
  assert.equal(server.port, address.port);
  const client = await RawAmiClient.tcp(address.port);
  assert.equal((await client.login()).get("Message"), "Authentication accepted");
  await client.close();
});
