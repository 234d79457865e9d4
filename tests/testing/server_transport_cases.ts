/**
 * The test server's cases that hold on every connection kind: the same
 * frames in memory (server_test.ts) and over TCP (server_net_test.ts).
 */

import assert from "node:assert/strict";
import type { AmiTestServer } from "../../testing.ts";
import { assertFields } from "../support/expect_reply.ts";
import type { RawAmiClient } from "../support/raw_ami_client.ts";
import { fastServer } from "../support/fast_server.ts";

/** Opens a raw client to the server over one connection kind. */
export type Connect = (server: AmiTestServer) => Promise<RawAmiClient>;

/** Registers the cases for one connection kind; `transport` ends each test's name. */
export function defineTransportTests(transport: "in memory" | "over TCP", connect: Connect): void {
  Deno.test(`the server sends the banner line first, ${transport}`, async () => {
    await using server = fastServer();
    const client = await connect(server);
    await client.login();
    assert.equal(client.banner, "Asterisk Call Manager/13.0.0");
    assert.ok(client.text.startsWith("Asterisk Call Manager/13.0.0\r\nResponse: Success\r\n"));
    await client.close();
  });

  Deno.test(`a plain login is accepted and followed by FullyBooted, ${transport}`, async () => {
    await using server = fastServer();
    const client = await connect(server);
    await client.action({
      Action: "Login",
      ActionID: "login-1",
      Username: "admin",
      Secret: "amp111",
    });
    const [response, booted] = await client.take(2);
    assertFields(response, [
      ["Response", "Success"],
      ["ActionID", "login-1"],
      ["Message", "Authentication accepted"],
    ]);
    assert.equal(booted!.name, "FullyBooted");
    assert.equal(booted!.get("Privilege"), "system,all");
    assert.equal(booted!.get("Status"), "Fully Booted");
    const session = await server.waitForSession();
    assert.equal(session.authenticated, true);
    assert.equal(session.username, "admin");
    assert.equal(session.transport, transport === "in memory" ? "memory" : "tcp");
    await client.close();
  });

  Deno.test(`a wrong password waits, fails and closes the connection, ${transport}`, async () => {
    await using server = fastServer();
    const client = await connect(server);
    await client.action({
      Action: "Login",
      ActionID: "login-1",
      Username: "admin",
      Secret: "wrong-secret",
    });
    await client.ended;
    assert.equal(client.messages.length, 1);
    assertFields(client.messages[0], [
      ["Response", "Error"],
      ["ActionID", "login-1"],
      ["Message", "Authentication failed"],
    ]);
    assert.equal(
      client.text,
      "Asterisk Call Manager/13.0.0\r\nResponse: Error\r\nActionID: login-1\r\n" +
        "Message: Authentication failed\r\n\r\n",
    );
    await (await server.waitForSession()).closed;
    assert.equal(server.sessions.length, 0);
    await client.close();
  });

  Deno.test(`pipelined actions are answered in request order, ${transport}`, async () => {
    await using server = fastServer();
    const gates = [
      Promise.withResolvers<void>(),
      Promise.withResolvers<void>(),
      Promise.withResolvers<void>(),
    ];
    server.handle("Slow", async (action) => {
      const index = Number(action.get("Index"));
      await gates[index]!.promise;
      return { Message: `slow ${index}` };
    });
    const client = await connect(server);
    await client.login();
    await client.write(
      "Action: Slow\r\nActionID: a\r\nIndex: 0\r\n\r\n" +
        "Action: Ping\r\nActionID: b\r\n\r\n" +
        "Action: Slow\r\nActionID: c\r\nIndex: 1\r\n\r\n" +
        "Action: Slow\r\nActionID: d\r\nIndex: 2\r\n\r\n",
    );
    await server.waitForAction("Slow", 3);
    // Released last to first: the answers must still come first to last.
    gates[2]!.resolve();
    gates[1]!.resolve();
    gates[0]!.resolve();
    const answers = await client.take(4);
    assert.deepEqual(answers.map((m) => m.actionId), ["a", "b", "c", "d"]);
    assert.deepEqual(answers.map((m) => m.get("Message") ?? m.get("Ping")), [
      "slow 0",
      "Pong",
      "slow 1",
      "slow 2",
    ]);
    await client.close();
  });
}
