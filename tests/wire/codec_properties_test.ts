/** Properties of the codec that must hold for any input, checked with fast-check. */

import assert from "node:assert/strict";
import fc from "npm:fast-check@4.10.2";
import { AmiFrameParser, type AmiParserOptions } from "../../src/wire/parser.ts";
import { AmiMessage } from "../../src/wire/message.ts";
import { type AmiAction, serializeAction } from "../../src/wire/encoder.ts";
import { AmiProtocolError } from "../../src/errors.ts";
import { bytewise, parseChunks } from "../support/parse.ts";

const encoder = new TextEncoder();
const BANNER = "Asterisk Call Manager/13.0.0";

// --- Generators ------------------------------------------------------------------------------

/** Characters that matter to the wire format, mixed with ordinary and non-ASCII ones. */
const char = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(..."abcXYZ019-_=/;@.()") },
  { weight: 3, arbitrary: fc.constantFrom("\r", "\n", ":", " ", "\t", "\0") },
  { weight: 1, arbitrary: fc.constantFrom("é", "☎", "日", "😀", "\u00a0", "\uFFFD", "İ") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
);
const text = (maxLength: number, minLength = 0) => fc.string({ unit: char, minLength, maxLength });

/** A key as it may appear on the wire: no CR, LF or colon. */
const wireKey = text(10, 1).filter((key) => !/[\r\n:]/.test(key));
/** A value as it may appear on the wire: anything but CRLF, bare CR and LF included. */
const wireValue = text(24).filter((value) => !value.includes("\r\n"));
const firstKey = fc.oneof(fc.constantFrom("Event", "Response", "Action", "event"), wireKey);

/** A frame: fields, never the legacy `Response: Follows` start. */
const frameFields = fc
  .tuple(
    fc.tuple(firstKey, wireValue),
    fc.array(fc.tuple(wireKey, wireValue), { maxLength: 6 }),
  )
  .map(([first, rest]) => [first, ...rest])
  .filter((fields) => !frameText(fields).startsWith("Response: Follows\r\n"));

function frameText(fields: readonly (readonly [string, string])[]): string {
  return fields.map(([key, value]) => `${key}: ${value}\r\n`).join("") + "\r\n";
}

/** Pieces of a hostile stream: frames, empty lines, junk lines, legacy replies and their ends. */
const streamPiece = fc.oneof(
  { weight: 6, arbitrary: frameFields.map(frameText) },
  { weight: 2, arbitrary: fc.constantFrom("\r\n", "\r\n\r\n", "\n", "\r") },
  { weight: 2, arbitrary: text(30).map((line) => line + "\r\n") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "Response: Follows\r\nPrivilege: Command\r\n",
      "raw: output\n\nmore\n",
      "--END COMMAND--\r\n\r\n",
      "Response: Follows\r\nPrivilege: Command\r\nActionID: 1\r\nout\n--END COMMAND--\r\n\r\n",
    ),
  },
);

/** Cut points for a byte array, as sorted offsets inside it. */
const cuts = fc.array(fc.nat(), { maxLength: 12 });

function cut(bytes: Uint8Array, points: readonly number[]): Uint8Array[] {
  const offsets = [...new Set(points.map((point) => point % (bytes.length + 1)))].sort((a, b) =>
    a - b
  );
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const offset of offsets) {
    chunks.push(bytes.slice(from, offset));
    from = offset;
  }
  chunks.push(bytes.slice(from));
  return chunks;
}

/** Bytes weighted towards the ones that carry structure. */
const structuredBytes = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(13, 10) },
    { weight: 2, arbitrary: fc.constantFrom(58, 32, 0x41, 0x45) },
    { weight: 1, arbitrary: fc.constantFrom(0xc3, 0xa9, 0xe2, 0x98, 0xff) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 255 }) },
  ),
  { maxLength: 400 },
).map((bytes) => Uint8Array.from(bytes));

// --- Helpers ---------------------------------------------------------------------------------

