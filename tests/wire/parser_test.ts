/** AmiFrameParser and AmiDecoderStream on synthetic input, one behaviour per test. */

import assert from "node:assert/strict";
import { AmiFrameParser, DEFAULT_MAX_FRAME_BYTES } from "../../src/wire/parser.ts";
import { AmiDecoderStream } from "../../src/wire/decoder_stream.ts";
import type { AmiMessage } from "../../src/wire/message.ts";
import { AmiError, AmiProtocolError } from "../../src/errors.ts";
import { readServerBytes, readTimeline, recordedChunks } from "../support/fixtures.ts";
import { bytesOf } from "../support/bytes.ts";
import { bytewise, parseChunks, type Parsed } from "../support/parse.ts";

const BANNER = "Asterisk Call Manager/13.0.0";
const encoder = new TextEncoder();

const parse = parseChunks;

/** Every way to cut `bytes` in two, as pairs of chunks. */
function* everySplit(bytes: Uint8Array): Generator<[number, Uint8Array[]]> {
  for (let at = 0; at <= bytes.length; at++) {
    yield [at, [bytes.slice(0, at), bytes.slice(at)]];
  }
}

/** What must not change between two parses of the same bytes. */
function summary(parsed: Parsed) {
  return {
    banner: parsed.banner,
    bannerCalls: parsed.bannerCalls,
    messages: parsed.messages.map((m) => ({ text: m.toString(), fields: m.fields() })),
    errors: parsed.errors.map((e) => e.kind),
  };
}

Deno.test("a UTF-8 character split across two reads at any byte decodes whole", () => {
  const text = "Event: UserEvent\r\nGreeting: Grüße ☎ 日本語 😀\r\n\r\nEvent: Next\r\n\r\n";
  const bytes = bytesOf(text);
  for (const [at, chunks] of everySplit(bytes)) {
    const { messages, errors } = parse(chunks, { banner: false });
    assert.deepEqual(errors, [], `split at ${at}`);
    assert.equal(messages.length, 2, `split at ${at}`);
    assert.equal(messages[0]!.get("Greeting"), "Grüße ☎ 日本語 😀", `split at ${at}`);
    assert.equal(messages[0]!.toString() + messages[1]!.toString(), text, `split at ${at}`);
  }
  const trickled = parse(bytewise(bytes), { banner: false });
  assert.equal(trickled.messages[0]!.get("Greeting"), "Grüße ☎ 日本語 😀");
});

Deno.test("invalid UTF-8 becomes U+FFFD without throwing, and the next frames still parse", () => {
  const bytes = bytesOf(
    "Event: Bad\r\nLatin1: caf",
    Uint8Array.of(0xe9), // é in Latin-1, not UTF-8
    "\r\nStray: ",
    Uint8Array.of(0xff, 0xfe),
    "\r\nCut: ",
    Uint8Array.of(0xe2, 0x98), // the first two bytes of ☎, then the frame ends
    "\r\n\r\nEvent: Good\r\nValue: ok\r\n\r\n",
  );
  for (const chunks of [[bytes], [...bytewise(bytes)]]) {
    const { messages, errors } = parse(chunks, { banner: false });
    assert.deepEqual(errors, []);
    assert.equal(messages.length, 2);
    const [bad, good] = messages;
    assert.equal(bad!.get("Latin1"), "caf\uFFFD");
    assert.equal(bad!.get("Stray"), "\uFFFD\uFFFD");
    assert.equal(bad!.get("Cut"), "\uFFFD", "a cut sequence does not swallow the line end");
    assert.deepEqual(good!.fields(), [["Event", "Good"], ["Value", "ok"]]);
  }
});

Deno.test("the banner split across reads at any byte is read once and whole", () => {
  const bytes = bytesOf(BANNER + "\r\nResponse: Success\r\nPing: Pong\r\n\r\n");
  for (const [at, chunks] of everySplit(bytes)) {
    const parsed = parse(chunks);
    assert.equal(parsed.banner, BANNER, `split at ${at}`);
    assert.deepEqual(parsed.bannerCalls, [BANNER], `split at ${at}`);
    assert.deepEqual(parsed.messages.map((m) => m.fields()), [[
      ["Response", "Success"],
      ["Ping", "Pong"],
    ]]);
    assert.deepEqual(parsed.errors, []);
  }
  assert.deepEqual(summary(parse(bytewise(bytes))), summary(parse([bytes])));
});

