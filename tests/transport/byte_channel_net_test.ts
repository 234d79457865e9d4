/**
 * The connection reads and writes a socket directly when the transport is
 * one (read into a buffer, write byte arrays, close), and goes through the
 * streams otherwise. A socket may write fewer bytes than asked: every byte
 * must still go out, in order.
 */
import assert from "node:assert/strict";
import { AmiClient } from "../../mod.ts";
import { AmiTestServer } from "../../testing.ts";

Deno.test("a Deno.Conn is read and written directly, never through its streams", async () => {
  await using server = new AmiTestServer();
  server.listen();
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  let reads = 0;
  let writes = 0;
  const transport = {
    get readable(): ReadableStream<Uint8Array> {
      throw new Error("the readable stream was used");
    },
    get writable(): WritableStream<Uint8Array> {
      throw new Error("the writable stream was used");
    },
    read: (buffer: Uint8Array) => (reads++, conn.read(buffer)),
    write: (bytes: Uint8Array) => (writes++, conn.write(bytes)),
    close: () => conn.close(),
  };
  await using client = new AmiClient(transport);
  await client.login({ username: "admin", secret: "amp111" });
  assert.equal((await client.send({ Action: "Ping" })).Ping, "Pong");
  assert.ok(reads >= 2 && writes >= 2, `${reads} reads, ${writes} writes`);
});
