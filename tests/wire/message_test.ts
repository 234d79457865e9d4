/** AmiMessage: parsing one frame, reading fields, and writing it back. */

import assert from "node:assert/strict";
import { AmiMessage } from "../../src/wire/message.ts";

const encoder = new TextEncoder();

/** The message seen through its own properties. */
function props(message: AmiMessage): Readonly<Record<string, string | undefined>> {
  return message as unknown as Readonly<Record<string, string | undefined>>;
}

const FRAME = "Event: UserEvent\r\n" +
  "Privilege: user,all\r\n" +
  "UniqueID: amitest-1.0\r\n" +
  "Greeting: Grüße aus Köln ☎ 日本語\r\n" +
  "Padded:   spaced  \r\n" +
  "Empty: \r\n" +
  "Dup: first\r\n" +
  "Dup: second\r\n" +
  "Colon: a: b: c\r\n" +
  "Body: line1\nline2\r\n" +
  "AppData: CRLF=a\r\n" +
  "b\r\n" +
  "ActionID: ue-1\r\n" +
  "\r\n";

Deno.test("fromString, toString, fromBytes and toBytes give back the frame exactly", () => {
  const message = AmiMessage.fromString(FRAME);
  assert.equal(message.toString(), FRAME);
  assert.equal(String(message), FRAME);
  assert.deepEqual(message.toBytes(), encoder.encode(FRAME));
  const again = AmiMessage.fromBytes(message.toBytes());
  assert.equal(again.toString(), FRAME);
  assert.deepEqual(again.fields(), message.fields());
  assert.deepEqual(message.fields(), [
    ["Event", "UserEvent"],
    ["Privilege", "user,all"],
    ["UniqueID", "amitest-1.0"],
    ["Greeting", "Grüße aus Köln ☎ 日本語"],
    ["Padded", "  spaced  "],
    ["Empty", ""],
    ["Dup", "first"],
    ["Dup", "second"],
    ["Colon", "a: b: c"],
    ["Body", "line1\nline2"],
    ["AppData", "CRLF=a\r\nb"],
    ["ActionID", "ue-1"],
  ]);
});

Deno.test("fromString accepts a frame without, or with extra, closing empty lines", () => {
  const bare = AmiMessage.fromString("Event: A\r\nX: 1");
  const extra = AmiMessage.fromString("Event: A\r\nX: 1\r\n\r\n\r\n\r\n");
  for (const message of [bare, extra]) {
    assert.deepEqual(message.fields(), [["Event", "A"], ["X", "1"]]);
    assert.equal(message.toString(), "Event: A\r\nX: 1\r\n\r\n");
  }
  assert.deepEqual(AmiMessage.fromString("Event: A\r\nX: \r\n\r\n").fields(), [
    ["Event", "A"],
    ["X", ""],
  ]);
});

Deno.test("fromBytes turns invalid UTF-8 into U+FFFD", () => {
  const bytes = Uint8Array.of(...encoder.encode("Event: A\r\nX: "), 0xff, 0xc3, 13, 10, 13, 10);
  assert.equal(AmiMessage.fromBytes(bytes).get("X"), "\uFFFD\uFFFD");
});

Deno.test("a value is split at the first colon and loses exactly one space", () => {
  const message = AmiMessage.fromString(
    "Event: A\r\nTight:value\r\nNone:\r\nTwo:  two\r\nTab:\tx\r\nK: v: w\r\n: no key\r\n\r\n",
  );
  assert.deepEqual(message.fields(), [
    ["Event", "A"],
    ["Tight", "value"],
    ["None", ""],
    ["Two", " two"],
    ["Tab", "\tx"],
    ["K", "v: w"],
    ["", "no key"],
  ]);
});

Deno.test("lines without a colon continue the previous value, joined with CRLF", () => {
  const message = AmiMessage.fromString("Event: A\r\nV: one\r\ntwo\r\nthree\r\nW: 1\r\n\r\n");
  assert.deepEqual(message.fields(), [["Event", "A"], ["V", "one\r\ntwo\r\nthree"], ["W", "1"]]);
  // With no field before it, a colon-less line becomes a field with an empty key.
  const junk = AmiMessage.fromString("garbage\r\nX: 1\r\n\r\n");
  assert.deepEqual(junk.fields(), [["", "garbage"], ["X", "1"]]);
  assert.equal(junk.kind, "unknown");
  assert.equal(junk.toString(), "garbage\r\nX: 1\r\n\r\n");
});

Deno.test("the legacy Command reply read with fromString has one Output field per line", () => {
  const text = "Response: Follows\r\nPrivilege: Command\r\nActionID: 9\r\n" +
    "a: b\n\n  c\n--END COMMAND--\r\n\r\n";
  const message = AmiMessage.fromString(text);
  assert.deepEqual(message.fields(), [
    ["Response", "Follows"],
    ["Privilege", "Command"],
    ["ActionID", "9"],
    ["Output", "a: b"],
    ["Output", ""],
    ["Output", "  c"],
  ]);
  assert.equal(message.toString(), text);
});