Deno.test("a stream whose first line has a colon has no banner, and that line starts a frame", () => {
  const bytes = bytesOf("Response: Success\r\nPing: Pong\r\n\r\nEvent: A\r\n\r\n");
  for (const chunks of [[bytes], [...bytewise(bytes)]]) {
    const parsed = parse(chunks);
    assert.equal(parsed.banner, undefined);
    assert.deepEqual(parsed.bannerCalls, []);
    assert.deepEqual(parsed.messages.map((m) => m.name), ["Success", "A"]);
    assert.equal(parsed.messages[0]!.get("Ping"), "Pong");
  }
});

Deno.test("with banner: false the first line is part of the first frame", () => {
  const actions = parse([bytesOf("Action: Ping\r\nActionID: 1\r\n\r\n")], { banner: false });
  assert.equal(actions.banner, undefined);
  assert.deepEqual(actions.messages.map((m) => [m.kind, m.name, m.actionId]), [
    ["action", "Ping", "1"],
  ]);
  // A banner-like line is not taken as the banner: it is kept in the frame it starts.
  const text = BANNER + "\r\nResponse: Success\r\n\r\n";
  const kept = parse([bytesOf(text)], { banner: false });
  assert.equal(kept.banner, undefined);
  assert.deepEqual(kept.bannerCalls, []);
  assert.equal(kept.messages.length, 1);
  assert.equal(kept.messages[0]!.toString(), text);
  assert.equal(kept.messages[0]!.get("Response"), "Success");
});

Deno.test("runs of empty lines between frames and after the banner are skipped", () => {
  const bytes = bytesOf(
    BANNER + "\r\n\r\n\r\nEvent: A\r\n\r\n\r\n\r\n\r\nEvent: B\r\nX: 1\r\n\r\n\r\n",
    "\r\n\r\nEvent: C\r\n\r\n\r\n",
  );
  for (const chunks of [[bytes], [...bytewise(bytes)]]) {
    const parsed = parse(chunks);
    assert.equal(parsed.banner, BANNER);
    assert.deepEqual(parsed.messages.map((m) => m.name), ["A", "B", "C"]);
    assert.deepEqual(parsed.messages.map((m) => m.toString()), [
      "Event: A\r\n\r\n",
      "Event: B\r\nX: 1\r\n\r\n",
      "Event: C\r\n\r\n",
    ]);
    assert.deepEqual(parsed.errors, [], "trailing empty lines are not a truncated frame");
  }
});

const CLI_OUTPUT = "Channel              Location   State\n" +
  "\n" +
  "Key: value\n" +
  "   indented: line  \n" +
  "\n" +
  "2 active channels\n";
const CLI_LINES = [
  "Channel              Location   State",
  "",
  "Key: value",
  "   indented: line  ",
  "",
  "2 active channels",
];

