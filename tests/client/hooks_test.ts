/**
 * User hooks that throw: the client isolates them. The frame or the state
 * change goes on as if the hook had returned, what it threw is reported to
 * `onProtocolError` (kind `hook-error`, the thrown value as `cause`), and
 * `stats.hookErrors` counts them. Nothing is rethrown: an uncaught error
 * would fail these tests (and kill an application).
 */
import assert from "node:assert/strict";
import { AmiClient, type AmiProtocolError } from "../../mod.ts";
import { AmiTestServer } from "../../testing.ts";

Deno.test("a throwing onWire hook is reported as a hook-error and the session goes on", async () => {
  await using server = new AmiTestServer();
  const reported: AmiProtocolError[] = [];
  const bug = new Error("bug in onWire");
  await using client = new AmiClient(server.connect(), {
    onWire: () => {
      throw bug;
    },
    onProtocolError: (error) => reported.push(error),
  });
  await client.login({ username: "admin", secret: "amp111" });
  assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
  assert.ok(reported.length >= 4, `${reported.length} reports`);
  assert.ok(reported.every((error) => error.kind === "hook-error" && error.cause === bug));
  assert.equal(client.stats.hookErrors, reported.length);
});

Deno.test("a throwing onStateChange hook does not stop the change, and is reported", async () => {
  await using server = new AmiTestServer();
  const reported: AmiProtocolError[] = [];
  const client = new AmiClient(server.connect(), {
    onStateChange: () => {
      throw new Error("bug in onStateChange");
    },
    onProtocolError: (error) => reported.push(error),
  });
  await client.close();
  assert.equal(client.state, "closed");
  assert.equal(await client.closed, undefined);
  assert.equal(reported.length, 1);
  assert.equal(reported[0]!.kind, "hook-error");
  assert.match(reported[0]!.message, /onStateChange/);
});

Deno.test("a throwing onProtocolError hook is only counted", async () => {
  await using server = new AmiTestServer();
  await using client = new AmiClient(server.connect(), {
    onWire: () => {
      throw new Error("bug in onWire");
    },
    onProtocolError: () => {
      throw new Error("bug in onProtocolError");
    },
  });
  await client.login({ username: "admin", secret: "amp111" });
  assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
  // Each onWire throw counts, and so does each onProtocolError throw it caused.
  assert.ok(client.stats.hookErrors >= 8);
  assert.equal(client.stats.hookErrors % 2, 0);
});
