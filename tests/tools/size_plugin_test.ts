import assert from "node:assert/strict";
import plugin, {
  codeLines,
  MAX_CODE_LINES,
  MAX_FUNCTION_LINES,
} from "../../tools/lint/size_plugin.ts";

/** A function whose text spans `lines` lines, from its name to its closing brace. */
function functionSpanning(lines: number): string {
  const body = Array.from({ length: lines - 2 }, (_, i) => `  const v${i} = ${i};`);
  return ["export function f(): void {", ...body, "}"].join("\n") + "\n";
}

function ruleIds(filename: string, source: string): string[] {
  return Deno.lint.runPlugin(plugin, filename, source).map((diagnostic) => diagnostic.id);
}

Deno.test("codeLines counts lines of code, not doc comments, comments or blank lines", () => {
  const text = [
    "/**",
    " * A doc comment.",
    " */",
    "// a comment",
    "",
    "const a = 1; // code",
    "/* one line */",
    "const b = 2;",
  ].join("\n");
  assert.equal(codeLines(text), 2);
});

Deno.test("a function under src/ may span the limit, not one line more", () => {
  const at = functionSpanning(MAX_FUNCTION_LINES);
  const over = functionSpanning(MAX_FUNCTION_LINES + 1);
  assert.deepEqual(ruleIds("/repo/src/client/a.ts", at), []);
  assert.deepEqual(ruleIds("/repo/src/client/a.ts", over), ["ami/max-function-lines"]);
  // Methods and arrow functions count too.
  const method = `class A {\n  m(): void {\n${"    void 0;\n".repeat(MAX_FUNCTION_LINES)}  }\n}\n`;
  assert.deepEqual(ruleIds("/repo/src/a.ts", method), ["ami/max-function-lines"]);
  const arrow = `export const f = () => {\n${"  void 0;\n".repeat(MAX_FUNCTION_LINES)}};\n`;
  assert.deepEqual(ruleIds("/repo/src/a.ts", arrow), ["ami/max-function-lines"]);
});

Deno.test("a module under src/ may hold the limit of code lines; doc comments do not count", () => {
  const code = (lines: number) =>
    Array.from({ length: lines }, (_, i) => `export const v${i} = ${i};`);
  const docs = "/**\n" + " * Documentation.\n".repeat(1_000) + " */\n";
  assert.deepEqual(ruleIds("/repo/src/a.ts", docs + code(MAX_CODE_LINES).join("\n")), []);
  assert.deepEqual(
    ruleIds("/repo/src/a.ts", code(MAX_CODE_LINES + 1).join("\n")),
    ["ami/max-code-lines"],
  );
});

Deno.test("the size rules leave generated code, tests and tools alone", () => {
  const long = functionSpanning(MAX_FUNCTION_LINES * 2);
  assert.deepEqual(ruleIds("/repo/src/generated/catalog.ts", long), []);
  assert.deepEqual(ruleIds("/repo/tests/client/a_test.ts", long), []);
  assert.deepEqual(ruleIds("/repo/tools/a.ts", long), []);
});