Deno.test("the legacy Command reply becomes a response with one Output field per CLI line", () => {
  const cases = [
    {
      head: "Response: Follows\r\nPrivilege: Command\r\nActionID: cmd-1\r\n",
      fields: [["Response", "Follows"], ["Privilege", "Command"], ["ActionID", "cmd-1"]],
      actionId: "cmd-1",
    },
    {
      head: "Response: Follows\r\nPrivilege: Command\r\n",
      fields: [["Response", "Follows"], ["Privilege", "Command"]],
      actionId: undefined,
    },
  ];
  for (const { head, fields, actionId } of cases) {
    const legacy = head + CLI_OUTPUT + "--END COMMAND--\r\n\r\n";
    const next = "Event: FullyBooted\r\nStatus: Fully Booted\r\n\r\n";
    const bytes = bytesOf(BANNER + "\r\n" + legacy + next);
    const whole = parse([bytes]);
    assert.deepEqual(whole.errors, []);
    assert.equal(whole.messages.length, 2);
    const [reply, event] = whole.messages;
    assert.equal(reply!.kind, "response");
    assert.equal(reply!.name, "Follows");
    assert.equal(reply!.actionId, actionId);
    assert.deepEqual(reply!.fields(), [...fields, ...CLI_LINES.map((line) => ["Output", line])]);
    assert.deepEqual(reply!.getAll("Output"), CLI_LINES);
    assert.equal(reply!.has("Key"), false, "a CLI line with a colon is output, not a header");
    assert.equal(reply!.toString(), legacy, "the raw reply is kept");
    assert.equal(event!.name, "FullyBooted");

    const expected = summary(whole);
    for (const [at, chunks] of everySplit(bytes)) {
      assert.deepEqual(summary(parse(chunks)), expected, `split at ${at}`);
    }
    assert.deepEqual(summary(parse(bytewise(bytes))), expected, "one byte at a time");
  }
});

Deno.test("a legacy Command reply holding CRLF empty lines or no output at all stays one frame", () => {
  const withEmptyLines = "Response: Follows\r\nPrivilege: Command\r\nActionID: 2\r\n" +
    "first\r\n\r\nsecond\n--END COMMAND--\r\n\r\n";
  const empty = "Response: Follows\r\nPrivilege: Command\r\n--END COMMAND--\r\n\r\n";
  const bytes = bytesOf(withEmptyLines + empty + "Event: After\r\n\r\n");
  const expected = [
    [["Response", "Follows"], ["Privilege", "Command"], ["ActionID", "2"], ["Output", "first"], [
      "Output",
      "",
    ], ["Output", "second"]],
    [["Response", "Follows"], ["Privilege", "Command"]],
    [["Event", "After"]],
  ];
  for (const chunks of [[bytes], [...bytewise(bytes)]]) {
    const parsed = parse(chunks, { banner: false });
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.messages.map((m) => m.fields()), expected);
    assert.equal(parsed.messages[0]!.toString(), withEmptyLines);
  }
});

/** Cuts `bytes` into chunks of the given sizes, cycling through them. */
function chunked(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    chunks.push(bytes.slice(at, at + size));
    at += size;
  }
  return chunks;
}

Deno.test("a frame over maxFrameBytes is reported as frame-too-large and skipped; later frames arrive", () => {
  const maxFrameBytes = 64;
  const big = "Event: Big\r\n" + "Filler: " + "x".repeat(200) + "\r\nMore: y\r\n\r\n";
  const text = BANNER + "\r\nEvent: Before\r\n\r\n" + big + "Event: After\r\n\r\n";
  const bytes = bytesOf(text);
  const terminator = text.indexOf("More: y") + "More: y".length; // ASCII: chars are bytes
  const chunkings: [string, Uint8Array[]][] = [
    ["whole", [bytes]],
    ["one byte at a time", [...bytewise(bytes)]],
    ["in 7-byte chunks", chunked(bytes, [7])],
    ["in 3- and 50-byte chunks", chunked(bytes, [3, 50])],
  ];
  // The closing CRLFCRLF of the big frame split after each of its first three bytes.
  for (const cut of [1, 2, 3]) {
    const at = terminator + cut;
    chunkings.push([`cut ${cut} bytes into the terminator`, [
      bytes.slice(0, at),
      bytes.slice(at),
    ]]);
    chunkings.push([`the big frame trickling, cut ${cut} into the terminator`, [
      ...chunked(bytes.slice(0, at), [5]),
      bytes.slice(at),
    ]]);
  }
  assert.equal(new TextDecoder().decode(bytes.slice(terminator, terminator + 4)), "\r\n\r\n");
  for (const [how, chunks] of chunkings) {
    const parsed = parse(chunks, { maxFrameBytes });
    assert.deepEqual(parsed.messages.map((m) => m.name), ["Before", "After"], how);
    assert.equal(parsed.errors.length, 1, how);
    const [error] = parsed.errors;
    assert.ok(error instanceof AmiProtocolError, how);
    assert.ok(error instanceof AmiError, how);
    assert.equal(error.kind, "frame-too-large", how);
    assert.match(error.message, /64/, how);
    assert.equal(parsed.banner, BANNER, how);
  }
});