Deno.test("a message built from pairs keeps them in order and writes Key: value lines", () => {
  const message = new AmiMessage([["Action", "Originate"], ["Variable", "A=1"], [
    "Variable",
    "B=2",
  ], ["Async", "true"]], 1234);
  assert.deepEqual(message.fields(), [
    ["Action", "Originate"],
    ["Variable", "A=1"],
    ["Variable", "B=2"],
    ["Async", "true"],
  ]);
  assert.equal(
    message.toString(),
    "Action: Originate\r\nVariable: A=1\r\nVariable: B=2\r\nAsync: true\r\n\r\n",
  );
  assert.deepEqual(message.toBytes(), encoder.encode(message.toString()));
  assert.equal(message.receivedAt, 1234);
  assert.equal(message.kind, "action");
  assert.equal(message.name, "Originate");
  assert.equal(message.size, 4);
  assert.equal(props(message).Variable, "A=1");
  // Any iterable of pairs will do; the parsed copy has the same fields.
  const fromMap = new AmiMessage(new Map([["Event", "X"], ["Y", "z"]]));
  assert.deepEqual(AmiMessage.fromString(fromMap.toString()).fields(), fromMap.fields());

  const empty = new AmiMessage();
  assert.deepEqual(empty.fields(), []);
  assert.equal(empty.size, 0);
  assert.equal(empty.kind, "unknown");
  assert.equal(empty.name, "");
  assert.equal(empty.toString(), "\r\n");
});

Deno.test("receivedAt defaults to the time of creation", () => {
  const before = Date.now();
  const built = new AmiMessage([["Event", "A"]]);
  const parsed = AmiMessage.fromString("Event: A\r\n\r\n");
  const after = Date.now();
  for (const message of [built, parsed]) {
    assert.ok(message.receivedAt >= before && message.receivedAt <= after);
  }
});

Deno.test("get, getAll and has ignore the case of the key", () => {
  const message = AmiMessage.fromString(
    "Event: Cdr\r\nUniqueID: u1\r\nChanVariable: A=1\r\nchanvariable: B=2\r\nEmpty: \r\n\r\n",
  );
  for (const key of ["UniqueID", "Uniqueid", "uniqueid", "UNIQUEID"]) {
    assert.equal(message.get(key), "u1", key);
    assert.equal(message.has(key), true, key);
    assert.deepEqual(message.getAll(key), ["u1"], key);
  }
  assert.deepEqual(message.getAll("CHANVARIABLE"), ["A=1", "B=2"]);
  assert.equal(message.get("chanVariable"), "A=1");
  assert.equal(message.has("empty"), true, "an empty value is present");
  assert.equal(message.get("EMPTY"), "");
  assert.equal(message.has("Missing"), false);
  assert.equal(message.get("Missing"), undefined);
  assert.deepEqual(message.getAll("Missing"), []);
});

Deno.test("get and getAll match keys as comparing their lowercase forms would, non-ASCII keys included", () => {
  const keys = [
    "Key",
    "KEY",
    "kEy",
    "Kéy",
    "KÉY",
    "kéy",
    "Kex",
    "Ke",
    "Keyy",
    "K@Y",
    "k`y",
    "ΣΑ",
    "σα",
    "Straße",
  ];
  const message = new AmiMessage(keys.map((key, i) => [key, String(i)]));
  for (const wanted of [...keys, "STRASSE", "straße", "K[Y", "k{y"]) {
    const lower = wanted.toLowerCase();
    const expected = keys.flatMap((key, i) => key.toLowerCase() === lower ? [String(i)] : []);
    assert.deepEqual(message.getAll(wanted), expected, wanted);
    assert.equal(message.get(wanted), expected[0], wanted);
  }
});

Deno.test("get gives the first value ignoring case, even when a later key matches exactly", () => {
  const message = AmiMessage.fromString(
    "Event: X\r\nUniqueID: first\r\nUniqueid: second\r\nuniqueid: third\r\n\r\n",
  );
  for (const key of ["UniqueID", "Uniqueid", "uniqueid", "UNIQUEID"]) {
    assert.equal(message.get(key), "first", key);
    assert.equal(message.get(key), message.getAll(key)[0], key);
    assert.deepEqual(message.getAll(key), ["first", "second", "third"], key);
  }
  // Own properties keep the wire spelling, one per spelling.
  assert.equal(props(message).UniqueID, "first");
  assert.equal(props(message).Uniqueid, "second");
  assert.equal(props(message).uniqueid, "third");
});

Deno.test("the first value of each key is an own property spelled as on the wire", () => {
  const message = AmiMessage.fromString(
    "Event: Newexten\r\nChannel: Local/a\r\nChanVariable: A=1\r\nChanVariable: B=2\r\n" +
      "ChanVariable(Local/x;1): T=1\r\n\r\n",
  );
  assert.deepEqual(Object.keys(message), [
    "Event",
    "Channel",
    "ChanVariable",
    "ChanVariable(Local/x;1)",
  ]);
  assert.deepEqual({ ...message }, {
    Event: "Newexten",
    Channel: "Local/a",
    ChanVariable: "A=1",
    "ChanVariable(Local/x;1)": "T=1",
  });
  assert.ok(Object.hasOwn(message, "Channel"));
  assert.equal(props(message).Channel, "Local/a");
  assert.equal(props(message).channel, undefined, "property access does not ignore case");
  assert.equal(props(message)["ChanVariable(Local/x;1)"], "T=1");
});

