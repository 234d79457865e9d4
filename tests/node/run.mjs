// Runs the Node.js tests (tests/node/*.node.mts) with node's test runner under a pinned tsx.
//
// tsx compiles a .ts file as CommonJS unless a package.json says "type": "module", and the
// project has no package.json (it is a Deno project). So the sources are copied to a temporary
// folder that has one, and the tests run there, loading the library as ES modules, as JSR's
// npm compatibility layer serves it. Nothing is left behind; the exit code is the runner's.
//
// Usage: node tests/node/run.mjs   (or: deno task test:node)

import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const TSX = "tsx@4.23.15";
const COPIED = ["mod.ts", "cli.ts", "testing.ts", "src", "tests/node", "tests/fixtures"];

const root = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "ami-node-tests-"));
try {
  for (const path of COPIED) cpSync(join(root, path), join(work, path), { recursive: true });
  writeFileSync(join(work, "package.json"), JSON.stringify({ private: true, type: "module" }));
  const files = readdirSync(join(work, "tests", "node"))
    .filter((name) => name.endsWith(".node.mts"))
    .sort()
    .map((name) => join("tests", "node", name));
  const run = spawnSync("npx", ["--yes", TSX, "--test", "--test-timeout=60000", ...files], {
    cwd: work,
    stdio: "inherit",
    shell: process.platform === "win32",
  });
  if (run.error) process.stderr.write(`could not start npx: ${run.error.message}\n`);
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