Deno.test("a frame of exactly maxFrameBytes is delivered, however it is chunked", () => {
  const body = "Event: Edge\r\nPad: " + "p".repeat(40);
  const maxFrameBytes = encoder.encode(body).length;
  const bytes = bytesOf(body + "\r\n\r\nEvent: After\r\n\r\n");
  for (const chunks of [[bytes], [...bytewise(bytes)], chunked(bytes, [maxFrameBytes + 1])]) {
    const parsed = parse(chunks, { maxFrameBytes, banner: false });
    assert.deepEqual(parsed.errors.map((e) => e.kind), []);
    assert.deepEqual(parsed.messages.map((m) => m.name), ["Edge", "After"]);
  }
  // One byte more is too large, however it is chunked.
  const over = bytesOf(body + "p\r\n\r\nEvent: After\r\n\r\n");
  for (const chunks of [[over], [...bytewise(over)]]) {
    const parsed = parse(chunks, { maxFrameBytes, banner: false });
    assert.deepEqual(parsed.errors.map((e) => e.kind), ["frame-too-large"]);
    assert.deepEqual(parsed.messages.map((m) => m.name), ["After"]);
  }
});

Deno.test("an oversize legacy Command reply is skipped up to its --END COMMAND--, however it is chunked", () => {
  // Empty lines inside the output end nothing unless a normal frame starts after them.
  const legacy = "Response: Follows\r\nPrivilege: Command\r\n" +
    "line one\r\n\r\nEvents: not a frame\r\n\r\nResponse:no space\r\n\r\n" + "o".repeat(100) +
    "\n--END COMMAND--\r\n\r\n";
  const bytes = bytesOf("Event: Before\r\n\r\n" + legacy + "Event: After\r\n\r\n");
  const expected = { names: ["Before", "After"], errors: ["frame-too-large"] };
  for (const maxFrameBytes of [20, 40, 100]) {
    for (
      const chunks of [[bytes], [...bytewise(bytes)], chunked(bytes, [9]), chunked(bytes, [64])]
    ) {
      const parsed = parse(chunks, { maxFrameBytes, banner: false });
      assert.deepEqual(
        { names: parsed.messages.map((m) => m.name), errors: parsed.errors.map((e) => e.kind) },
        expected,
        `maxFrameBytes ${maxFrameBytes}, ${chunks.length} chunks`,
      );
    }
  }
});

Deno.test("a first line longer than maxFrameBytes is skipped like an oversize frame, however it is chunked", () => {
  const bytes = bytesOf(
    "Asterisk Call Manager/" + "9".repeat(80) + "\r\nEvent: Lost\r\n\r\nEvent: Kept\r\n\r\n",
  );
  for (const chunks of [[bytes], [...bytewise(bytes)], chunked(bytes, [30])]) {
    const parsed = parse(chunks, { maxFrameBytes: 64 });
    assert.equal(parsed.banner, undefined);
    assert.deepEqual(parsed.bannerCalls, []);
    assert.deepEqual(parsed.errors.map((e) => e.kind), ["frame-too-large"]);
    assert.deepEqual(parsed.messages.map((m) => m.name), ["Kept"]);
  }
  // A banner within the cap is read as usual.
  const short = parse([bytesOf(BANNER + "\r\nEvent: A\r\n\r\n")], { maxFrameBytes: 28 });
  assert.equal(short.banner, BANNER);
  assert.deepEqual(short.errors, []);
});

Deno.test("the default frame cap is 1 MiB and a large frame under it is delivered", () => {
  assert.equal(DEFAULT_MAX_FRAME_BYTES, 1024 * 1024);
  const value = "v".repeat(512 * 1024);
  const bytes = bytesOf("Event: Large\r\nValue: " + value + "\r\n\r\n");
  const parsed = parse(chunked(bytes, [65_536]), { banner: false });
  assert.deepEqual(parsed.errors, []);
  assert.equal(parsed.messages[0]?.get("Value"), value);
});

