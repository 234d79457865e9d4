/**
 * Properties of the client at the wire: whatever a user passes, no CR, LF or
 * NUL of theirs ever reaches the socket, and what does reach it is exactly
 * the action they asked for.
 */
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.10.2";
import { AmiClient, AmiFrameParser, type AmiMessage } from "../../mod.ts";

/** A client whose writes are captured; the server side never answers. */
function capturingClient(): { client: AmiClient; written: () => AmiMessage[] } {
  const chunks: Uint8Array[] = [];
  const writable = new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk) });
  const readable = new ReadableStream<Uint8Array>();
  const client = new AmiClient({ readable, writable }, { banner: false, actionTimeout: 60_000 });
  const written = () => {
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return AmiFrameParser.parseAll(bytes, { banner: false });
  };
  return { client, written };
}

const anyText = fc.string({ unit: "binary", maxLength: 40 });
const dangerous = fc.constantFrom(
  "\r",
  "\n",
  "\0",
  "\r\n",
  "\r\nAction: Logoff\r\n\r\n",
  ": ",
  " ",
);
const value = fc.oneof(anyText, fc.tuple(anyText, dangerous, anyText).map((p) => p.join("")));
const key = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,15}$/),
  fc.tuple(fc.stringMatching(/^[A-Za-z]{1,8}$/), dangerous).map((p) => p.join("")),
);

Deno.test("no CR, LF or NUL from a user's key or value ever reaches the wire", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 6 }),
      async (pairs) => {
        const { client, written } = capturingClient();
        const headers: Record<string, string> = {};
        for (const [k, v] of pairs) if (!/^(action(id)?|userevent)$/i.test(k)) headers[k] = v;
        const outcome = client.send({ Action: "UserEvent", UserEvent: "probe", ...headers });
        const safe = Object.entries(headers).every(([k, v]) =>
          !/[\r\n\0:\s]/.test(k) && !/[\r\n\0]/.test(v)
        );
        if (!safe) {
          await assert.rejects(outcome, TypeError);
          assert.deepEqual(written(), []);
        } else {
          outcome.catch(() => {});
          // Let the batched write happen.
          await new Promise((resolve) => setTimeout(resolve, 0));
          const frames = written();
          assert.equal(frames.length, 1);
          const sent = frames[0]!;
          assert.equal(sent.get("Action"), "UserEvent");
          assert.deepEqual(
            sent.fields().filter(([k]) => k !== "Action" && k !== "ActionID" && k !== "UserEvent"),
            Object.entries(headers),
          );
        }
        await client.close();
      },
    ),
    { numRuns: 200 },
  );
});
