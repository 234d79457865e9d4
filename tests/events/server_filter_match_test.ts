/**
 * The shared evaluator of Asterisk's session filters: which `Filter`
 * actions Asterisk 23 accepts, and which events it then sends.
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@4.10.2";
import {
  type AmiServerFilterRule,
  asteriskStringHash,
  FILTER_COMPILE_ERROR,
  FILTER_FORMAT_ERROR,
  parseServerFilter,
  serverFiltersAllow,
} from "../../src/events/server_filter_match.ts";

function rule(filter: string, matchCriteria = ""): AmiServerFilterRule {
  const parsed = parseServerFilter(filter, matchCriteria);
  if ("reason" in parsed) throw new Error(`refused: ${matchCriteria} ${filter}: ${parsed.detail}`);
  return parsed;
}

function refusal(filter: string, matchCriteria = ""): string | undefined {
  const parsed = parseServerFilter(filter, matchCriteria);
  return "reason" in parsed ? parsed.message : undefined;
}

const NEWCHANNEL = "Event: Newchannel\r\nChannel: XXX\r\nSomeheader: YYY\r\n";
const VARSET = "Event: VarSet\r\nChannel: ABC\r\nSomeheader: XXX\r\n";

Deno.test("parseServerFilter accepts the filters Asterisk accepts, with their meaning", () => {
  // [MatchCriteria, Filter, event name, event text, sent?]; the cases of
  // Asterisk's own eventfilter_test_creation (main/manager.c), as a Filter action sends them.
  const cases: [string, string, string, string, boolean][] = [
    ["", "XXX", "Newchannel", NEWCHANNEL, true],
    ["", "!XXX", "VarSet", VARSET, false],
    ["name(VarSet),method(none)", "", "VarSet", VARSET, true],
    ["name(Newchannel),method(regex)", "X[XYZ]X", "Newchannel", NEWCHANNEL, true],
    ["name(Newchannel),method(regex)", "X[abc]X", "Newchannel", NEWCHANNEL, false],
    ["action(exclude),name(Newchannel),method(regex)", "X[XYZ]X", "Newchannel", NEWCHANNEL, false],
    ["action(exclude),name(Newchannel),method(regex)", "X[abc]X", "Newchannel", NEWCHANNEL, true],
    [
      "action(include),name(VarSet),header(Channel),method(starts_with)",
      "AB",
      "VarSet",
      VARSET,
      true,
    ],
    [
      "action(include),name(VarSet),header(Channel),method(ends_with)",
      "BC",
      "VarSet",
      VARSET,
      true,
    ],
    ["action(include),name(VarSet),header(Channel),method(exact)", "ABC", "VarSet", VARSET, true],
    ["action(include),name(VarSet),header(Channel),method(exact)", "XXX", "VarSet", VARSET, false],
    ["name(VarSet),header(Channel),method(exact)", "!ZZZ", "VarSet", VARSET, true],
    ["action(exclude),name(VarSet),header(Channel),method(exact)", "ZZZ", "VarSet", VARSET, true],
    [
      "action(include),name(VarSet),header(Someheader),method(exact)",
      "!XXX",
      "VarSet",
      VARSET,
      true,
    ],
  ];
  for (const [criteria, filter, name, text, sent] of cases) {
    assert.equal(serverFiltersAllow([rule(filter, criteria)], name, text), sent, criteria);
  }
});

Deno.test("parseServerFilter refuses what Asterisk refuses, with Asterisk's message", () => {
  const format: [string, string][] = [
    ["action(include", ""],
    ["action(inlude", ""],
    ["nnnn(yyy", "XXX"],
    ["eader(VarSet", "XXX"],
    ["nnnn(yyy),header(VarSet),method(contains", "XXX"],
    ["name(yyy),header(VarSet),method(coains", "XXX"],
    ["method(yyy)", "XXX"],
    ["", ""],
    ["", "!"],
    [" ", "XXX"],
    // A pattern with no method: advanced filters default to "none" (the XML says regex).
    ["name(Newchannel),header(Channel)", "Local/"],
    // The XML's spelling of the method is refused.
    ["header(Channel),method(startsWith)", "Local/"],
    // A method other than none needs a pattern.
    ["name(Hangup),method(exact)", ""],
    // Neither a name nor a header nor a pattern.
    ["action(include)", ""],
    // 18-events-filter, filter-11: "starts_with" without method() is an unknown option.
    ["action(exclude),header(Channel),starts_with", "Local/answer@ami-test-00000003;2"],
  ];
  for (const [criteria, filter] of format) {
    assert.equal(refusal(filter, criteria), FILTER_FORMAT_ERROR, `${criteria} ${filter}`);
  }
  assert.equal(refusal("XX[X"), FILTER_COMPILE_ERROR);
  assert.equal(refusal("XX[X", "method(regex)"), FILTER_COMPILE_ERROR);
});

Deno.test("MatchCriteria options are read by prefix, split on blanks, commas and ')', last wins", () => {
  const hangup = "Event: Hangup\r\nChannel: A\r\n\r\n";
  const newchannel = "Event: Newchannel\r\nChannel: A\r\n\r\n";
  const lastName = rule("", "name(Newchannel),name(Hangup)");
  assert.equal(lastName.matches("Hangup", hangup), true);
  assert.equal(lastName.matches("Newchannel", newchannel), false);
  const spaced = rule("A", "names(Hangup) headerX(Channel) methodical(exact)");
  assert.equal(spaced.matches("Hangup", hangup), true);
  assert.equal(rule("!A", "action(include),header(Channel),method(exact)").exclude, false);
  assert.equal(rule("A", "header(Channel:),method(exact)").matches("Hangup", hangup), true);
});

Deno.test("the six points where the old test server differed now follow Asterisk", () => {
  const text = "Event: Newchannel\r\nChannel: Local/a-1;1\r\nAccountCode: \r\n" +
    "ChanVariable: AMITEST_TAG=\r\nChanVariable: AMITEST_TAG=caller\r\n\r\n";
  // 1. A pattern with no method is refused (was: treated as a regex).
  assert.equal(refusal("Local/", "name(Newchannel),header(Channel)"), FILTER_FORMAT_ERROR);
  // 2. name() is case-sensitive.
  assert.equal(rule("", "name(newchannel)").matches("Newchannel", text), false);
  assert.equal(rule("", "name(Newchannel)").matches("Newchannel", text), true);
  // 3. header() is case-sensitive and tests every repeated line.
  assert.equal(rule("", "header(channel)").matches("Newchannel", text), false);
  assert.equal(
    rule("AMITEST_TAG=caller", "header(ChanVariable),method(exact)").matches("Newchannel", text),
    true,
  );
  // 4. An empty header value never matches, not even "^$" or method(none).
  assert.equal(rule("^$", "header(AccountCode),method(regex)").matches("Newchannel", text), false);
  assert.equal(rule("", "header(AccountCode)").matches("Newchannel", text), false);
  // 5. Legacy regexes are POSIX EREs over the whole text.
  assert.equal(rule("^Channel: Local").matches("Newchannel", text), false);
  assert.equal(rule("Newchannel.*Channel: Local/").matches("Newchannel", text), true);
  assert.equal(rule("^Event: Newchannel[[:cntrl:]]").matches("Newchannel", text), true);
  // 6. Options split on spaces and ")" too, not only commas.
  assert.equal(rule("", "name(Newchannel) action(exclude)").exclude, true);
});

Deno.test("name() compares Asterisk's string hash, as ast_str_hash computes it", () => {
  // Values computed with Asterisk's djb2-xor over the bytes, kept to 31 bits.
  assert.equal(asteriskStringHash("Newchannel"), 1754218554);
  assert.equal(asteriskStringHash("Hangup"), 911141824);
  assert.equal(asteriskStringHash("Ünïcode"), asteriskStringHash("Ünïcode"));
  assert.notEqual(asteriskStringHash("Hangup"), asteriskStringHash("hangup"));
});

const names = fc.constantFrom("Newchannel", "Hangup", "HangupRequest", "VarSet", "DialBegin");
const channels = fc.constantFrom("Local/a-1;1", "Local/a-1;2", "PJSIP/100-1", "", "DAHDI/1");
const events = fc.record({ name: names, channel: channels }).map(({ name, channel }) => ({
  name,
  text: `Event: ${name}\r\nPrivilege: call,all\r\nChannel: ${channel}\r\n\r\n`,
}));
const rules = fc.oneof(
  fc.tuple(fc.boolean(), names).map(([exclude, name]) =>
    rule("", `action(${exclude ? "exclude" : "include"}),name(${name})`)
  ),
  fc.tuple(fc.boolean(), fc.constantFrom("Local/", "PJSIP/", "1;2")).map(([exclude, value]) =>
    rule(value, `action(${exclude ? "exclude" : "include"}),header(Channel),method(contains)`)
  ),
  fc.constantFrom("Event: Hangup", "!Channel: Local", "Request[[:cntrl:]]").map((r) => rule(r)),
);

Deno.test("serverFiltersAllow sends an event exactly when an include matches (if any) and no exclude does", () => {
  fc.assert(
    fc.property(fc.array(rules, { maxLength: 6 }), events, (set, event) => {
      const includes = set.filter((r) => !r.exclude);
      const excludes = set.filter((r) => r.exclude);
      const included = includes.length === 0 ||
        includes.some((r) => r.matches(event.name, event.text));
      const excluded = excludes.some((r) => r.matches(event.name, event.text));
      assert.equal(serverFiltersAllow(set, event.name, event.text), included && !excluded);
    }),
  );
});

Deno.test("serverFiltersAllow ignores the order filters were added in, and excludes only narrow", () => {
  fc.assert(
    fc.property(fc.array(rules, { maxLength: 6 }), events, fc.nat(), (set, event, seed) => {
      const shuffled = [...set].sort((a, b) =>
        (set.indexOf(a) * 7 + seed) % 11 - (set.indexOf(b) * 7 + seed) % 11
      );
      const sent = serverFiltersAllow(set, event.name, event.text);
      assert.equal(serverFiltersAllow(shuffled, event.name, event.text), sent);
      const narrowed = [...set, rule("", "action(exclude),name(VarSet)")];
      if (serverFiltersAllow(narrowed, event.name, event.text)) assert.equal(sent, true);
    }),
  );
});
