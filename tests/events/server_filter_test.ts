/**
 * The typed `serverFilter` builder: what it writes in a `Filter` action, and
 * what it refuses before anything is sent.
 */

import assert from "node:assert/strict";
import { AmiMessage } from "../../src/wire/message.ts";
import { serverFilter } from "../../src/events/server_filter.ts";
import { parseServerFilter } from "../../src/events/server_filter_match.ts";

Deno.test("serverFilter writes MatchCriteria with an explicit action and method", () => {
  assert.deepEqual(serverFilter.include("Newchannel").toAction(), {
    Action: "Filter",
    Operation: "Add",
    MatchCriteria: "action(include),name(Newchannel),method(none)",
  });
  assert.deepEqual(
    serverFilter.include("Newchannel").header("Channel").startsWith("PJSIP/").toAction(),
    {
      Action: "Filter",
      Operation: "Add",
      MatchCriteria: "action(include),name(Newchannel),header(Channel),method(starts_with)",
      Filter: "PJSIP/",
    },
  );
  assert.deepEqual(serverFilter.exclude("VarSet").toAction(), {
    Action: "Filter",
    Operation: "Add",
    MatchCriteria: "action(exclude),name(VarSet),method(none)",
  });
  assert.equal(
    serverFilter.include().header("Queue").equals("support").matchCriteria,
    "action(include),header(Queue),method(exact)",
  );
  assert.equal(
    serverFilter.include().contains("Local/").matchCriteria,
    "action(include),method(contains)",
  );
});

Deno.test("serverFilter methods map to Asterisk's method names", () => {
  const base = () => serverFilter.include("Hangup").header("Cause");
  assert.equal(base().equals("16").method, "exact");
  assert.equal(base().startsWith("1").method, "starts_with");
  assert.equal(base().endsWith("6").method, "ends_with");
  assert.equal(base().contains("6").method, "contains");
  assert.equal(base().regex("^(16|17)$").method, "regex");
  assert.equal(base().method, "none");
});

Deno.test("serverFilter.legacy writes a bare regex, with '!' for exclude", () => {
  assert.deepEqual(serverFilter.legacy("Event: Newchannel.*Channel: PJSIP/").toAction(), {
    Action: "Filter",
    Operation: "Add",
    Filter: "Event: Newchannel.*Channel: PJSIP/",
  });
  assert.equal(serverFilter.legacy("Channel: Local/", "exclude").filter, "!Channel: Local/");
  assert.equal(serverFilter.legacy(".").matchCriteria, undefined);
});

Deno.test("every filter the builder makes is one Asterisk accepts, with the same meaning", () => {
  const event = AmiMessage.fromString(
    "Event: Newchannel\r\nPrivilege: call,all\r\nChannel: PJSIP/100-1\r\nAccountCode: \r\n\r\n",
  );
  const filters = [
    serverFilter.include("Newchannel"),
    serverFilter.include("Newchannel").header("Channel"),
    serverFilter.include("Newchannel").header("Channel").startsWith("PJSIP/"),
    serverFilter.include().header("Channel").regex("^PJSIP/[0-9]+-"),
    serverFilter.exclude("Newchannel").header("AccountCode"),
    serverFilter.legacy("^Event: Newchannel[[:cntrl:]]"),
    serverFilter.include("newchannel"),
  ];
  const expected = [true, true, true, true, false, true, false];
  filters.forEach((filter, i) => {
    const action = filter.toAction();
    const parsed = parseServerFilter(action.Filter ?? "", action.MatchCriteria ?? "");
    assert.ok(!("reason" in parsed), String(filter));
    assert.equal(parsed.matches(event.name, event.toString()), expected[i], String(filter));
    assert.equal(filter.matches(event), expected[i], String(filter));
  });
});

Deno.test("serverFilter refuses names and headers Asterisk would split, strip or misread", () => {
  for (const bad of ["", "New channel", "A,name(B)", "A)", "A(", "Tab\there", "Line\r\nX"]) {
    assert.throws(() => serverFilter.include(bad), TypeError, JSON.stringify(bad));
    assert.throws(() => serverFilter.include("Hangup").header(bad), TypeError, JSON.stringify(bad));
  }
  assert.throws(() => serverFilter.include("Hangup").header("Channel").header("Cause"), TypeError);
});

Deno.test("serverFilter refuses patterns that would not reach Asterisk as written", () => {
  const cause = () => serverFilter.include("Hangup").header("Cause");
  assert.throws(() => cause().equals(""), /must be non-empty/);
  assert.throws(() => cause().equals("16\r\nAction: Originate"), /CR, LF or NUL/);
  assert.throws(() => cause().contains("a\nb"), /CR, LF or NUL/);
  assert.throws(() => cause().equals("a\0b"), /CR, LF or NUL/);
  assert.throws(() => cause().equals(" 16"), /leading blanks/);
  assert.throws(() => cause().equals("!16"), /leading "!"/);
  assert.throws(() => serverFilter.legacy("!Event: VarSet"), /leading "!"/);
  assert.throws(() => serverFilter.legacy(""), TypeError);
  assert.throws(() => cause().equals("16").contains("1"), /already has a pattern/);
});

Deno.test("serverFilter refuses regular expressions glibc would not compile", () => {
  assert.throws(() => serverFilter.legacy("Event: (Hangup"), /Asterisk would refuse.*Unmatched/);
  assert.throws(
    () => serverFilter.include("Hangup").header("Cause").regex("*16"),
    /Asterisk would refuse/,
  );
  assert.throws(() => serverFilter.legacy("[[:Digit:]]"), TypeError);
  assert.throws(() => serverFilter.legacy("bad", "both" as "include"), TypeError);
});

Deno.test("serverFilter values are immutable steps", () => {
  const hangup = serverFilter.include("Hangup");
  const withHeader = hangup.header("Cause");
  assert.equal(hangup.headerName, undefined);
  assert.equal(withHeader.headerName, "Cause");
  assert.equal(withHeader.eventName, "Hangup");
  assert.equal(
    String(withHeader.equals("16")),
    "action(include),name(Hangup),header(Cause),method(exact) 16",
  );
});