/** What a parse reported, in a form deepEqual can compare across parses. */
interface Parsed {
  banner: string | undefined;
  bannerCalls: string[];
  messages: { text: string; fields: [string, string][] }[];
  errors: string[];
}

function parse(chunks: Iterable<Uint8Array>, options: AmiParserOptions = {}): Parsed {
  const { banner, bannerCalls, messages, errors } = parseChunks(chunks, options);
  return {
    banner,
    bannerCalls,
    messages: messages.map((message) => ({ text: message.toString(), fields: message.fields() })),
    errors: errors.map((error) => {
      assert.ok(error instanceof AmiProtocolError);
      return error.kind;
    }),
  };
}

const parserOptions = fc.record({
  banner: fc.boolean(),
  maxFrameBytes: fc.option(fc.integer({ min: 0, max: 96 }), { nil: undefined }),
}).map((options) => {
  const result: AmiParserOptions = { banner: options.banner };
  if (options.maxFrameBytes !== undefined) result.maxFrameBytes = options.maxFrameBytes;
  return result;
});

// --- Parser ----------------------------------------------------------------------------------

Deno.test("legal frames parse back to their fields and text, however the stream is chunked", () => {
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.array(fc.tuple(frameFields, fc.integer({ min: 0, max: 2 })), { maxLength: 6 }),
      cuts,
      (withBanner, frames, points) => {
        let stream = withBanner ? BANNER + "\r\n" : "";
        for (const [fields, emptyLines] of frames) {
          stream += frameText(fields) + "\r\n".repeat(emptyLines);
        }
        const bytes = encoder.encode(stream);
        const expected = frames.map(([fields]) => ({
          text: frameText(fields),
          fields: fields.map(([key, value]) => [key, value]),
        }));
        for (const chunks of [[bytes], cut(bytes, points)]) {
          const parsed = parse(chunks, { banner: withBanner });
          assert.deepEqual(parsed.errors, []);
          assert.equal(parsed.banner, withBanner ? BANNER : undefined);
          assert.deepEqual(parsed.messages, expected);
        }
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("any chunking of a stream with junk lines gives what parsing it whole gives", () => {
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.array(streamPiece, { maxLength: 10 }),
      cuts,
      parserOptions,
      (withBanner, pieces, points, options) => {
        const bytes = encoder.encode((withBanner ? BANNER + "\r\n" : "") + pieces.join(""));
        const whole = parse([bytes], options);
        assert.deepEqual(parse(cut(bytes, points), options), whole);
        assert.deepEqual(parse(bytewise(bytes), options), whole);
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("the parser never throws on arbitrary bytes, whatever the chunking and frame cap", () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.uint8Array({ maxLength: 600 }), structuredBytes),
      cuts,
      parserOptions,
      (bytes, points, options) => {
        const whole = parse([bytes], options);
        assert.deepEqual(parse(cut(bytes, points), options), whole);
        for (const error of whole.errors) {
          assert.ok(error === "frame-too-large" || error === "truncated-frame");
        }
        const cap = options.maxFrameBytes;
        if (cap !== undefined) {
          // U+FFFD stands for invalid bytes and re-encodes longer, so only valid UTF-8 is measured.
          for (const message of whole.messages.filter((m) => !m.text.includes("\uFFFD"))) {
            assert.ok(
              encoder.encode(message.text).length - 4 <= cap,
              "no delivered frame is over the cap",
            );
          }
        }
      },
    ),
    { numRuns: 1000 },
  );
});

// --- Message ---------------------------------------------------------------------------------

Deno.test("get(key) is getAll(key)[0] and has(key) says whether getAll finds any, in any case", () => {
  const spelling = (key: string) =>
    fc.constantFrom(
      key,
      key.toLowerCase(),
      key.toUpperCase(),
      key[0]?.toLowerCase() + key.slice(1),
    );
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(fc.constantFrom("Uniqueid", "UniqueID", "uniqueid", "Channel", "X"), wireValue),
        {
          maxLength: 8,
        },
      ),
      fc.constantFrom("Uniqueid", "Channel", "X", "Missing").chain(spelling),
      (fields, key) => {
        const message = new AmiMessage(fields);
        const all = message.getAll(key);
        assert.equal(message.get(key), all[0]);
        assert.equal(message.has(key), all.length > 0);
        const wanted = key.toLowerCase();
        assert.deepEqual(all, fields.filter(([k]) => k.toLowerCase() === wanted).map(([, v]) => v));
        assert.equal(AmiMessage.fromString(message.toString()).get(key), all[0]);
      },
    ),
    { numRuns: 300 },
  );
});