Deno.test("fields named like members shadow nothing and are reachable through get()", () => {
  const names = [
    "get",
    "getAll",
    "has",
    "toString",
    "toJSON",
    "toBytes",
    "fields",
    "__proto__",
    "constructor",
    "hasOwnProperty",
    "valueOf",
    "kind",
    "name",
    "size",
    "actionId",
    "receivedAt",
  ];
  const text = "Event: Odd\r\n" + names.map((name) => `${name}: v-${name}\r\n`).join("") + "\r\n";
  const message = AmiMessage.fromString(text);
  assert.ok(message instanceof AmiMessage);
  assert.equal(Object.getPrototypeOf(message), AmiMessage.prototype);
  for (const name of names) {
    assert.equal(message.get(name), `v-${name}`, name);
    assert.equal(Object.hasOwn(message, name), false, `${name} is not an own property`);
  }
  assert.deepEqual(Object.keys(message), ["Event"]);
  assert.equal(message.toString(), text);
  assert.equal(`${message}`, text);
  assert.equal(message.kind, "event");
  assert.equal(message.name, "Odd");
  assert.equal(message.size, 1 + names.length);
  assert.equal(message.actionId, "v-actionId", "a field actionId is the ActionID in another case");
  assert.equal(message.has("getAll"), true);
  assert.deepEqual(message.getAll("get"), ["v-get"]);
  assert.ok(message.fields().length === names.length + 1);
  const json = JSON.parse(JSON.stringify(message));
  for (const name of names) assert.equal(json[name], `v-${name}`, name);
  assert.equal(Object.getPrototypeOf(message.toJSON()), Object.prototype);
  // A field named then does not make the message a thenable that hangs await.
  const thenable = AmiMessage.fromString("Event: X\r\nthen: 1\r\n\r\n");
  assert.equal(typeof (thenable as unknown as { then: unknown }).then, "string");
});

Deno.test("toJSON groups repeated keys into arrays, in order of first appearance", () => {
  const message = AmiMessage.fromString(
    "Event: Status\r\nVariable: A=1\r\nChannel: X\r\nVariable: B=2\r\nVariable: C=3\r\n\r\n",
  );
  assert.deepEqual(message.toJSON(), {
    Event: "Status",
    Variable: ["A=1", "B=2", "C=3"],
    Channel: "X",
  });
  assert.equal(
    JSON.stringify(message),
    '{"Event":"Status","Variable":["A=1","B=2","C=3"],"Channel":"X"}',
  );
  // Keys differing in case stay apart in JSON, as on the wire.
  assert.deepEqual(AmiMessage.fromString("Event: A\r\nK: 1\r\nk: 2\r\n\r\n").toJSON(), {
    Event: "A",
    K: "1",
    k: "2",
  });
});

Deno.test("kind comes from the first key, whatever its case", () => {
  const cases: [string, string, string][] = [
    ["Event: Hangup\r\n\r\n", "event", "Hangup"],
    ["event: Hangup\r\n\r\n", "event", "Hangup"],
    ["Response: Success\r\n\r\n", "response", "Success"],
    ["RESPONSE: Error\r\n\r\n", "response", "Error"],
    ["Action: Ping\r\n\r\n", "action", "Ping"],
    ["Event: OriginateResponse\r\nResponse: Failure\r\n\r\n", "event", "OriginateResponse"],
    ["Channel: X\r\nEvent: Hangup\r\n\r\n", "unknown", "X"],
  ];
  for (const [text, kind, name] of cases) {
    const message = AmiMessage.fromString(text);
    assert.equal(message.kind, kind, text);
    assert.equal(message.name, name, text);
  }
});

Deno.test("actionId reads the ActionID field in any case, and size counts every field", () => {
  assert.equal(AmiMessage.fromString("Response: Success\r\nActionId: 7\r\n\r\n").actionId, "7");
  assert.equal(AmiMessage.fromString("Response: Success\r\nactionid: 8\r\n\r\n").actionId, "8");
  assert.equal(AmiMessage.fromString("Response: Success\r\nActionID: \r\n\r\n").actionId, "");
  assert.equal(AmiMessage.fromString("Response: Success\r\n\r\n").actionId, undefined);
  assert.equal(AmiMessage.fromString("Event: A\r\nX: 1\r\nX: 2\r\nx: 3\r\n\r\n").size, 4);
});

Deno.test("fields() and iteration give the pairs in order, as copies", () => {
  const message = AmiMessage.fromString("Event: A\r\nX: 1\r\nX: 2\r\n\r\n");
  assert.deepEqual([...message], [["Event", "A"], ["X", "1"], ["X", "2"]]);
  const pairs = message.fields();
  pairs[1]![1] = "changed";
  pairs.pop();
  assert.deepEqual(message.getAll("X"), ["1", "2"]);
  assert.deepEqual(message.fields(), [["Event", "A"], ["X", "1"], ["X", "2"]]);
});
