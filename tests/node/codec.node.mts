/**
 * The wire codec under Node.js: every Asterisk 23 recording replayed through
 * the frame parser whole, byte by byte and at the recorded reads, and the
 * encoder's output and checks.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AmiDecoderStream,
  AmiFrameParser,
  type AmiMessage,
  type AmiProtocolError,
  encodeAction,
  serializeAction,
} from "../../mod.ts";
import { quirks, recordedServerChunks, scenarios } from "./support.mts";

const BANNER = "Asterisk Call Manager/13.0.0";

function parse(chunks: Iterable<Uint8Array>): {
  banner: string | undefined;
  messages: AmiMessage[];
  errors: AmiProtocolError[];
} {
  const messages: AmiMessage[] = [];
  const errors: AmiProtocolError[] = [];
  const parser = new AmiFrameParser((message) => messages.push(message), {
    onError: (error) => errors.push(error),
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { banner: parser.banner, messages, errors };
}

function* bytewise(bytes: Uint8Array): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
}

function views(messages: readonly AmiMessage[]): { text: string; fields: [string, string][] }[] {
  return messages.map((message) => ({ text: message.toString(), fields: message.fields() }));
}

const extraEmptyLines = quirks().findings["extra_blank_line"]?.examples ?? [];

for (const scenario of scenarios()) {
  test(`${scenario.name} parses the same whole, byte by byte and at the recorded reads, losslessly`, () => {
    const { bytes, chunks } = recordedServerChunks(scenario.name);
    assert.equal(bytes.length, scenario.server_bytes);
    const whole = parse([bytes]);
    const byByte = parse(bytewise(bytes));
    const recorded = parse(chunks);
    for (const run of [whole, byByte, recorded]) {
      assert.deepEqual(run.errors, []);
      assert.equal(run.banner, BANNER);
      assert.equal(run.messages.length, scenario.messages);
    }
    assert.deepEqual(views(byByte.messages), views(whole.messages));
    assert.deepEqual(views(recorded.messages), views(whole.messages));

    // The banner line and every frame as received give back the file, byte for byte.
    const extras = extraEmptyLines.filter((example) =>
      example.file === `${scenario.name}.server.raw`
    ).length;
    const rebuilt = whole.messages.reduce((text, message) => text + message.toString(), "");
    assert.equal(
      new TextEncoder().encode(`${BANNER}\r\n${rebuilt}`).length + 2 * extras,
      bytes.length,
    );
    if (extras === 0) {
      assert.equal(`${BANNER}\r\n${rebuilt}`, new TextDecoder().decode(bytes));
    }
  });
}

test("the recordings hold 28 scenarios and 12327 messages in all", () => {
  const all = scenarios();
  assert.equal(all.length, 28);
  assert.equal(all.reduce((sum, scenario) => sum + scenario.messages, 0), 12327);
});

test("AmiDecoderStream turns a web byte stream into messages", async () => {
  const { chunks } = recordedServerChunks("04-ping");
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const messages: AmiMessage[] = [];
  for await (const message of source.pipeThrough(new AmiDecoderStream())) messages.push(message);
  const pong = messages.find((message) => message.get("Ping") !== undefined);
  assert.equal(pong?.get("Ping"), "Pong");
  assert.equal(messages.length, scenarios().find((s) => s.name === "04-ping")?.messages);
});

test("the encoder writes Action first, then ActionID, then the fields in order, lists repeated", () => {
  assert.equal(
    serializeAction({
      Variable: ["A=1", "B=2"],
      Action: "Originate",
      Channel: "PJSIP/100",
      ActionID: "7",
      Async: true,
    }),
    "Action: Originate\r\nActionID: 7\r\nVariable: A=1\r\nVariable: B=2\r\nChannel: PJSIP/100\r\n" +
      "Async: true\r\n\r\n",
  );
  assert.deepEqual(
    encodeAction({ Action: "Ping" }),
    new TextEncoder().encode("Action: Ping\r\n\r\n"),
  );
});

test("the encoder refuses values and keys that would inject a header", () => {
  assert.throws(() => serializeAction({ Action: "Ping", X: "1\r\nAction: Logoff" }), TypeError);
  assert.throws(() => serializeAction({ Action: "Ping", "X: Y": "1" }), TypeError);
  assert.throws(() => serializeAction({ Action: "Ping\n" }), TypeError);
});

test("a message parsed from text keeps its fields in order and answers get() ignoring case", () => {
  const parsed = parse([
    new TextEncoder().encode(
      `${BANNER}\r\nEvent: VarSet\r\nChannel: PJSIP/1\r\nVariable: A\r\nvariable: B\r\n\r\n`,
    ),
  ]);
  const [message] = parsed.messages;
  assert.ok(message);
  assert.equal(message.get("VARIABLE"), "A");
  assert.deepEqual(message.getAll("variable"), ["A", "B"]);
  assert.deepEqual(message.fields(), [
    ["Event", "VarSet"],
    ["Channel", "PJSIP/1"],
    ["Variable", "A"],
    ["variable", "B"],
  ]);
  assert.equal(message.kind, "event");
});
