/**
 * Every way of reading a message (own properties, `get`, `getAll`, `has`,
 * `kind`, `name`, `fields()`, iteration) must give what a plain split of the
 * whole frame gives: checked here against a small reference splitter, for
 * any text fast-check can find.
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@4.10.2";
import { AmiMessage, createMessage } from "../../src/wire/message.ts";

/**
 * The field rules, as plainly as they can be written: lines end in CRLF; the
 * key ends at the first colon and one space after it is dropped; a line with
 * no colon continues the previous value, or is a field with an empty key when
 * it comes first; an empty last line is no line.
 */
function referenceFields(body: string): [string, string][] {
  const fields: [string, string][] = [];
  const lines = body.split("\r\n");
  lines.forEach((line, index) => {
    if (line === "" && index === lines.length - 1 && index > 0) return;
    if (body === "") return;
    const colon = line.indexOf(":");
    if (colon !== -1) {
      const value = line.slice(colon + 1);
      fields.push([line.slice(0, colon), value.startsWith(" ") ? value.slice(1) : value]);
    } else if (fields.length === 0) {
      fields.push(["", line]);
    } else {
      fields[fields.length - 1]![1] += "\r\n" + line;
    }
  });
  return fields;
}

/** What `message[key]` must be: the first value of exactly that key, unless a member has the name. */
function referenceProperty(fields: [string, string][], key: string): string | undefined {
  if (key in AmiMessage.prototype) return undefined;
  return fields.find(([name]) => name === key)?.[1];
}

function referenceOwnKeys(fields: [string, string][]): string[] {
  const plain: Record<string, string> = {};
  for (const [key, value] of fields) {
    if (!(key in AmiMessage.prototype) && !(key in plain)) plain[key] = value;
  }
  return Object.keys(plain);
}

const char = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."ACEKVaek019 -") },
  { weight: 4, arbitrary: fc.constantFrom("\r\n", "\r", "\n", ":", ": ") },
  { weight: 1, arbitrary: fc.constantFrom("é", "日", "😀", "get", "name", "__proto__", "7") },
  { weight: 1, arbitrary: fc.constantFrom("\u212a", "İ", "ı", "(", "*", ".", "$") },
);
/**
 * Frame text with every kind of line: fields, continuations, empty lines, odd keys.
 * (`fromString` keeps empty lines inside a frame, so they are allowed.)
 */
const body = fc.string({ unit: char, maxLength: 40 });
/** Keys to read: ones the frame likely holds, members, odd ones. */
const probe = fc.oneof(
  fc.constantFrom("A", "C", "E", "K", "Ke", "a", "", " ", "A ", "7", "get", "name", "__proto__"),
  fc.constantFrom("toString", "constructor", "A:", "\r\nA", "A\r", "é", "日"),
  fc.string({ unit: fc.constantFrom(..."ACEKaek "), maxLength: 3 }),
);

const own = (message: AmiMessage) => message as unknown as Record<string, string | undefined>;

