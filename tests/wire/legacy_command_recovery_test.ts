/**
 * A legacy `Response: Follows` reply whose `--END COMMAND--` never comes must
 * not take the rest of the session for command output: the parser reports
 * it once and goes on at the next frame, both in the parser alone and under a
 * real client reading from a hand-written server over in-memory streams.
 */

import assert from "node:assert/strict";
import { AmiClient, type AmiEvent, type AmiProtocolError, AmiTimeoutError } from "../../mod.ts";
import { AmiFrameParser } from "../../src/wire/parser.ts";
import type { AmiMessage } from "../../src/wire/message.ts";
import { bytewise, parseChunks } from "../support/parse.ts";

const encoder = new TextEncoder();
const EVENTS_AFTER = 2048;

/** A legacy reply with no end marker: CLI output, then the empty line that ends a frame. */
function unterminatedReply(actionId: string): string {
  return "Response: Follows\r\nPrivilege: Command\r\nActionID: " + actionId + "\r\n" +
    "System uptime: 1 hour\nLast reload: 1 hour\n\r\n\r\n";
}

function userEvents(from: number, count: number): string {
  let text = "";
  for (let i = from; i < from + count; i++) {
    text += `Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: n${i}\r\n\r\n`;
  }
  return text;
}

/** Cuts `bytes` into chunks of `size` bytes. */
function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.slice(at, at + size));
  return chunks;
}

Deno.test("AmiFrameParser recovers after a legacy Command reply with no end marker", () => {
  const bytes = encoder.encode(unterminatedReply("cmd-1") + userEvents(0, EVENTS_AFTER));
  const chunkings: [string, Uint8Array[]][] = [
    ["whole", [bytes]],
    ["in 5-byte chunks", chunked(bytes, 5)],
    ["in 13-byte chunks", chunked(bytes, 13)],
    ["in 64 KiB chunks", chunked(bytes, 64 * 1024)],
  ];
  // Every cut near the empty line that ends the reply, where the look-ahead decides.
  const emptyLine = unterminatedReply("cmd-1").length - 4;
  for (let at = emptyLine - 2; at <= emptyLine + 16; at++) {
    chunkings.push([`cut at ${at}`, [bytes.slice(0, at), bytes.slice(at)]]);
  }
  for (const [how, chunks] of chunkings) {
    const parsed = parseChunks(chunks, { banner: false });
    assert.equal(parsed.messages.length, EVENTS_AFTER, how);
    assert.deepEqual(
      parsed.messages.map((m) => m.get("UserEvent")),
      Array.from({ length: EVENTS_AFTER }, (_, i) => `n${i}`),
      how,
    );
    assert.equal(parsed.errors.length, 1, how);
    const [error] = parsed.errors;
    assert.equal(error!.kind, "truncated-frame", how);
    assert.match(error!.message, /--END COMMAND--/, how);
    assert.equal(error!.frame?.actionId, "cmd-1", how);
    assert.deepEqual(error!.frame?.getAll("Output"), [
      "System uptime: 1 hour",
      "Last reload: 1 hour",
    ]);
  }
});

Deno.test("AmiFrameParser ends a legacy reply at the next frame however small the reads", () => {
  const text = unterminatedReply("7") + "Response: Success\r\nActionID: 8\r\nPing: Pong\r\n\r\n";
  const parsed = parseChunks(bytewise(encoder.encode(text)), { banner: false });
  assert.deepEqual(parsed.errors.map((e) => e.kind), ["truncated-frame"]);
  assert.deepEqual(parsed.messages.map((m) => m.fields()), [
    [["Response", "Success"], ["ActionID", "8"], ["Ping", "Pong"]],
  ]);
});

Deno.test("AmiFrameParser skips an oversize legacy reply with no end marker only up to the next frame", () => {
  const big = "Response: Follows\r\nPrivilege: Command\r\n" + "output line\n".repeat(200) +
    "\r\n\r\n";
  const bytes = encoder.encode(big + userEvents(0, 100));
  for (const chunks of [[bytes], chunked(bytes, 7), chunked(bytes, 1000)]) {
    const parsed = parseChunks(chunks, { banner: false, maxFrameBytes: 1000 });
    assert.deepEqual(parsed.errors.map((e) => e.kind), ["frame-too-large"]);
    assert.equal(parsed.messages.length, 100);
    assert.equal(parsed.messages[0]!.get("UserEvent"), "n0");
  }
});