Deno.test("end() inside a frame reports truncated-frame with what was read", () => {
  const parsed = parse([bytesOf(BANNER + "\r\nEvent: A\r\n\r\nEvent: Hangup\r\nChannel: X\r\n")]);
  assert.deepEqual(parsed.messages.map((m) => m.name), ["A"]);
  assert.equal(parsed.errors.length, 1);
  const [error] = parsed.errors;
  assert.ok(error instanceof AmiProtocolError);
  assert.equal(error.kind, "truncated-frame");
  assert.equal(error.frame?.name, "Hangup");
  assert.equal(error.frame?.get("Channel"), "X");

  const cleanEnd = parse([bytesOf(BANNER + "\r\nEvent: A\r\n\r\n")]);
  assert.deepEqual(cleanEnd.errors, []);
  const halfTerminator = parse([bytesOf("Event: A\r\n\r")], { banner: false });
  assert.deepEqual(halfTerminator.errors.map((e) => e.kind), ["truncated-frame"]);
  assert.deepEqual(halfTerminator.messages, []);
});

Deno.test("AmiFrameParser.parseAll takes bytes or text", () => {
  const text = BANNER + "\r\nEvent: A\r\nX: 1\r\n\r\nResponse: Success\r\n\r\n";
  const fromText = AmiFrameParser.parseAll(text);
  const fromBytes = AmiFrameParser.parseAll(bytesOf(text));
  assert.deepEqual(fromText.map((m) => m.fields()), [[["Event", "A"], ["X", "1"]], [[
    "Response",
    "Success",
  ]]]);
  assert.deepEqual(fromBytes.map((m) => m.toString()), fromText.map((m) => m.toString()));
});

Deno.test("messages parsed from one read share a receive time taken when they arrived", () => {
  const before = Date.now();
  const { messages } = parse([bytesOf("Event: A\r\n\r\nEvent: B\r\n\r\n")], { banner: false });
  const after = Date.now();
  assert.equal(messages.length, 2);
  for (const message of messages) {
    assert.ok(message.receivedAt >= before && message.receivedAt <= after);
  }
  assert.equal(messages[0]!.receivedAt, messages[1]!.receivedAt);
});

Deno.test("AmiDecoderStream yields the same messages as the parser and exposes the banner", async () => {
  const name = "22-pipelining";
  const bytes = await readServerBytes(name);
  const chunks = recordedChunks(bytes, await readTimeline(name), "s2c");
  const stream = new AmiDecoderStream();
  assert.equal(stream.banner, undefined);
  const messages: AmiMessage[] = [];
  for await (const message of ReadableStream.from(chunks).pipeThrough(stream)) {
    messages.push(message);
  }
  assert.equal(stream.banner, BANNER);
  const expected = AmiFrameParser.parseAll(bytes);
  assert.equal(messages.length, 174);
  assert.deepEqual(messages.map((m) => m.toString()), expected.map((m) => m.toString()));
  assert.deepEqual(messages.map((m) => m.fields()), expected.map((m) => m.fields()));
});

Deno.test("AmiDecoderStream reports errors through onError and flushes on close", async () => {
  const errors: AmiProtocolError[] = [];
  const bannerCalls: string[] = [];
  const stream = new AmiDecoderStream({
    maxFrameBytes: 32,
    onError: (error) => errors.push(error),
    onBanner: (banner) => bannerCalls.push(banner),
  });
  const chunks = chunked(
    bytesOf(BANNER + "\r\nEvent: A\r\n\r\nEvent: " + "B".repeat(64) + "\r\n\r\nEvent: C\r\nHalf"),
    [10],
  );
  const names: string[] = [];
  for await (const message of ReadableStream.from(chunks).pipeThrough(stream)) {
    names.push(message.name);
  }
  assert.deepEqual(names, ["A"]);
  assert.deepEqual(bannerCalls, [BANNER]);
  assert.deepEqual(errors.map((e) => e.kind), ["frame-too-large", "truncated-frame"]);
});
