/**
 * Replays every recorded Asterisk 23 session through the frame parser and
 * checks the wire quirks on the frames where they were recorded.
 */

import assert from "node:assert/strict";
import type { AmiMessage } from "../../src/wire/message.ts";
import {
  readIndex,
  readQuirks,
  readServerBytes,
  readTimeline,
  recordedChunks,
} from "../support/fixtures.ts";
import { bytewise, parseChunks } from "../support/parse.ts";

const EXPECTED_BANNER = "Asterisk Call Manager/13.0.0";

const index = await readIndex();
const quirks = await readQuirks();

/** The message seen through its own properties, the first value of each key. */
function props(message: AmiMessage): Readonly<Record<string, string | undefined>> {
  return message as unknown as Readonly<Record<string, string | undefined>>;
}

/** What two parses must agree on: the exact text and the ordered fields. */
function views(messages: readonly AmiMessage[]): { text: string; fields: [string, string][] }[] {
  return messages.map((message) => ({ text: message.toString(), fields: message.fields() }));
}

/** Compares two byte arrays and, when they differ, shows where. */
function assertSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  const length = Math.min(actual.length, expected.length);
  let at = 0;
  while (at < length && actual[at] === expected[at]) at++;
  if (at === length && actual.length === expected.length) return;
  const decoder = new TextDecoder();
  assert.equal(
    JSON.stringify(decoder.decode(actual.subarray(Math.max(0, at - 40), at + 40))),
    JSON.stringify(decoder.decode(expected.subarray(Math.max(0, at - 40), at + 40))),
    `${what}: first difference at byte ${at} (lengths ${actual.length} and ${expected.length})`,
  );
  assert.equal(actual.length, expected.length, `${what}: lengths differ`);
}

/** The offsets after which each file holds one extra empty line, from quirks.json. */
function extraEmptyLines(file: string): number[] {
  const finding = quirks.findings["extra_blank_line"];
  assert.ok(finding, "quirks.json lists the extra_blank_line finding");
  return finding.examples.filter((example) => example.file === file).map((e) => e.offset);
}

for (const scenario of index.scenarios) {
  Deno.test(
    `${scenario.name} parses the same whole, byte by byte and at the recorded reads, losslessly`,
    async () => {
      const bytes = await readServerBytes(scenario.name);
      assert.equal(bytes.length, scenario.server_bytes, "the recording has its indexed size");
      const chunks = recordedChunks(bytes, await readTimeline(scenario.name), "s2c");
      assert.ok(chunks.length >= 2, "the recording arrived in more than one read");

      const whole = parseChunks([bytes]);
      const byteByByte = parseChunks(bytewise(bytes));
      const recorded = parseChunks(chunks);

      for (const run of [whole, byteByByte, recorded]) {
        assert.deepEqual(run.errors, []);
        assert.equal(run.banner, EXPECTED_BANNER);
        assert.equal(run.banner, scenario.banner);
        assert.deepEqual(run.bannerCalls, [EXPECTED_BANNER]);
        assert.equal(run.messages.length, scenario.messages);
      }
      const expected = views(whole.messages);
      assert.deepEqual(views(byteByByte.messages), expected, "one byte at a time");
      assert.deepEqual(views(recorded.messages), expected, "at the recorded chunk boundaries");

      // Banner + CRLF + every frame as received gives back the file, byte for byte.
      const extras = extraEmptyLines(`${scenario.name}.server.raw`);
      let text = whole.banner + "\r\n";
      let offset = new TextEncoder().encode(text).length;
      for (const message of whole.messages) {
        text += message.toString();
        const end = offset + message.toBytes().length;
        const extra = extras.filter((at) => at >= offset && at < end).length;
        text += "\r\n".repeat(extra);
        offset = end + 2 * extra;
      }
      assert.equal(offset, bytes.length);
      assertSameBytes(new TextEncoder().encode(text), bytes, scenario.name);
    },
  );
}

Deno.test("the fixture index lists every recording and agrees with the quirk list", () => {
  assert.equal(index.ami_banner, EXPECTED_BANNER);
  assert.equal(index.scenarios.length, 28);
  assert.equal(
    index.scenarios.reduce((sum, scenario) => sum + scenario.messages, 0),
    12327,
  );
  assert.deepEqual(Object.keys(quirks.findings["extra_blank_line"]?.files ?? {}), [
    "14-queue.server.raw",
  ]);
});

// --- The quirks, each on the frame where it was recorded ------------------------------------

interface LocatedMessage {
  message: AmiMessage;
  /** The byte offset where the frame starts in the file. */
  start: number;
  /** The byte offset just past the frame's closing empty line. */
  end: number;
}

const parsedFiles = new Map<string, LocatedMessage[]>();