Deno.test("property reads give the first value of exactly that key, unless a member has the name", () => {
  fc.assert(
    fc.property(body, fc.array(probe, { minLength: 1, maxLength: 6 }), (text, keys) => {
      const fields = referenceFields(text);
      const message = createMessage(text, 0);
      for (const key of keys) {
        const wanted = referenceProperty(fields, key);
        assert.equal(Object.hasOwn(message, key), wanted !== undefined);
        assert.equal(key in message, wanted !== undefined || key in AmiMessage.prototype);
        // A member's name gives the member, whatever the fields.
        if (key in AmiMessage.prototype) continue;
        assert.equal(own(message)[key], wanted, `[${JSON.stringify(key)}]`);
      }
      assert.equal(Object.getPrototypeOf(message), AmiMessage.prototype);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("kind, name, own keys and the fields match the reference and a message built from pairs", () => {
  fc.assert(
    fc.property(body, (text) => {
      const fields = referenceFields(text);
      const read = createMessage(text, 0);
      const built = new AmiMessage(fields, 0);
      for (const message of [read, built]) {
        assert.deepEqual([...message], fields);
        assert.deepEqual(message.fields(), fields);
        assert.equal(message.size, fields.length);
        assert.equal(message.name, fields[0]?.[1] ?? "");
        assert.deepEqual(Object.keys(message), referenceOwnKeys(fields));
        assert.ok(Object.isFrozen(message));
      }
      assert.equal(read.kind, built.kind);
      assert.deepEqual(read.toJSON(), built.toJSON());
      assert.equal(read.toString(), text + "\r\n\r\n");
    }),
    { numRuns: 2000 },
  );
});

Deno.test("no write, definition, deletion or prototype change reaches a message", () => {
  fc.assert(
    fc.property(body, probe, (text, key) => {
      const message = createMessage(text, 0);
      const before = {
        json: message.toJSON(),
        text: message.toString(),
        keys: Object.keys(message),
      };
      assert.throws(() => {
        own(message).Written = "w";
      }, TypeError);
      if (Object.hasOwn(message, key)) {
        assert.throws(() => {
          own(message)[key] = "changed";
        }, TypeError);
        assert.throws(() => {
          delete own(message)[key];
        }, TypeError);
      }
      assert.throws(() => Object.defineProperty(message, "Defined", { value: "d" }), TypeError);
      assert.throws(() => Object.setPrototypeOf(message, null), TypeError);
      assert.deepEqual(
        { json: message.toJSON(), text: message.toString(), keys: Object.keys(message) },
        before,
      );
      assert.equal(Object.hasOwn(message, "Written"), false);
    }),
    { numRuns: 500 },
  );
});

Deno.test("own-property operations behave as on a frozen plain object", () => {
  const message = AmiMessage.fromString("Event: A\r\nB: 1\r\nB: 2\r\n10: ten\r\n2: two\r\n\r\n");
  assert.deepEqual(
    Object.keys(message),
    ["2", "10", "Event", "B"],
    "integer keys first, as objects list them",
  );
  assert.deepEqual(Object.entries(message), [["2", "two"], ["10", "ten"], ["Event", "A"], [
    "B",
    "1",
  ]]);
  assert.deepEqual(Object.getOwnPropertyDescriptor(message, "B"), {
    value: "1",
    writable: false,
    enumerable: true,
    configurable: false,
  });
  assert.deepEqual(Object.assign({}, message), { "2": "two", "10": "ten", Event: "A", B: "1" });
  assert.deepEqual({ ...message }, { "2": "two", "10": "ten", Event: "A", B: "1" });
  assert.ok(Object.isFrozen(message));
  assert.equal(Reflect.set(message, "Event", "changed"), false);
  assert.equal(Reflect.deleteProperty(message, "B"), false);
  assert.deepEqual(message.getAll("B"), ["1", "2"]);
  assert.ok(message instanceof AmiMessage);
});

Deno.test("inspecting a message shows its fields under the class name", () => {
  const text = "Event: Hangup\r\nChannel: PJSIP/100-00000001\r\nCause: 16\r\n\r\n";
  const expected = 'AmiMessage { Event: "Hangup", Channel: "PJSIP/100-00000001", Cause: "16" }';
  assert.equal(Deno.inspect(AmiMessage.fromString(text), { breakLength: Infinity }), expected);
  assert.equal(
    Deno.inspect(new AmiMessage([["Action", "Ping"]])),
    'AmiMessage { Action: "Ping" }',
  );
});

Deno.test("iterating fields supports iterator helpers, as a generator would", () => {
  const message = AmiMessage.fromString("Event: A\r\nX: 1\r\nX: 2\r\n\r\n");
  const iterator = message[Symbol.iterator]();
  assert.equal(iterator[Symbol.iterator](), iterator);
  assert.deepEqual(iterator.next(), { value: ["Event", "A"], done: false });
  assert.deepEqual([...iterator], [["X", "1"], ["X", "2"]]);
  assert.deepEqual(iterator.next(), { value: undefined, done: true });
  assert.deepEqual(
    Array.from(
      (message[Symbol.iterator]() as IteratorObject<[string, string]>).filter(([key]) =>
        key === "X"
      ),
      ([, value]) => value,
    ),
    ["1", "2"],
  );
});

Deno.test("structuredClone and postMessage copy a message's first values into a plain object", async () => {
  const message = AmiMessage.fromString("Event: A\r\nX: 1\r\nX: 2\r\nget: 3\r\n\r\n");
  assert.deepEqual(structuredClone(message), { Event: "A", X: "1" });
  assert.deepEqual(structuredClone(message.toJSON()), { Event: "A", X: ["1", "2"], get: "3" });
  const { port1, port2 } = new MessageChannel();
  try {
    const received = new Promise<unknown>((resolve) => {
      port2.onmessage = (event) => resolve(event.data);
    });
    port1.postMessage(message);
    assert.deepEqual(await received, { Event: "A", X: "1" });
  } finally {
    port1.close();
    port2.close();
  }
});

Deno.test("the ActionID the client routes by is what get() gives, however it is spelled", () => {
  const line = fc.constantFrom(
    "ActionID: 1",
    "actionid: 2",
    "ACTIONID:3",
    "ActionID:",
    "ActionIDs: 4",
    "XActionID: 5",
    "Response: Success",
    "Event: X",
    "continued",
    "",
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
      const text = lines.join("\r\n");
      const split = new AmiMessage(referenceFields(text));
      assert.equal(createMessage(text, 0).actionId, split.get("ActionID"));
      assert.equal(createMessage(text, 0).get("actionid"), split.get("actionid"));
    }),
    { numRuns: 3000 },
  );
  assert.equal(new AmiMessage([["ActionID", "built"]]).actionId, "built");
});

Deno.test("get() and has() on a parsed message match a message built from the reference fields, in any case", () => {
  const anyCase = fc.oneof(
    probe,
    probe.map((key) => key.toUpperCase()),
    probe.map((key) => key.toLowerCase()),
    fc.constantFrom("\u212a", "\u212ae", "K", "KE", "ke", "a(", "A*", ".", "$"),
  );
  fc.assert(
    fc.property(body, fc.array(anyCase, { minLength: 1, maxLength: 4 }), (text, keys) => {
      const split = new AmiMessage(referenceFields(text));
      const fresh = createMessage(text, 0);
      for (const key of keys) {
        assert.equal(fresh.get(key), split.get(key), `get(${JSON.stringify(key)})`);
        assert.equal(createMessage(text, 0).has(key), split.has(key));
      }
    }),
    { numRuns: 3000 },
  );
});

Deno.test("get() finds a key spelled with the Kelvin sign, as lowering it gives k", () => {
  const message = createMessage("Event: X\r\n\u212aey: kelvin\r\nkey: ascii", 0);
  assert.equal(message.get("key"), "kelvin");
  assert.equal(message.get("KEY"), "kelvin");
  assert.equal(createMessage("Event: X\r\nkey: ascii\r\n\u212aey: kelvin", 0).get("Key"), "ascii");
});

Deno.test("get() finds the first spelling in any case, wherever the asked spelling is", () => {
  const line = fc.constantFrom(
    "Uniqueid: 1",
    "UniqueID: 2",
    "uniqueid:3",
    "Uniqueids: 4",
    "X-Uniqueid: 5",
    "Event: Newchannel",
    "continued",
    "",
  );
  fc.assert(
    fc.property(
      fc.array(line, { maxLength: 8 }),
      fc.constantFrom("Uniqueid", "UniqueID", "uniqueid", "UNIQUEID"),
      (lines, key) => {
        const text = lines.join("\r\n");
        assert.equal(
          createMessage(text, 0).get(key),
          new AmiMessage(referenceFields(text)).get(key),
        );
      },
    ),
    { numRuns: 3000 },
  );
});
