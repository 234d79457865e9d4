/**
 * Pacing counts events, not only bytes: a burst of the smallest possible
 * events, written by hand on a raw socket, must reach a consumer that keeps
 * up, every one of them.
 */
import assert from "node:assert/strict";
import { AmiClient, AmiConnectionError } from "../../mod.ts";
import { acceptLogin, BANNER, FrameReader, rawServer, writeText } from "../support/raw_server.ts";

Deno.test("a consumer that keeps up gets all of 50,001 twelve-byte events sent in one burst", async () => {
  const events = 50_001;
  await using server = rawServer(async (conn) => {
    await writeText(conn, BANNER);
    if (await acceptLogin(conn, new FrameReader(conn)) === undefined) return;
    // "Event: A\r\n\r\n" is twelve bytes: 16 KiB of them are 1,365 events, more than a buffer.
    await writeText(conn, "Event: A\r\n\r\n".repeat(events));
    conn.close();
  });
  const client = new AmiClient(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
  const stream = client.events("A");
  await client.login({ username: "admin", secret: "amp111", auth: "plain" });
  let received = 0;
  await assert.rejects(async () => {
    for await (const _ of stream) received++;
  }, AmiConnectionError);
  assert.equal(received, events);
  await client.close();
});