Deno.test("AmiFrameParser keeps a whole legacy reply whose output holds CRLF empty lines", () => {
  // The trade-off of the recovery rule: only `Event: ` or `Response: ` after an empty line ends it.
  const reply = "Response: Follows\r\nPrivilege: Command\r\n" +
    "a\r\n\r\nEventually: b\r\n\r\nresponse: c\n--END COMMAND--\r\n\r\n";
  const parsed = parseChunks(bytewise(encoder.encode(reply + "Event: After\r\n\r\n")), {
    banner: false,
  });
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(parsed.messages[0]!.getAll("Output"), [
    "a",
    "",
    "Eventually: b",
    "",
    "response: c",
  ]);
  assert.equal(parsed.messages[1]!.name, "After");
});

/** One side of an in-memory connection. */
interface Duplex {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
}

/** Two ends of an in-memory connection: what one writes, the other reads. */
function duplexPair(): [Duplex, Duplex] {
  const up = new TransformStream<Uint8Array, Uint8Array>();
  const down = new TransformStream<Uint8Array, Uint8Array>();
  return [
    { readable: down.readable, writable: up.writable },
    { readable: up.readable, writable: down.writable },
  ];
}

/** Reads the client's actions off the connection, one message at a time. */
async function* actionsFrom(conn: Duplex): AsyncGenerator<AmiMessage> {
  const queue: AmiMessage[] = [];
  const parser = new AmiFrameParser((message) => queue.push(message), { banner: false });
  for await (const chunk of conn.readable) {
    parser.push(chunk);
    while (queue.length > 0) yield queue.shift()!;
  }
}

/**
 * A server written by hand: a banner, a plain login accepted, then a
 * legacy reply to `Command` that never ends followed by 2,048 events, and a
 * `Pong` to any `Ping`.
 */
async function serveHostileCommandReply(conn: Duplex): Promise<void> {
  const writer = conn.writable.getWriter();
  const write = (text: string) => writer.write(encoder.encode(text));
  try {
    await write("Asterisk Call Manager/9.0.0\r\n");
    for await (const action of actionsFrom(conn)) {
      const id = action.get("ActionID") ?? "";
      if (action.name === "Login") {
        await write(
          `Response: Success\r\nActionID: ${id}\r\nMessage: Authentication accepted\r\n\r\n`,
        );
      } else if (action.name === "Command") {
        await write(unterminatedReply(id) + userEvents(0, EVENTS_AFTER));
      } else if (action.name === "Ping") {
        await write(`Response: Success\r\nActionID: ${id}\r\nPing: Pong\r\n\r\n`);
      } else if (action.name === "Logoff") {
        await write(`Response: Goodbye\r\nActionID: ${id}\r\n\r\n`);
        break;
      }
    }
  } catch {
    // The client closed first: nothing left to serve.
  } finally {
    // Closing the writable side closes the connection; it may be gone already.
    await writer.close().catch(() => {});
  }
}

Deno.test("AmiClient keeps its session after a legacy Command reply with no end marker", async () => {
  const [clientEnd, serverEnd] = duplexPair();
  const served = serveHostileCommandReply(serverEnd);
  const errors: AmiProtocolError[] = [];
  const client = new AmiClient(clientEnd, { onProtocolError: (error) => errors.push(error) });
  try {
    await client.login({ username: "admin", secret: "secret", auth: "plain", events: "on" });
    const stream = client.events("UserEvent");
    const command = client.send({ Action: "Command", Command: "core show uptime" }, {
      timeout: 200,
    });
    const seen: string[] = [];
    for await (const event of stream as AsyncIterable<AmiEvent>) {
      seen.push(event.get("UserEvent")!);
      if (seen.length === EVENTS_AFTER) break;
    }
    assert.deepEqual(seen, Array.from({ length: EVENTS_AFTER }, (_, i) => `n${i}`));
    // The reply was dropped, so the action waits for its deadline.
    await assert.rejects(command, AmiTimeoutError);
    assert.equal((await client.send({ Action: "Ping" })).get("Ping"), "Pong");
    assert.deepEqual(errors.map((e) => e.kind), ["truncated-frame"]);
    assert.equal(errors[0]!.frame?.get("Privilege"), "Command");
  } finally {
    await client.close();
    await served;
  }
});
