/**
 * `amis://` to a plain-text AMI port: the TLS handshake meets the server's
 * plain-text banner, and the error says so (not rustls' "corrupt message of
 * type InvalidContentType"). The server is a raw TCP listener of its own.
 */

import assert from "node:assert/strict";
import { AmiClient, AmiConnectionError } from "../../mod.ts";

Deno.test("amis:// to a plain-text server fails at connect, saying TLS met a plain-text server", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  const serving = (async () => {
    const conn = await listener.accept();
    await conn.write(new TextEncoder().encode("Asterisk Call Manager/9.0.0\r\n")).catch(() => 0);
    // Read until the client gives up, then close.
    const buffer = new Uint8Array(4096);
    while ((await conn.read(buffer).catch(() => null)) !== null);
    conn.close();
  })();
  try {
    const error = await AmiClient.connect(`amis://admin:amp111@127.0.0.1:${port}`, {
      connectTimeout: 5_000,
    }).then(() => undefined, (error) => error);
    assert.ok(error instanceof AmiConnectionError, String(error));
    assert.match(
      error.message,
      /^Could not connect to 127\.0\.0\.1:\d+: TLS failed: the server answered in plain text, not TLS \(for a plain-text AMI port use ami:\/\//,
    );
    assert.doesNotMatch(error.message, /InvalidContentType|corrupt message/);
  } finally {
    await serving;
    listener.close();
  }
});
