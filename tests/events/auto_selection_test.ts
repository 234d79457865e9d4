/**
 * Automatic server-side selection: the include filters and event mask
 * derived from the consumers' filters never hold back an event a consumer
 * wants, and only grow within a session.
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@4.10.2";
import { AmiMessage } from "../../src/wire/message.ts";
import type { AmiEventFilter } from "../../src/events/events.ts";
import { EventHub } from "../../src/events/events.ts";
import {
  type AmiServerSelection,
  deriveServerSelection,
  growServerSelection,
} from "../../src/events/auto_selection.ts";
import { parseEventMaskBits, privilegeBits } from "../../src/events/event_classes.ts";
import { serverFiltersAllow } from "../../src/events/server_filter_match.ts";

/** Whether Asterisk would send the event to a session with this selection. */
function serverSends(selection: AmiServerSelection, event: AmiMessage): boolean {
  const mask = parseEventMaskBits(selection.eventMask) ?? 0;
  const needed = privilegeBits(event.get("Privilege") ?? "");
  if ((mask & needed) !== needed || mask === 0) return false;
  const rules = selection.filters.map((filter) => filter.rule);
  return serverFiltersAllow(rules, event.name, event.toString());
}

/** Whether a consumer with this filter takes the event, by the client's own matcher. */
function consumerTakes(filter: AmiEventFilter | undefined, event: AmiMessage): boolean {
  const hub = new EventHub();
  const stream = hub.subscribe(filter, {});
  const taken = stream.takesAll || stream.matches(event, event.name.toLowerCase());
  hub.close();
  return taken;
}

Deno.test("a consumer of channel, bridge and dial events gets name includes and the call class", () => {
  const selection = deriveServerSelection([
    ["Newchannel", "Newstate", "Hangup", "BridgeEnter", "BridgeLeave", "DialBegin", "DialEnd"],
  ]);
  assert.equal(selection.everything, false);
  assert.equal(selection.eventMask, "call");
  assert.deepEqual(selection.filters.map((f) => f.eventName), [
    "Newchannel",
    "Newstate",
    "Hangup",
    "BridgeEnter",
    "BridgeLeave",
    "DialBegin",
    "DialEnd",
  ]);
  assert.ok(selection.filters.every((f) => f.action === "include" && f.method === "none"));
});

Deno.test("deriveServerSelection takes everything for a predicate, no filter or a RegExp name", () => {
  assert.equal(deriveServerSelection([(event) => event.name === "Hangup"]).everything, true);
  assert.equal(deriveServerSelection(["Hangup", undefined]).everything, true);
  assert.equal(deriveServerSelection([{ Event: /^Hang/ as unknown as string }]).everything, true);
  assert.equal(deriveServerSelection([{ Channel: "PJSIP/100" }]).everything, true);
  assert.equal(deriveServerSelection([["Hangup", ""]]).everything, true);
  assert.equal(deriveServerSelection([["Hangup", "Bad\r\nName"]]).everything, true);
  assert.deepEqual(deriveServerSelection([]), {
    everything: false,
    filters: [],
    classes: [],
    eventMask: "off",
  });
});

Deno.test("deriveServerSelection spells names as Asterisk sends them and unions their classes", () => {
  const selection = deriveServerSelection(["HANGUP", "newexten", ["varset", "FullyBooted"]]);
  assert.deepEqual(selection.filters.map((f) => f.eventName), [
    "Hangup",
    "Newexten",
    "VarSet",
    "FullyBooted",
  ]);
  assert.deepEqual(selection.classes, ["system", "call", "dialplan"]);
  assert.equal(selection.eventMask, "system,call,dialplan");
});

Deno.test("an unknown name becomes a case-folded Event line include and opens the mask", () => {
  const selection = deriveServerSelection(["MyApp.Event"]);
  assert.equal(
    String(selection.filters[0]),
    "action(include),header(Event),method(regex) ^[Mm][Yy][Aa][Pp][Pp]\\.[Ee][Vv][Ee][Nn][Tt]$",
  );
  assert.equal(selection.eventMask, "on");
});

Deno.test("a header match narrows one name with a case-folded regex over its lines", () => {
  const selection = deriveServerSelection([{ Event: "Hangup", Cause: ["16", "17"] }]);
  assert.equal(
    String(selection.filters[0]),
    "action(include),name(Hangup),method(regex) [[:cntrl:]][Cc][Aa][Uu][Ss][Ee]:[[:blank:]]*(16|17)[[:cntrl:]]",
  );
  const wide = deriveServerSelection([{ Event: "Hangup", Cause: "16" }, "Hangup"]);
  assert.equal(String(wide.filters[0]), "action(include),name(Hangup),method(none)");
  const regex = deriveServerSelection([{ Event: "Hangup", Cause: /^1[67]$/ }]);
  assert.equal(String(regex.filters[0]), "action(include),name(Hangup),method(none)");
});

