/**
 * Records how glibc's `regcomp(REG_EXTENDED | REG_NOSUB)` and `regexec` (what
 * Asterisk compiles event filters with) answer a fixed set of extended
 * regular expressions over a fixed set of texts, into
 * `tests/fixtures/glibc-ere/cases.json`. The tests check our ERE translation
 * against it without needing glibc.
 *
 * ```sh
 * deno run --allow-ffi --allow-write=tests/fixtures/glibc-ere tools/record_glibc_ere.ts
 * ```
 *
 * @module
 */

const REG_EXTENDED = 1;
const REG_NOSUB = 8;

const libc = Deno.dlopen("libc.so.6", {
  regcomp: { parameters: ["buffer", "buffer", "i32"], result: "i32" },
  regexec: { parameters: ["buffer", "buffer", "usize", "pointer", "i32"], result: "i32" },
  regfree: { parameters: ["buffer"], result: "void" },
});

function cString(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new TextEncoder().encode(text);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/** Whether glibc compiles the pattern, and if so which texts it matches. */
function glibc(pattern: string, texts: readonly string[]): boolean[] | null {
  const regex = new Uint8Array(256); // regex_t is 64 bytes on x86_64
  if (libc.symbols.regcomp(regex, cString(pattern), REG_EXTENDED | REG_NOSUB) !== 0) return null;
  const matches = texts.map((text) =>
    libc.symbols.regexec(regex, cString(text), 0n, null, 0) === 0
  );
  libc.symbols.regfree(regex);
  return matches;
}

const TEXTS = [
  "",
  "d",
  "5",
  "anb",
  "t",
  "a",
  "ab",
  "aab",
  "b\na",
  "a\r\nb",
  "a.b",
  "(a)",
  "{2}",
  "]",
  "-",
  "x\\y",
  "ab ab",
  "Event: Hangup\r\nPrivilege: call,all\r\nChannel: Local/a-1;1\r\nCause: 16\r\n\r\n",
  "Event: HangupRequest\r\nChannel: PJSIP/100-0001\r\n\r\n",
  "Event: Newchannel\r\nChannel: Local/answer@ami-test-00000001;1\r\n\r\n",
];

const CHOSEN = [
  "Event: Hangup",
  "Event: Hangup$",
  "^Event: Hangup",
  "^Event: Hangup[[:cntrl:]]",
  "^Channel: Local",
  "Event: Newchannel.*Channel: Local/",
  ".*^Channel: PJSIP",
  "[[:cntrl:]]Channel: PJSIP/",
  "Cause: (16|17)[[:cntrl:]]",
  "\\n",
  "\\.",
  "a\\",
  "[\\]",
  "[]a]",
  "[^]a]",
  "[a-]",
  "[z-a]",
  "[[:foo:]]",
  "[[:alpha:]-z]",
  "[[.a.]-c]",
  "[[=a=]]",
  "(a",
  "a)",
  "()",
  "(|a)",
  "*a",
  "a**",
  "a+?",
  "a{2}",
  "a{,2}b",
  "a{2,1}",
  "a{1",
  "{",
  "a{x}",
  "(a)\\1",
  "\\1",
  "\\wb",
  "\\<Hangup\\>",
  "\\bHangup\\b",
  "\\`a",
  "b\\'",
  "$",
  "^",
  "^$",
  "a|^b",
  "a$|b$",
  "\\(a\\)",
  "\\d",
  "[\\d]",
  "a\\nb",
  "\\t",
];

/** A deterministic generator (xorshift32), so the recording is reproducible. */
function* randomPatterns(count: number): Generator<string> {
  const alphabet = [..."ab\r\n:. ^$*+?|(){},[]-\\1w<>", "[[:cntrl:]]", "[[:alpha:]]", "[^a]"]
    .concat(["{2}", "{1,2}", "{,2}", "[]a]", "[a-c]", "\\(", "\\.", "Event: ", "[[:space:]]"]);
  let state = 0x9e3779b9;
  const next = (n: number): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  for (let i = 0; i < count; i++) {
    let pattern = "";
    for (let j = 0, n = 1 + next(6); j < n; j++) pattern += alphabet[next(alphabet.length)];
    yield pattern;
  }
}

const patterns = [...new Set([...CHOSEN, ...randomPatterns(600)])];
const cases = patterns.map((pattern) => ({ pattern, matches: glibc(pattern, TEXTS) }));
await Deno.writeTextFile(
  "tests/fixtures/glibc-ere/cases.json",
  JSON.stringify({ texts: TEXTS, cases }, null, 1) + "\n",
);
Deno.stderr.writeSync(new TextEncoder().encode(`recorded ${cases.length} patterns\n`));
