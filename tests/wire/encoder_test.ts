/** The action encoder: field order, value conversion, injection checks, and the recorded client bytes. */

import assert from "node:assert/strict";
import {
  type AmiAction,
  encodeAction,
  MAX_ACTION_HEADERS,
  MAX_ACTION_ID_LENGTH,
  serializeAction,
} from "../../src/wire/encoder.ts";
import { AmiFrameParser } from "../../src/wire/parser.ts";
import type { AmiMessage } from "../../src/wire/message.ts";
import { readClientBytes, readIndex, readTimeline, recordedChunks } from "../support/fixtures.ts";

/** Asserts that serializing throws a TypeError whose message names `field`. */
function assertRejects(action: unknown, field: string): void {
  assert.throws(
    () => serializeAction(action as AmiAction),
    (error: unknown) => {
      assert.ok(error instanceof TypeError, `a TypeError, not ${error}`);
      assert.ok(
        error.message.includes(field),
        `the message ${JSON.stringify(error.message)} names ${JSON.stringify(field)}`,
      );
      return true;
    },
  );
  assert.throws(() => encodeAction(action as AmiAction), TypeError);
}

Deno.test("Action comes first, then ActionID, then the other fields in their order", () => {
  const text = serializeAction({
    Channel: "Local/100@default",
    ActionID: "o-1",
    Exten: "100",
    Action: "Originate",
    Context: "default",
  });
  assert.equal(
    text,
    "Action: Originate\r\nActionID: o-1\r\nChannel: Local/100@default\r\nExten: 100\r\n" +
      "Context: default\r\n\r\n",
  );
  assert.equal(serializeAction({ Action: "Ping" }), "Action: Ping\r\n\r\n");
});

Deno.test("an array writes its key once per element, in order", () => {
  assert.equal(
    serializeAction({ Action: "Originate", Variable: ["A=1", "B=2", 3, true], Async: true }),
    "Action: Originate\r\nVariable: A=1\r\nVariable: B=2\r\nVariable: 3\r\nVariable: true\r\n" +
      "Async: true\r\n\r\n",
  );
  assert.equal(serializeAction({ Action: "Originate", Variable: [] }), "Action: Originate\r\n\r\n");
});

Deno.test("numbers are written in decimal and booleans as true or false", () => {
  assert.equal(
    serializeAction({ Action: "X", A: 0, B: -1, C: 1.5, D: 30000, E: true, F: false, G: "" }),
    "Action: X\r\nA: 0\r\nB: -1\r\nC: 1.5\r\nD: 30000\r\nE: true\r\nF: false\r\nG: \r\n\r\n",
  );
  assert.equal(serializeAction({ Action: "X", ActionID: 42 }), "Action: X\r\nActionID: 42\r\n\r\n");
});

Deno.test("undefined fields are left out, ActionID included", () => {
  assert.equal(
    serializeAction({ Action: "Status", ActionID: undefined, Channel: undefined, Variables: "A" }),
    "Action: Status\r\nVariables: A\r\n\r\n",
  );
});

Deno.test("values are written as they are: spaces, colons and UTF-8 kept", () => {
  const action = { Action: "UserEvent", Padded: "  spaced  ", Colon: "a: b", Greeting: "Grüße ☎" };
  const text =
    "Action: UserEvent\r\nPadded:   spaced  \r\nColon: a: b\r\nGreeting: Grüße ☎\r\n\r\n";
  assert.equal(serializeAction(action), text);
  assert.deepEqual(encodeAction(action), new TextEncoder().encode(text));
});

Deno.test("only the action's own fields are written, never inherited ones", () => {
  const base = { Secret: "inherited" };
  const action = Object.assign(Object.create(base), { Action: "Ping" }) as AmiAction;
  assert.equal(serializeAction(action), "Action: Ping\r\n\r\n");
});

Deno.test("CR, LF or NUL in a value is a TypeError naming the field", () => {
  for (const bad of ["\r", "\n", "\0", "a\r\nAction: Logoff", "x\ny", "1\0"]) {
    assertRejects({ Action: "Setvar", Value: bad }, "Value");
    assertRejects({ Action: "Setvar", Variable: ["ok", bad] }, "Variable");
    assertRejects({ Action: "Ping", ActionID: bad }, "ActionID");
    assertRejects({ Action: "Ping" + bad }, "Action");
  }
});

Deno.test("a key holding CR, LF, NUL, a colon or white space, or an empty key, is a TypeError naming it", () => {
  for (const key of ["Bad\r", "Bad\nKey", "Bad\0", "Bad:Key", "Bad Key", "Bad\tKey", " Lead", ""]) {
    assertRejects({ Action: "Ping", [key]: "v" }, JSON.stringify(key));
  }
});

