/**
 * The ERE translation used by server-side filters, checked against answers
 * recorded from glibc itself (tests/fixtures/glibc-ere).
 */

import assert from "node:assert/strict";
import { compilePosixEre, PosixRegexError } from "../../src/events/posix_regex.ts";

interface Recorded {
  texts: string[];
  cases: { pattern: string; matches: boolean[] | null }[];
}

const recorded: Recorded = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/glibc-ere/cases.json", import.meta.url)),
);

/**
 * Patterns whose glibc answer differs from ours: a `^` (`$`) inside the pattern with only
 * optional atoms before (after) it (see src/events/posix_regex.ts).
 */
const KNOWN_DIFFERENCES = new Set([">*^[^a]", "\\(?$^"]);

Deno.test("compilePosixEre compiles and refuses every recorded pattern as glibc does", () => {
  let checked = 0;
  for (const { pattern, matches } of recorded.cases) {
    if (KNOWN_DIFFERENCES.has(pattern)) continue;
    let ours: boolean[] | null;
    try {
      const expression = compilePosixEre(pattern);
      ours = recorded.texts.map((text) => expression.test(text));
    } catch (error) {
      assert.ok(error instanceof PosixRegexError, `${JSON.stringify(pattern)}: ${error}`);
      ours = null;
    }
    assert.deepEqual(ours, matches, `pattern ${JSON.stringify(pattern)}`);
    checked++;
  }
  assert.ok(checked > 500, `only ${checked} patterns checked`);
});

Deno.test("compilePosixEre reads the filters of the design note as Asterisk 23 did", () => {
  const hangup = "Event: Hangup\r\nPrivilege: call,all\r\nChannel: Local/a-1;1\r\n\r\n";
  const request = "Event: HangupRequest\r\nChannel: Local/a-1;2\r\n\r\n";
  // Each of these was probed on a real 23-dev (docs: ../shared/design/filters.md §2.1, §2.3).
  assert.equal(compilePosixEre("Event: Hangup").test(request), true);
  assert.equal(compilePosixEre("Event: Hangup$").test(hangup), false);
  assert.equal(compilePosixEre("^Channel: Local").test(hangup), false);
  assert.equal(compilePosixEre("Event: Hangup.*Channel: Local/").test(hangup), true);
  assert.equal(compilePosixEre("^Event: Hangup[[:cntrl:]]").test(hangup), true);
  assert.equal(compilePosixEre("^Event: Hangup[[:cntrl:]]").test(request), false);
});

Deno.test("compilePosixEre treats backslash escapes the POSIX way, not the JavaScript way", () => {
  assert.equal(compilePosixEre("a\\nb").test("anb"), true);
  assert.equal(compilePosixEre("a\\nb").test("a\nb"), false);
  assert.equal(compilePosixEre("[\\d]").test("\\"), true);
  assert.equal(compilePosixEre("[\\d]").test("5"), false);
  assert.equal(compilePosixEre("\\d").test("d"), true);
});

Deno.test("compilePosixEre refuses what glibc cannot compile with a PosixRegexError", () => {
  for (const pattern of ["(a", "[a", "*a", "a{2,1}", "a{1", "\\1", "[[:Alpha:]]", "a\\"]) {
    assert.throws(() => compilePosixEre(pattern), PosixRegexError, pattern);
  }
});