const names = fc.constantFrom(
  "Newchannel",
  "newchannel",
  "HANGUP",
  "Hangup",
  "HangupRequest",
  "VarSet",
  "Newexten",
  "DialBegin",
  "BridgeEnter",
  "FullyBooted",
  "MyEvent",
  "Cdr",
);
const values = fc.constantFrom("16", "17", "PJSIP/100-1", "Local/a;1", "", " 16", "a.b");
const headers = fc.constantFrom("Cause", "cause", "Channel", "CHANNEL");
const consumers: fc.Arbitrary<AmiEventFilter | undefined> = fc.oneof(
  { weight: 4, arbitrary: names },
  { weight: 4, arbitrary: fc.array(names, { minLength: 1, maxLength: 3 }) },
  {
    weight: 4,
    arbitrary: fc.record({
      Event: fc.oneof(names, fc.array(names, { minLength: 1, maxLength: 2 })),
      header: headers,
      value: fc.oneof(values, fc.array(values, { minLength: 1, maxLength: 2 }), fc.constant(/6/)),
    }).map(({ Event, header, value }) => ({ Event, [header]: value }) as AmiEventFilter),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant((event: AmiMessage) => event.name.length > 6) },
);
const PRIVILEGE: Record<string, string> = {
  newchannel: "call",
  hangup: "call",
  hanguprequest: "call",
  varset: "dialplan",
  newexten: "dialplan",
  dialbegin: "call",
  bridgeenter: "call",
  fullybooted: "system",
  myevent: "user",
  cdr: "cdr",
};
const events = fc.record({
  name: fc.constantFrom(
    "Newchannel",
    "Hangup",
    "HangupRequest",
    "VarSet",
    "Newexten",
    "DialBegin",
    "BridgeEnter",
    "FullyBooted",
    "MyEvent",
    "myevent",
    "Cdr",
  ),
  cause: values,
  channel: values,
  causeKey: fc.constantFrom("Cause", "cause"),
}).map(({ name, cause, channel, causeKey }) =>
  AmiMessage.fromString(
    `Event: ${name}\r\nPrivilege: ${PRIVILEGE[name.toLowerCase()]},all\r\n` +
      `Channel: ${channel}\r\n${causeKey}: ${cause}\r\n\r\n`,
  )
);

Deno.test("the derived selection sends every event some consumer takes", () => {
  fc.assert(
    fc.property(fc.array(consumers, { maxLength: 4 }), events, (filters, event) => {
      const selection = deriveServerSelection(filters);
      if (filters.some((filter) => consumerTakes(filter, event))) {
        assert.ok(
          serverSends(selection, event),
          `${event.name} held back from ${selection.filters.map(String).join(" | ")}`,
        );
      }
    }),
    { numRuns: 500 },
  );
});

Deno.test("growServerSelection only adds, and what a session has covers what is wanted", () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(consumers, { maxLength: 3 }), { minLength: 1, maxLength: 4 }),
      events,
      (rounds, event) => {
        let applied: AmiServerSelection | undefined;
        for (const round of rounds) {
          const wanted = deriveServerSelection(round);
          const before = applied?.filters.length ?? 0;
          const step = growServerSelection(applied, wanted);
          assert.equal(step.applied.filters.length, before + step.add.length);
          assert.equal(step.eventMask, step.applied.eventMask);
          if (serverSends(wanted, event)) assert.ok(serverSends(step.applied, event));
          applied = step.applied;
        }
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("a filtered session is opened up by one catch-all include, not by reconnecting", () => {
  const first = growServerSelection(undefined, deriveServerSelection(["Hangup"]));
  const opened = growServerSelection(first.applied, deriveServerSelection([() => true]));
  assert.deepEqual(opened.add.map((f) => f.toAction()), [
    { Action: "Filter", Operation: "Add", Filter: "." },
  ]);
  assert.equal(opened.eventMask, "on");
  const after = growServerSelection(opened.applied, deriveServerSelection(["Newchannel"]));
  assert.deepEqual(after.add, []);
  const fresh = growServerSelection(undefined, deriveServerSelection([() => true]));
  assert.deepEqual(fresh.add, []);
  assert.equal(fresh.eventMask, "on");
});