Deno.test("more than 128 headers is a TypeError; 128 is fine", () => {
  assert.equal(MAX_ACTION_HEADERS, 128);
  const variables = (n: number) => Array.from({ length: n }, (_, i) => `V${i}=${i}`);
  // Action + ActionID + 126 variables = 128 headers.
  const full = serializeAction({ Action: "Originate", ActionID: "1", Variable: variables(126) });
  assert.equal(full.split("\r\n").filter((line) => line !== "").length, 128);
  assertRejects({ Action: "Originate", ActionID: "1", Variable: variables(127) }, "Originate");
  const many: AmiAction = { Action: "UserEvent" };
  for (let i = 0; i < 128; i++) many[`H${i}`] = i;
  assertRejects(many, "UserEvent");
});

Deno.test("an ActionID longer than 69 characters is a TypeError; 69 is fine", () => {
  assert.equal(MAX_ACTION_ID_LENGTH, 69);
  const id = "a".repeat(69);
  assert.equal(
    serializeAction({ Action: "Ping", ActionID: id }),
    `Action: Ping\r\nActionID: ${id}\r\n\r\n`,
  );
  assertRejects({ Action: "Ping", ActionID: id + "a" }, "ActionID");
  assertRejects({ Action: "Ping", ActionID: ["a", "b"] }, "ActionID");
});

Deno.test("a missing, empty or non-string Action is a TypeError", () => {
  for (
    const action of [{}, { Action: "" }, { Action: 5 }, { Action: true }, { Action: ["Ping"] }]
  ) {
    assertRejects(action, "Action");
  }
  for (const notAnObject of [null, undefined, "Action: Ping", 1]) {
    assert.throws(() => serializeAction(notAnObject as unknown as AmiAction), TypeError);
  }
});

Deno.test("objects, null, NaN, infinities, bigints, symbols and functions are TypeErrors naming the field", () => {
  const bad: unknown[] = [
    {},
    { toString: () => "x" },
    null,
    NaN,
    Infinity,
    -Infinity,
    10n,
    Symbol("s"),
    () => "x",
    new Date(0),
  ];
  for (const value of bad) {
    assertRejects({ Action: "Setvar", Value: value }, "Value");
    assertRejects({ Action: "Originate", Variable: ["A=1", value] }, "Variable");
  }
  assertRejects({ Action: "Originate", Variable: [["nested"]] }, "Variable");
});

/** Turns a parsed action back into the object a caller would pass. */
function toAction(message: AmiMessage): AmiAction {
  const action: Record<string, string | string[]> = {};
  for (const [key, value] of message) {
    const seen = action[key];
    if (seen === undefined) action[key] = value;
    else if (typeof seen === "string") action[key] = [seen, value];
    else seen.push(value);
  }
  return action as AmiAction;
}

const index = await readIndex();

for (const { name } of index.scenarios) {
  Deno.test(`the actions recorded in ${name} serialize back to the exact client bytes`, async () => {
    const bytes = await readClientBytes(name);
    const chunks = recordedChunks(bytes, await readTimeline(name), "c2s");
    const actions: AmiMessage[] = [];
    const errors: unknown[] = [];
    const parser = new AmiFrameParser((message) => actions.push(message), {
      banner: false,
      onError: (error) => errors.push(error),
    });
    for (const chunk of chunks) parser.push(chunk);
    parser.end();
    assert.deepEqual(errors, []);
    assert.ok(actions.length > 0);
    assert.equal(actions.map((m) => m.toString()).join(""), new TextDecoder().decode(bytes));

    // 06 deliberately sends a frame without Action and one with an empty Action.
    const malformed = actions.filter((m) => m.kind !== "action" || m.name === "");
    assert.deepEqual(
      malformed.map((m) => m.actionId),
      name === "06-unknown-action" ? ["noaction-1", "emptyaction-1"] : [],
    );
    for (const message of malformed) {
      assert.throws(() => serializeAction(toAction(message)), TypeError);
    }

    let encoded = "";
    for (const message of actions) {
      if (malformed.includes(message)) encoded += message.toString();
      else encoded += serializeAction(toAction(message));
    }
    assert.deepEqual(new TextEncoder().encode(encoded), bytes);
  });
}

Deno.test("serializeAction() refuses Action or ActionID spelled in another case, which Asterisk would read as a second one", () => {
  for (const key of ["actionid", "ACTIONID", "action", "ActionId"]) {
    assert.throws(
      () => serializeAction({ Action: "Ping", ActionID: "1", [key]: "2" }),
      (error: unknown) => error instanceof TypeError && error.message.includes(key),
    );
  }
  assert.equal(
    serializeAction({ Action: "Ping", Actions: "x" }),
    "Action: Ping\r\nActions: x\r\n\r\n",
  );
});