/** Parses a recording whole and notes where each frame sits in the file. */
async function locatedMessages(file: string): Promise<LocatedMessage[]> {
  const cached = parsedFiles.get(file);
  if (cached) return cached;
  const bytes = await readServerBytes(file.replace(/\.server\.raw$/, ""));
  const { messages, errors } = parseChunks([bytes]);
  assert.deepEqual(errors, []);
  const located: LocatedMessage[] = [];
  let position = bytes.indexOf(10) + 1; // past the banner line
  for (const message of messages) {
    while (bytes[position] === 13 || bytes[position] === 10) position++;
    const end = position + message.toBytes().length;
    located.push({ message, start: position, end });
    position = end;
  }
  assert.equal(position + 2 * extraEmptyLines(file).length, bytes.length);
  parsedFiles.set(file, located);
  return located;
}

/** The message whose frame holds byte `offset` of `file`. */
async function messageAt(file: string, offset: number): Promise<AmiMessage> {
  const found = (await locatedMessages(file)).find((m) => offset >= m.start && offset < m.end);
  assert.ok(found, `a frame of ${file} holds byte ${offset}`);
  return found.message;
}

/** Every quirk example of a finding, as (example, message at its offset). */
async function examplesOf(
  finding: string,
): Promise<{ file: string; line: string; detail?: string; message: AmiMessage }[]> {
  const examples = quirks.findings[finding]?.examples;
  assert.ok(examples && examples.length > 0, `quirks.json has examples of ${finding}`);
  const result = [];
  for (const example of examples) {
    result.push({ ...example, message: await messageAt(example.file, example.offset) });
  }
  return result;
}

/** All messages of one recording. */
async function messagesOf(name: string): Promise<AmiMessage[]> {
  return (await locatedMessages(`${name}.server.raw`)).map((located) => located.message);
}

/** The only message of a recording with this ActionID and kind. */
async function byActionId(name: string, actionId: string, kind: string): Promise<AmiMessage> {
  const found = (await messagesOf(name)).filter((m) => m.actionId === actionId && m.kind === kind);
  assert.equal(found.length, 1, `one ${kind} with ActionID ${actionId} in ${name}`);
  return found[0]!;
}

/** Splits a quirk example line `Key: value` the way the wire does: at the first colon. */
function exampleField(line: string): [string, string] {
  const colon = line.indexOf(":");
  return [line.slice(0, colon), line.slice(colon + 2)];
}

Deno.test("a bare LF inside a value stays in the value (21b GetVar Value: line1<LF>line2)", async () => {
  const getVar = await messageAt("21b-newline-in-values.server.raw", 6844);
  assert.equal(getVar.kind, "response");
  assert.equal(getVar.actionId, "getvar-3");
  assert.equal(getVar.get("Value"), "line1\nline2");
  assert.equal(props(getVar).Value, "line1\nline2");

  // Every bare LF counted in quirks.json is inside a parsed value, none was taken as a line end.
  const bareLf = (await messagesOf("21b-newline-in-values"))
    .flatMap((message) => message.fields())
    .reduce((count, [, value]) => count + (value.match(/(?<!\r)\n/g)?.length ?? 0), 0);
  assert.equal(bareLf, quirks.findings["bare_lf"]?.files["21b-newline-in-values.server.raw"]);
  const bodies = (await messagesOf("21b-newline-in-values")).filter((m) =>
    m.name === "UserEvent" && m.get("UserEvent") === "NewlineTest"
  );
  assert.deepEqual(bodies.map((m) => m.get("Body")), ["line1\nline2"]);
});

Deno.test("a line without a colon continues the previous value (21b Newexten AppData: CRLF=a CRLF b)", async () => {
  const [example] = await examplesOf("line_without_colon");
  assert.ok(example);
  assert.equal(example.line, "b");
  const newexten = example.message;
  assert.equal(newexten.kind, "event");
  assert.equal(newexten.name, "Newexten");
  assert.equal(newexten.get("AppData"), "CRLF=a\r\nb");
  assert.equal(newexten.get("Application"), "Set");
  assert.equal(newexten.has("b"), false);
  assert.equal(newexten.fields().some(([key]) => key === "" || key === "b"), false);
});

Deno.test("the extra empty line after the QueueRule response is skipped (14-queue)", async () => {
  const [example] = await examplesOf("extra_blank_line");
  assert.ok(example);
  const rules = example.message;
  assert.equal(rules.actionId, "queuerule-7");
  assert.ok(rules.toString().endsWith("Rule: 10,+1,+0\r\n\r\n"));
  const messages = await messagesOf("14-queue");
  assert.equal(messages.at(-1), rules, "nothing is made of the extra empty line");
  // RuleList and Rule repeat, in order.
  assert.deepEqual(rules.fields().slice(2), [
    ["RuleList", "escalate"],
    ["Rule", "30,+3,+0"],
    ["Rule", "60,10,5"],
    ["RuleList", "gentle"],
    ["Rule", "10,+1,+0"],
  ]);
  assert.deepEqual(rules.getAll("Rule"), ["30,+3,+0", "60,10,5", "10,+1,+0"]);
  assert.deepEqual(rules.getAll("rulelist"), ["escalate", "gentle"]);
});

