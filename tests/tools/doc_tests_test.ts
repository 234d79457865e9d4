import assert from "node:assert/strict";
import { examplesOf, testModuleOf, withDynamicImports } from "../../tools/doc_tests.ts";

const SOURCE = [
  "/**",
  " * Adds.",
  " *",
  " * @example Two numbers",
  " * ```ts",
  ' * import { add } from "./add.ts";',
  ' * import assert from "node:assert/strict";',
  " * assert.equal(add(1, 2), 3);",
  " * ```",
  " *",
  " * ```ts ignore",
  " * add(1);",
  " * ```",
  " */",
  "export function add(a: number, b: number): number {",
  "  return a + b;",
  "}",
].join("\n");

Deno.test("examplesOf finds fenced ts examples with their line and skips ignored ones", () => {
  const examples = examplesOf("src/add.ts", SOURCE);
  assert.equal(examples.length, 1);
  assert.equal(examples[0]!.name, "src/add.ts#5");
  assert.equal(
    examples[0]!.code,
    'import { add } from "./add.ts";\nimport assert from "node:assert/strict";\nassert.equal(add(1, 2), 3);',
  );
});

Deno.test("withDynamicImports turns every import form into a dynamic import in the example's scope", () => {
  const code = [
    'import { a, type B, c as d } from "@x/ami";',
    'import type { E } from "@x/ami";',
    'import assert from "node:assert/strict";',
    'import * as all from "./all.ts";',
    "import {",
    "  f,",
    "  g,",
    '} from "../g.ts";',
    'import "./side.ts";',
    "a();",
  ].join("\n");
  assert.equal(
    withDynamicImports(code, "src/x/y.ts"),
    [
      'const { a, c: d } = await import("@x/ami");',
      "",
      'const { default: assert } = await import("node:assert/strict");',
      'const all = await import("../src/x/all.ts");',
      'const { f, g } = await import("../src/g.ts");',
      'await import("../src/x/side.ts");',
      "a();",
    ].join("\n"),
  );
});

Deno.test("testModuleOf wraps each example in its own named test", () => {
  const module = testModuleOf([{ name: "src/a.ts#3", code: "const x = 1;" }]);
  assert.match(module, /Deno\.test\("src\/a\.ts#3", async \(\) => \{\nconst x = 1;\n\}\);/);
});