// --- Encoder ---------------------------------------------------------------------------------

/** A header name the encoder accepts. */
const actionKey = text(10, 1).filter((key) =>
  !/[\r\n\0:\s]/.test(key) && key !== "Action" && key !== "ActionID"
);
/** A value the encoder accepts: any string without CR, LF or NUL (leading spaces included). */
const actionValue = fc.oneof(
  text(24).filter((value) => !/[\r\n\0]/.test(value)),
  text(8).map((value) => "  " + value.replace(/[\r\n\0]/g, "")),
);

Deno.test("serializeAction then parse gives back every field of any legal action", () => {
  fc.assert(
    fc.property(
      actionValue.filter((name) => name.length > 0),
      fc.option(actionValue.filter((id) => id.length <= 69), { nil: undefined }),
      fc.uniqueArray(
        fc.tuple(actionKey, fc.oneof(actionValue, fc.array(actionValue, { maxLength: 3 }))),
        { selector: ([key]) => key, maxLength: 12 },
      ),
      (name, actionId, entries) => {
        const action: AmiAction = { Action: name, ...Object.fromEntries(entries) };
        if (actionId !== undefined) action.ActionID = actionId;
        const expected: [string, string][] = [["Action", name]];
        if (actionId !== undefined) expected.push(["ActionID", actionId]);
        for (const key of Object.keys(action)) {
          if (key === "Action" || key === "ActionID") continue;
          const value = action[key] as string | string[];
          for (const item of Array.isArray(value) ? value : [value]) expected.push([key, item]);
        }
        const frame = serializeAction(action);
        const [message, ...rest] = AmiFrameParser.parseAll(frame, { banner: false });
        assert.deepEqual(rest, []);
        assert.ok(message);
        assert.equal(message.kind, "action");
        assert.deepEqual(message.fields(), expected);
        assert.equal(message.toString(), frame);
        assert.equal(message.actionId, actionId);
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("the encoder either throws a TypeError or writes a frame whose only CRLFs end lines", () => {
  fc.assert(
    fc.property(
      fc.oneof(text(8), fc.anything()),
      fc.array(
        fc.tuple(
          text(8),
          fc.oneof({ weight: 4, arbitrary: text(16) }, { weight: 1, arbitrary: fc.anything() }),
        ),
        { maxLength: 6 },
      ),
      (name, entries) => {
        const action = { Action: name, ...Object.fromEntries(entries) } as AmiAction;
        let frame: string;
        try {
          frame = serializeAction(action);
        } catch (error) {
          assert.ok(error instanceof TypeError, `only TypeErrors are thrown, not ${error}`);
          return;
        }
        assert.ok(frame.endsWith("\r\n\r\n"));
        const lines = frame.slice(0, -4).split("\r\n");
        for (const line of lines) {
          assert.doesNotMatch(line, /[\r\n\0]/);
          const colon = line.indexOf(": ");
          assert.ok(colon > 0, `${JSON.stringify(line)} is a Key: value line`);
          assert.doesNotMatch(line.slice(0, colon), /[:\s]/);
        }
        assert.equal(lines[0], `Action: ${name}`);
        const [message, ...rest] = AmiFrameParser.parseAll(frame, { banner: false });
        assert.deepEqual(rest, []);
        assert.equal(message?.size, lines.length);
      },
    ),
    { numRuns: 500 },
  );
});