Deno.test("empty values are kept as empty strings (AccountCode: , Value: , Output: )", async () => {
  for (const { line, detail, message } of await examplesOf("empty_value")) {
    const [key, value] = exampleField(line);
    assert.equal(value, "");
    assert.equal(key, detail);
    assert.ok(message.has(key), `${key} is present`);
    assert.ok(message.getAll(key).includes(""), `${key} has an empty value`);
  }
  const channel = await messageAt("09-coreshowchannels.server.raw", 678);
  assert.equal(channel.name, "CoreShowChannel");
  assert.equal(channel.get("AccountCode"), "");
  assert.equal(props(channel).AccountCode, "");
  const unset = await byActionId("20-getvar-setvar", "getvar-9", "response");
  assert.equal(unset.get("Value"), "");
});

Deno.test("spaces after the single separator space are kept (Output:  -- General --, Padded:   spaced  )", async () => {
  for (const { line, detail, message } of await examplesOf("leading_space_value")) {
    const [key, value] = exampleField(line);
    assert.equal(key, detail);
    assert.ok(value.startsWith(" "));
    assert.ok(message.getAll(key).includes(value), `${JSON.stringify(value)} is kept`);
  }
  const command = await messageAt("08-command-output.server.raw", 1807);
  assert.equal(command.actionId, "command-5");
  assert.equal(command.getAll("Output")[0], " -- General --");
  assert.equal(command.getAll("Output")[1], "           Name: Local/hold@ami-test-00000001;1");
  const userEvent = await messageAt("21-userevent.server.raw", 643);
  assert.equal(userEvent.get("Padded"), "  spaced  ");
});

Deno.test("trailing spaces are kept (Val: grüße ☎ with spaces  , Value: padded value  )", async () => {
  for (const { line, detail, message } of await examplesOf("trailing_space_value")) {
    const [key, value] = exampleField(line);
    assert.equal(key, detail);
    assert.ok(value.endsWith(" "));
    assert.ok(message.getAll(key).includes(value), `${JSON.stringify(value)} is kept`);
  }
  const dbGet = await messageAt("12-astdb.server.raw", 759);
  assert.equal(dbGet.get("Val"), "grüße ☎ with spaces  ");
  const getVar = await messageAt("20-getvar-setvar.server.raw", 437);
  assert.equal(getVar.get("Value"), "padded value  ");
});

Deno.test("values holding ': ' are split at the first colon only", async () => {
  for (const { line, detail, message } of await examplesOf("value_contains_colon_space")) {
    const [key, value] = exampleField(line);
    assert.equal(key, detail);
    assert.ok(value.includes(": "));
    assert.ok(message.getAll(key).includes(value), `${JSON.stringify(value)} is kept whole`);
  }
  const unknown = await messageAt("06-unknown-action.server.raw", 578);
  assert.equal(
    unknown.get("Message"),
    "Invalid/unknown command: NoSuchAction. Use Action: ListCommands to show available commands.",
  );
  const badFormat = await messageAt("06-unknown-action.server.raw", 725);
  assert.equal(badFormat.name, "RequestBadFormat");
  assert.equal(badFormat.get("RequestType"), "Action: NoSuchAction");
  assert.equal((await messageAt("21-userevent.server.raw", 643)).get("Colon"), "a: b: c");
});

