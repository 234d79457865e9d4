/**
 * Real sockets under Node.js: AmiClient.connect() over node:net and
 * node:tls on 127.0.0.1 (the path openTransport takes when Deno is absent),
 * and the CLI's runCli() over it.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { test } from "node:test";
import { createServer as createTlsServer } from "node:tls";
import { runCli } from "../../cli.ts";
import {
  AmiAuthenticationError,
  AmiClient,
  AmiConnectionError,
  AmiTimeoutError,
  openTransport,
} from "../../mod.ts";
import { closedPort, listeningPeer, ScriptedPeer } from "./support.mts";

test("the test runs without Deno, so connect() takes the node:net path", () => {
  assert.equal("Deno" in globalThis, false);
});

test("AmiClient.connect() logs in over node:net, sends actions, and logs off", async () => {
  const server = await listeningPeer((peer) => {
    peer.handle(
      "Getvar",
      (action) => ({ Response: "Success", Value: `${action.get("Variable")}!` }),
    );
  });
  try {
    const client = await AmiClient.connect(`ami://admin:amp111@127.0.0.1:${server.port}`);
    try {
      assert.equal(client.banner, "Asterisk Call Manager/13.0.0");
      assert.equal(client.state, "connected");
      assert.equal((await client.send({ Action: "Ping" })).get("Ping"), "Pong");
      const values = await Promise.all(
        ["A", "B"].map((name) => client.send({ Action: "Getvar", Variable: name })),
      );
      assert.deepEqual(values.map((value) => value.get("Value")), ["A!", "B!"]);
    } finally {
      await client.logoff();
    }
    const actions = server.peers[0]!.received.map((action) => action.get("Action"));
    assert.deepEqual(actions, ["Challenge", "Login", "Ping", "Getvar", "Getvar", "Logoff"]);
  } finally {
    await server.close();
  }
});

test("a large answer arrives whole through the socket's chunks", async () => {
  const value = "x".repeat(200_000);
  const server = await listeningPeer((peer) => {
    peer.handle("Big", () => ({ Response: "Success", Value: value }));
  });
  try {
    const client = await AmiClient.connect(`ami://admin:amp111@127.0.0.1:${server.port}`);
    try {
      assert.equal((await client.send({ Action: "Big" })).get("Value"), value);
    } finally {
      await client.close();
    }
  } finally {
    await server.close();
  }
});

test("a refused login over TCP rejects with AmiAuthenticationError", async () => {
  const server = await listeningPeer();
  try {
    await assert.rejects(
      AmiClient.connect(`ami://admin:wrong@127.0.0.1:${server.port}`),
      AmiAuthenticationError,
    );
  } finally {
    await server.close();
  }
});

test("a refused connection rejects with AmiConnectionError naming the address", async () => {
  const port = await closedPort();
  await assert.rejects(
    AmiClient.connect(`ami://admin:amp111@127.0.0.1:${port}`),
    (error: unknown) => {
      assert.ok(error instanceof AmiConnectionError);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      return true;
    },
  );
});

test("a server that accepts but never speaks times out with AmiTimeoutError", async () => {
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const address = silent.address();
  assert.ok(address !== null && typeof address === "object");
  try {
    await assert.rejects(
      AmiClient.connect(`ami://admin:amp111@127.0.0.1:${address.port}`, { connectTimeout: 50 }),
      AmiTimeoutError,
    );
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test("openTransport() gives a web stream pair whose writable end closes the socket's write side", async () => {
  let ended!: () => void;
  const serverSawEnd = new Promise<void>((resolve) => ended = resolve);
  const sockets = new Set<Socket>();
  const echo = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("data", (data) => socket.write(data));
    socket.on("end", () => {
      ended();
      socket.end();
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  const address = echo.address();
  assert.ok(address !== null && typeof address === "object");
  try {
    const conn = await openTransport({ hostname: "127.0.0.1", port: address.port }, 1_000);
    const writer = conn.writable.getWriter();
    await writer.write(new TextEncoder().encode("hello"));
    const reader = conn.readable.getReader();
    let echoed = "";
    while (echoed.length < 5) {
      const { value, done } = await reader.read();
      assert.equal(done, false);
      assert.ok(value instanceof Uint8Array);
      assert.equal(Object.getPrototypeOf(value), Uint8Array.prototype, "a plain Uint8Array");
      echoed += new TextDecoder().decode(value);
    }
    assert.equal(echoed, "hello");
    await writer.close();
    await serverSawEnd;
    assert.equal((await reader.read()).done, true);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  }
});

test("amis:// connects over node:tls, trusting the given CA certificate", async () => {
  const tlsDir = new URL("../fixtures/tls/", import.meta.url);
  const sockets = new Set<Socket>();
  const server = createTlsServer({
    cert: readFileSync(new URL("server.pem", tlsDir)),
    key: readFileSync(new URL("server.key", tlsDir)),
  }, (socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.setEncoding("utf8");
    const peer = new ScriptedPeer((text) => void socket.write(text), () => void socket.end());
    socket.on("data", (text: string) => peer.receive(text));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === "object");
  const ca = readFileSync(new URL("ca.pem", tlsDir), "utf8");
  try {
    const client = await AmiClient.connect({
      hostname: "localhost",
      port: address.port,
      tls: { caCerts: [ca] },
      username: "admin",
      secret: "amp111",
    });
    try {
      assert.equal((await client.send({ Action: "Ping" })).get("Ping"), "Pong");
    } finally {
      await client.logoff();
    }
    // Without the CA, the self-made certificate is refused.
    await assert.rejects(
      AmiClient.connect({
        hostname: "localhost",
        port: address.port,
        tls: true,
        username: "admin",
        secret: "amp111",
      }),
      AmiConnectionError,
    );
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test("the CLI's runCli() works under Node: ping, and an event list as a table", async () => {
  const server = await listeningPeer((peer) => {
    peer.handle("CoreShowChannels", () => [
      { Response: "Success", EventList: "start", Message: "Channels will follow" },
      { Event: "CoreShowChannel", Channel: "PJSIP/100-01", State: "Up" },
      { Event: "CoreShowChannelsComplete", EventList: "Complete", ListItems: "1" },
    ]);
  });
  try {
    const env = { AMI_URL: `ami://admin:amp111@127.0.0.1:${server.port}` };
    let stdout = "";
    let stderr = "";
    const io = {
      env,
      stdout: (text: string) => void (stdout += text),
      stderr: (text: string) => void (stderr += text),
    };
    assert.equal(await runCli(["ping"], io), 0, stderr);
    assert.match(stdout, /^Pong from 127\.0\.0\.1:\d+ /);
    stdout = "";
    assert.equal(await runCli(["list", "CoreShowChannels"], io), 0, stderr);
    assert.equal(stdout, "Channel       State\nPJSIP/100-01  Up\n");
    assert.equal(stderr, "");
    assert.equal(await runCli(["ping", "--secret", "wrong"], io), 3);
    assert.equal(stderr, 'ami ping: Login as "admin" failed: Authentication failed\n');
  } finally {
    await server.close();
  }
});
