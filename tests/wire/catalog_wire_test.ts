/**
 * The typed catalog against recorded traffic: every event in every
 * recording of `tests/fixtures/asterisk-23` has a type, every field that type
 * declares always sent is on the wire each time, nothing the recordings send
 * is left untyped, and the typed success responses hold their fields.
 *
 * The model checked here is the one `codegen/generate.ts` writes out, and
 * `deno task generate --check` keeps the committed file equal to it.
 *
 * @module
 */

import assert from "node:assert/strict";
import { AmiFrameParser, type AmiMessage } from "../../mod.ts";
import { buildModel, type Catalog, type EventModel, type Overlay } from "../../codegen/model.ts";
import catalogJson from "../../data/ami.json" with { type: "json" };
import overlayJson from "../../data/overlay.json" with { type: "json" };

const model = buildModel(catalogJson as unknown as Catalog, overlayJson as unknown as Overlay);
const FIXTURES = new URL("../fixtures/asterisk-23/", import.meta.url);

/** Headers any event may carry, typed once in `AmiEventFields`. */
const COMMON_EVENT_HEADERS = new Set(["Event", "Privilege", "Timestamp", "SystemName", "ActionID"]);
/**
 * Channel variables the server was configured to add (`channelvars`), under
 * any snapshot prefix, sometimes with the channel's name in brackets.
 */
const CHANNEL_VARIABLE = /^[A-Za-z]*ChanVariable(\(.*\))?$/;
/** Events whose other headers are whatever the sender chose. */
const FREE_FORM_EVENTS = new Set(["UserEvent"]);

interface Recording {
  file: string;
  server: AmiMessage[];
  client: AmiMessage[];
}

async function loadRecordings(): Promise<Recording[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(FIXTURES)) {
    if (entry.name.endsWith(".server.raw")) files.push(entry.name);
  }
  files.sort();
  return await Promise.all(files.map(async (file) => ({
    file,
    server: AmiFrameParser.parseAll(await Deno.readFile(new URL(file, FIXTURES))),
    client: AmiFrameParser.parseAll(
      await Deno.readFile(new URL(file.replace(".server.raw", ".client.raw"), FIXTURES)),
      { banner: false },
    ),
  })));
}

/** The keys of a message as sent, each once, case kept. */
function keysOf(message: AmiMessage): Set<string> {
  return new Set(message.fields().map(([key]) => key));
}

const recordings = await loadRecordings();
const events = recordings.flatMap((r) =>
  r.server.filter((m) => m.kind === "event").map((message) => ({ file: r.file, message }))
);

Deno.test("every recording listed in index.json is loaded, and they hold events", async () => {
  const index = JSON.parse(await Deno.readTextFile(new URL("index.json", FIXTURES))) as {
    scenarios: { name: string }[];
  };
  assert.deepEqual(
    recordings.map((r) => r.file),
    index.scenarios.map((s) => `${s.name}.server.raw`).sort(),
  );
  assert.ok(events.length > 10_000, `only ${events.length} events found`);
});

Deno.test("every event name in the recordings has a type in the catalog", () => {
  const untyped = new Set<string>();
  for (const { file, message } of events) {
    if (!model.events.has(message.name)) untyped.add(`${message.name} (${file})`);
  }
  assert.deepEqual([...untyped], []);
});

Deno.test("the overlay's list of recorded events is exactly the names in the recordings", () => {
  const seen = [...new Set(events.map(({ message }) => message.name))].sort();
  assert.deepEqual([...overlayJson.seen_on_wire].sort(), seen);
  const checked = [...model.events.values()].filter((e) => e.seenOnWire).map((e) => e.name).sort();
  assert.deepEqual(checked, seen);
});

Deno.test("every field a type declares always sent is on the wire in each recorded event", () => {
  const missing: string[] = [];
  let checks = 0;
  for (const { file, message } of events) {
    const event = model.events.get(message.name)!;
    const keys = keysOf(message);
    for (const field of event.fields) {
      if (!field.present) continue;
      checks++;
      if (!keys.has(field.name)) missing.push(`${event.name}.${field.name} (${file})`);
    }
  }
  assert.deepEqual([...new Set(missing)], []);
  assert.ok(checks > 100_000, `only ${checks} field checks`);
});

Deno.test("every header the recorded events carry is typed, apart from channel variables", () => {
  const untyped = new Set<string>();
  for (const { message } of events) {
    if (FREE_FORM_EVENTS.has(message.name)) continue;
    const event: EventModel = model.events.get(message.name)!;
    const typed = new Set(event.fields.map((f) => f.name));
    for (const key of keysOf(message)) {
      if (typed.has(key) || COMMON_EVENT_HEADERS.has(key) || CHANNEL_VARIABLE.test(key)) continue;
      untyped.add(`${message.name}.${key}`);
    }
  }
  assert.deepEqual([...untyped], []);
});

Deno.test("typed values of recorded events are strings as declared", () => {
  // An own property per field, as the types promise (`ev.Channel`).
  let checked = 0;
  for (const { message } of events) {
    const event = model.events.get(message.name)!;
    const own = message as unknown as Record<string, unknown>;
    for (const field of event.fields) {
      if (!field.present) continue;
      assert.equal(typeof own[field.name], "string", `${event.name}.${field.name}`);
      checked++;
    }
  }
  assert.ok(checked > 0);
});

Deno.test("typed success responses hold their fields in the recordings", () => {
  const missing: string[] = [];
  let checked = 0;
  for (const { file, server, client } of recordings) {
    const actions = new Map(
      client.filter((m) => m.actionId !== undefined).map((m) => [m.actionId!, m.name]),
    );
    for (const response of server) {
      if (response.kind !== "response" || response.name !== "Success") continue;
      const name = response.actionId === undefined ? undefined : actions.get(response.actionId);
      const action = name === undefined ? undefined : model.actions.get(name) ??
        [...model.actions.values()].find((a) => a.aliases.includes(name));
      if (action === undefined) continue;
      const keys = keysOf(response);
      const expected = action.responseFields.filter((f) => f.present).map((f) => f.name);
      if (action.list !== undefined) expected.push("EventList");
      for (const field of expected) {
        checked++;
        if (!keys.has(field)) missing.push(`${action.name}: ${field} (${file})`);
      }
    }
  }
  assert.deepEqual(missing, []);
  assert.ok(checked >= 30, `only ${checked} response fields checked`);
});

Deno.test("every action whose answer was recorded as a list has that list typed", () => {
  for (const [name, list] of Object.entries(catalogJson.observed_event_lists)) {
    const action = model.actions.get(name);
    assert.ok(action?.list, `${name} has no typed list`);
    for (const item of list.items) assert.ok(action.list.items.includes(item), `${name}: ${item}`);
    assert.equal(action.list.complete, list.complete);
  }
});