Deno.test("repeated keys are all kept, in order", async () => {
  const channel = await messageAt("09-coreshowchannels.server.raw", 678);
  assert.deepEqual(channel.getAll("ChanVariable"), ["AMITEST_TAG=hold", "AMITEST_UNSET="]);
  assert.equal(
    props(channel).ChanVariable,
    "AMITEST_TAG=hold",
    "the own property is the first value",
  );

  const help = await byActionId("08-command-output", "command-8", "response");
  const output = help.getAll("Output");
  // The README says 245 Output lines; the frame has 245 headers, of which 242 are Output.
  assert.equal(output.length, 242);
  assert.equal(help.size, 245);
  assert.equal(output.filter((line) => line === output[0]).length, 1);
  assert.equal(help.toBytes().length, 18_659);

  const presence = await byActionId("13-devicestate", "presencestate-6", "response");
  assert.deepEqual(presence.getAll("Message"), ["Presence State", "back at 2"]);
  assert.equal(presence.get("Message"), "Presence State");

  const userEvent = await messageAt("21-userevent.server.raw", 643);
  assert.deepEqual(userEvent.getAll("Dup"), ["first", "second"]);
  assert.deepEqual(userEvent.toJSON()["Dup"], ["first", "second"]);

  const status = await messageAt("10-status.server.raw", 5272);
  assert.deepEqual(status.getAll("Variable"), [
    "AMITEST_TAG=hold",
    "HOLD=(null)",
    "AMITEST_UNSET=(null)",
  ]);

  // Each recorded duplicate example lists the first values in order; the example line is cut
  // short after a few hundred characters, so its last value may be a prefix.
  for (const { line, message } of await examplesOf("duplicate_keys")) {
    const pairs = line.split("; ").map(exampleField);
    const key = pairs[0]![0];
    const values = message.getAll(key);
    assert.ok(values.length >= 2, `${key} repeats`);
    pairs.forEach(([, value], i) => {
      if (i < pairs.length - 1) assert.equal(values[i], value);
      else assert.ok(values[i]?.startsWith(value), `${key} #${i} starts with ${value}`);
    });
  }
});

Deno.test("a key holding a channel name in parentheses is kept whole (OriginateResponse)", async () => {
  const messages = await messagesOf("16-originate-async");
  const originate = messages.find((m) => m.name === "OriginateResponse");
  assert.ok(originate);
  const key = "ChanVariable(Local/answer@ami-test-00000000;1)";
  assert.deepEqual(originate.getAll(key), ["AMITEST_TAG=caller", "AMITEST_UNSET="]);
  assert.equal(props(originate)[key], "AMITEST_TAG=caller");
  assert.equal(originate.has("ChanVariable"), false);
});

Deno.test("keys spelled in different cases are found by get() (Uniqueid and UniqueID)", async () => {
  const messages = await messagesOf("16-originate-async");
  const cdr = messages.find((m) => m.name === "Cdr");
  const newexten = messages.find((m) => m.name === "Newexten");
  assert.ok(cdr && newexten);
  assert.ok(cdr.fields().some(([key]) => key === "UniqueID"));
  assert.ok(newexten.fields().some(([key]) => key === "Uniqueid"));
  assert.equal(cdr.get("Uniqueid"), props(cdr).UniqueID);
  assert.equal(props(cdr).Uniqueid, undefined, "own properties keep the wire spelling");
  assert.equal(newexten.get("UniqueID"), props(newexten).Uniqueid);
  assert.match(cdr.get("uniqueid") ?? "", /^amitest-\d+\.\d+$/);
});

Deno.test("OriginateResponse is an event even though it carries a Response header", async () => {
  for (const name of ["16-originate-async", "17-originate-failure"]) {
    const originates = (await messagesOf(name)).filter((m) =>
      m.get("Event") === "OriginateResponse"
    );
    assert.ok(originates.length > 0);
    for (const originate of originates) {
      assert.equal(originate.kind, "event");
      assert.equal(originate.name, "OriginateResponse");
      assert.match(originate.get("Response") ?? "", /^(Success|Failure)$/);
    }
  }
  const failure = (await messagesOf("17-originate-failure")).find((m) =>
    m.name === "OriginateResponse" && m.get("Response") === "Failure"
  );
  assert.ok(failure);
  assert.equal(failure.get("Uniqueid"), "<unknown>");
});

Deno.test("responses to actions sent without an ActionID have none (04-ping)", async () => {
  const pongs = (await messagesOf("04-ping")).filter((m) => m.get("Ping") === "Pong");
  assert.deepEqual(pongs.map((m) => m.actionId), ["ping-2", undefined, undefined]);
  for (const pong of pongs) {
    assert.equal(pong.kind, "response");
    assert.equal(pong.name, "Success");
  }
});

Deno.test("UTF-8 values are decoded (Grüße aus Köln ☎ 日本語, Alice Ü)", async () => {
  const userEvent = await messageAt("21-userevent.server.raw", 643);
  assert.equal(userEvent.get("Greeting"), "Grüße aus Köln ☎ 日本語");
  const getVar = await messageAt("20-getvar-setvar.server.raw", 523);
  assert.equal(getVar.get("Value"), "Grüße ☎ 日本");
  const cdr = (await messagesOf("16-originate-async")).find((m) => m.name === "Cdr");
  assert.equal(cdr?.get("CallerID"), '"Alice Ü" <1001>');
  for (const { line, message } of await examplesOf("non_ascii")) {
    const [key, value] = exampleField(line);
    assert.ok(message.getAll(key).includes(value), `${line} decodes`);
  }
  assert.equal(
    (await messagesOf("19-burst-originate")).some((m) => m.toString().includes("\uFFFD")),
    false,
    "no replacement characters in valid UTF-8",
  );
});
