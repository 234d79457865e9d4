/**
 * Every operation on a message is linear in its size: a frame of 100,000
 * distinct headers (under the 1 MiB cap) once took seconds in `Object.keys`,
 * a spread or `console.log`. These tests check the results; a quadratic
 * path would make them hang the suite rather than fail an assertion.
 */

import assert from "node:assert/strict";
import { AmiFrameParser, DEFAULT_MAX_FRAME_BYTES } from "../../src/wire/parser.ts";

const HEADERS = 100_000;

function bigFrame(): { text: string; keys: string[] } {
  const keys = Array.from({ length: HEADERS }, (_, i) => "H" + i.toString(36));
  return { text: "Event: Big\r\n" + keys.map((key) => key + ":1\r\n").join("") + "\r\n", keys };
}

Deno.test("a message of 100,000 distinct headers lists, spreads, reads and inspects in linear time", () => {
  const { text, keys } = bigFrame();
  const bytes = new TextEncoder().encode(text);
  assert.ok(bytes.length < DEFAULT_MAX_FRAME_BYTES, `${bytes.length} bytes`);
  const [message, ...rest] = AmiFrameParser.parseAll(bytes, { banner: false });
  assert.equal(rest.length, 0);
  const last = keys[HEADERS - 1]!;

  assert.deepEqual(Object.keys(message!), ["Event", ...keys]);
  const spread: Record<string, string | undefined> = { ...message };
  assert.equal(Object.keys(spread).length, HEADERS + 1);
  assert.equal(spread[last], "1");
  assert.equal(message!.get(last.toUpperCase()), "1");
  assert.deepEqual(message!.getAll(last), ["1"]);
  assert.equal(message!.has("absent"), false);
  assert.equal(message!.size, HEADERS + 1);
  assert.equal([...message!].length, HEADERS + 1);
  const json = message!.toJSON();
  assert.equal(Object.keys(json).length, HEADERS + 1);
  assert.equal(Object.keys(structuredClone(message!)).length, HEADERS + 1);
  const shown = Deno.inspect(message);
  assert.ok(shown.startsWith("AmiMessage {"));
  assert.ok(shown.includes('H0: "1"'));
  assert.equal(message!.toString(), text);
});
