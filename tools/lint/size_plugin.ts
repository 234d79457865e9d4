/**
 * A `deno lint` plugin that keeps the library's parts small enough to read:
 * `ami/max-code-lines` flags a module under `src/` (generated code aside)
 * with more than {@linkcode MAX_CODE_LINES} lines of code, and
 * `ami/max-function-lines` a function or method under `src/` longer than
 * {@linkcode MAX_FUNCTION_LINES} lines. Doc comments, comments and blank
 * lines do not count as code: every public symbol carries a doc comment with
 * a tested example, and those should not push code apart.
 *
 * @example Listed in deno.json, it runs with `deno lint`
 * ```json
 * { "lint": { "plugins": ["./tools/lint/size_plugin.ts"] } }
 * ```
 *
 * @module
 */

/** The most lines of code a module under `src/` may have. */
export const MAX_CODE_LINES = 400;
/** The most lines, from its first to its last, a function under `src/` may span. */
export const MAX_FUNCTION_LINES = 60;

/**
 * The lines of `text` that hold code: not blank, not only a comment.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { codeLines } from "./size_plugin.ts";
 *
 * assert.equal(codeLines("/** doc *\u002F\n// note\n\nconst a = 1;\n"), 1);
 * ```
 */
export function codeLines(text: string): number {
  let count = 0;
  let inComment = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (inComment) {
      if (line.includes("*/")) inComment = false;
      continue;
    }
    if (line === "" || line.startsWith("//")) continue;
    if (line.startsWith("/*")) {
      inComment = !line.includes("*/");
      continue;
    }
    count++;
  }
  return count;
}

/** Whether the lint rules apply to a file: library code under `src/`, not generated. */
function isLibraryCode(filename: string): boolean {
  const path = filename.replaceAll("\\", "/");
  return path.includes("/src/") && !path.includes("/src/generated/");
}

/** How many lines the text from `start` to `end` spans. */
function linesSpanned(text: string, start: number, end: number): number {
  let lines = 1;
  for (let index = text.indexOf("\n", start); index !== -1 && index < end;) {
    lines++;
    index = text.indexOf("\n", index + 1);
  }
  return lines;
}

const plugin: Deno.lint.Plugin = {
  name: "ami",
  rules: {
    "max-code-lines": {
      create(context) {
        if (!isLibraryCode(context.filename)) return {};
        return {
          Program(node) {
            const lines = codeLines(context.sourceCode.text);
            if (lines > MAX_CODE_LINES) {
              context.report({
                node,
                message: `This module has ${lines} lines of code, over ${MAX_CODE_LINES}.`,
                hint: "Split it into modules with one job each.",
              });
            }
          },
        };
      },
    },
    "max-function-lines": {
      create(context) {
        if (!isLibraryCode(context.filename)) return {};
        const check = (
          node:
            | Deno.lint.FunctionDeclaration
            | Deno.lint.FunctionExpression
            | Deno.lint.ArrowFunctionExpression,
        ) => {
          const [start, end] = node.range;
          const lines = linesSpanned(context.sourceCode.text, start, end);
          if (lines > MAX_FUNCTION_LINES) {
            context.report({
              node,
              message: `This function spans ${lines} lines, over ${MAX_FUNCTION_LINES}.`,
              hint: "Give its steps names of their own.",
            });
          }
        };
        return {
          FunctionDeclaration: check,
          FunctionExpression: check,
          ArrowFunctionExpression: check,
        };
      },
    },
  },
};

export default plugin;
