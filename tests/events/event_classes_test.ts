/**
 * Event classes: the typed list for `setEventClasses`, and Asterisk's own
 * reading of `EventMask` that the test server applies.
 */

import assert from "node:assert/strict";
import {
  ALL_EVENT_CLASS_BITS,
  AMI_EVENT_CLASSES,
  eventClassesOf,
  eventMaskFor,
  parseEventMaskBits,
  privilegeBits,
  validateEventClasses,
} from "../../src/events/event_classes.ts";

Deno.test("validateEventClasses accepts Asterisk's classes and returns them once, in its order", () => {
  assert.deepEqual(validateEventClasses(["user", "call", "system", "call"]), [
    "system",
    "call",
    "user",
  ]);
  assert.deepEqual(validateEventClasses([...AMI_EVENT_CLASSES].reverse()), AMI_EVENT_CLASSES);
  assert.deepEqual(validateEventClasses([]), []);
});

Deno.test("validateEventClasses names an unknown or wrongly cased class in a TypeError", () => {
  assert.throws(() => validateEventClasses(["call", "Call"]), {
    name: "TypeError",
    message: /Unknown event class "Call".*spelling is "call"/,
  });
  assert.throws(() => validateEventClasses(["foo"]), /Unknown event class "foo": Asterisk would/);
  assert.throws(() => validateEventClasses(["all"]), /Unknown event class "all"/);
  assert.throws(() => validateEventClasses([" call"]), TypeError);
  assert.throws(() => validateEventClasses([42 as unknown as string]), /Unknown event class 42/);
  assert.throws(() => validateEventClasses("call" as unknown as string[]), TypeError);
});

Deno.test("eventMaskFor renders a value Asterisk reads back as exactly those classes", () => {
  assert.equal(eventMaskFor(["call", "agent"]), "call,agent");
  assert.equal(eventMaskFor([]), "off");
  for (let i = 0; i < AMI_EVENT_CLASSES.length; i++) {
    const classes = AMI_EVENT_CLASSES.filter((_, j) => (j * 7 + i) % 3 === 0);
    assert.deepEqual(eventClassesOf(parseEventMaskBits(eventMaskFor(classes))!), classes);
  }
  assert.equal(parseEventMaskBits(eventMaskFor([])), 0);
});

Deno.test("parseEventMaskBits reads EventMask as Asterisk's strings_to_mask does", () => {
  assert.equal(parseEventMaskBits(""), undefined);
  assert.equal(parseEventMaskBits("on"), ALL_EVENT_CLASS_BITS);
  assert.equal(parseEventMaskBits("YES"), ALL_EVENT_CLASS_BITS);
  assert.equal(parseEventMaskBits("off"), 0);
  assert.equal(parseEventMaskBits("false"), 0);
  assert.equal(parseEventMaskBits("1"), 1); // digits are a mask: system only
  assert.equal(parseEventMaskBits("Call"), 0); // recorded on 23-dev: "Events: Off"
  assert.equal(parseEventMaskBits("foo"), 0);
  assert.deepEqual(eventClassesOf(parseEventMaskBits("system,call,user")!), [
    "system",
    "call",
    "user",
  ]);
  assert.deepEqual(eventClassesOf(parseEventMaskBits("c,user")!), [
    "call",
    "command",
    "user",
    "config",
    "cdr",
    "cc",
  ]);
  assert.equal(parseEventMaskBits(",call"), ALL_EVENT_CLASS_BITS);
  assert.equal(parseEventMaskBits("call,"), parseEventMaskBits("call"));
});

Deno.test("privilegeBits reads an event's classes from its Privilege line", () => {
  assert.deepEqual(eventClassesOf(privilegeBits("call,all")), ["call"]);
  assert.deepEqual(eventClassesOf(privilegeBits("system,all")), ["system"]);
  assert.equal(privilegeBits("<none>"), 0);
});
