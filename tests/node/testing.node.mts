/**
 * `@x/ami/testing` under Node.js 20: the test server and the simulated PBX
 * over node:net (serve()), in memory (connect()), and a clear error where
 * something stays Deno-only (the synchronous listen()).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { AmiClient } from "../../mod.ts";
import { AmiTestServer, callCentreOptions, SimulatedPbx } from "../../testing.ts";

test("the test runs without Deno", () => {
  assert.equal("Deno" in globalThis, false);
});

test("AmiTestServer.serve() listens over node:net and a client logs in and sends actions", async () => {
  const server = new AmiTestServer({ users: { admin: "amp111" }, authFailureDelayMs: 1 });
  try {
    server.handle("GetVar", (action) => ({ Variable: action.get("Variable")!, Value: "42" }));
    const address = await server.serve({ port: 0 });
    assert.equal(address.hostname, "127.0.0.1");
    assert.equal(server.url, `ami://admin:amp111@127.0.0.1:${address.port}`);
    const client = await AmiClient.connect(server.url);
    try {
      assert.equal((await client.send({ Action: "Ping" })).get("Ping"), "Pong");
      assert.equal((await client.send({ Action: "GetVar", Variable: "X" })).get("Value"), "42");
      const session = await server.waitForSession();
      assert.equal(session.transport, "tcp");
      assert.equal(session.remoteAddr?.hostname, "127.0.0.1");
    } finally {
      await client.close();
    }
  } finally {
    await server.close();
  }
});

test("AmiTestServer.listen() says it needs Deno and names serve()", async () => {
  const server = new AmiTestServer();
  try {
    assert.throws(
      () => server.listen(),
      /only Deno can do; on Node\.js use `await server\.serve\(\)`/,
    );
  } finally {
    await server.close();
  }
});

test("an in-memory connection works under Node", async () => {
  const server = new AmiTestServer();
  try {
    const client = new AmiClient(server.connect());
    await client.login({ username: "admin", secret: "amp111" });
    assert.equal((await client.send({ Action: "Ping" })).get("Ping"), "Pong");
    await client.close();
  } finally {
    await server.close();
  }
});

test("SimulatedPbx runs calls and queues under Node, served over node:net", async () => {
  const pbx = new SimulatedPbx({ ...callCentreOptions(2), callDurationMs: 20, ringMs: 0 });
  try {
    await pbx.server.serve({ port: 0 });
    const client = await AmiClient.connect(pbx.server.url);
    try {
      const hangups: string[] = [];
      const events = client.events({ Event: "Hangup" });
      const collecting = (async () => {
        for await (const event of events) {
          hangups.push(event.get("Channel") ?? "");
          if (hangups.length === 2) break;
        }
      })();
      const result = await pbx.originate({
        Channel: "PJSIP/100",
        Context: "default",
        Exten: "101",
        Priority: 1,
      });
      assert.equal(result.success, true);
      await pbx.waitForIdle();
      await collecting;
      assert.deepEqual(hangups.sort(), ["PJSIP/100-00000000", "PJSIP/101-00000001"]);
      const uptime = await client.command("core show uptime");
      assert.match(uptime[0]!, /^System uptime: /);
      const { items } = await client.sendList({ Action: "QueueSummary" });
      assert.deepEqual(items.map((item) => item.get("Queue")), ["support", "sales"]);
    } finally {
      await client.close();
    }
  } finally {
    await pbx.close();
  }
});
