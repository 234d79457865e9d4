// deno-lint-ignore-file no-console -- a command-line check reports on the console
/**
 * Fails when an import in `src/` runs up a layer or closes a cycle.
 *
 * The layers, lowest first, are listed in {@linkcode LAYERS}: a module may
 * import modules of its own layer or of a lower one, never of a higher one,
 * and the graph of modules (static, type-only and dynamic imports alike) has
 * no cycle. Entry points (`mod.ts`, `testing.ts`, …) sit above every layer;
 * `src/` never imports them. Run with `deno task check:layers`.
 *
 * @module
 */

/** Path prefixes under `src/`, lowest layer first; the longest matching prefix wins. */
export const LAYERS: readonly (readonly string[])[] = [
  ["src/_util/"],
  ["src/wire/fields.ts", "src/wire/message.ts", "src/wire/message_types.ts"],
  ["src/errors.ts"],
  ["src/wire/"],
  ["src/types/fields.ts"],
  ["src/generated/"],
  ["src/types/"],
  ["src/transport/"],
  ["src/connection/"],
  ["src/events/"],
  ["src/live/"],
  ["src/client/"],
  ["src/pool/"],
  ["src/nats/"],
  ["src/testing/"],
  ["src/cli/"],
];

const IMPORT_REGEXP =
  /^(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|^import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;

/** The layer of a path relative to the repository root, or `undefined` outside `src/`. */
export function layerOf(path: string): number | undefined {
  let best: { layer: number; length: number } | undefined;
  LAYERS.forEach((prefixes, layer) => {
    for (const prefix of prefixes) {
      const matches = prefix.endsWith("/") ? path.startsWith(prefix) : path === prefix;
      if (matches && (best === undefined || prefix.length > best.length)) {
        best = { layer, length: prefix.length };
      }
    }
  });
  return best?.layer;
}

/** The relative imports of a module's source text, as paths relative to the root. */
export function importsOf(path: string, source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(IMPORT_REGEXP)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier === undefined || !specifier.startsWith(".")) continue;
    found.push(new URL(specifier, `file:///${path}`).pathname.slice(1));
  }
  return found;
}

/** Every problem in a graph of modules: upward imports and cycles. */
export function problemsOf(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  for (const [from, targets] of graph) {
    const fromLayer = layerOf(from);
    for (const to of targets) {
      if (!from.startsWith("src/")) continue;
      const toLayer = layerOf(to);
      if (!to.startsWith("src/")) {
        problems.push(`${from} imports ${to}, which is outside src/`);
      } else if (fromLayer === undefined) {
        problems.push(`${from} is in no layer: add its folder to LAYERS`);
      } else if (toLayer === undefined || toLayer > fromLayer) {
        problems.push(`${from} imports ${to}, which is in a higher layer`);
      }
    }
  }
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "visiting");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "visiting") {
        problems.push(`import cycle: ${[...stack.slice(stack.indexOf(next)), next].join(" -> ")}`);
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return problems;
}

async function sourcesUnder(dir: string, out: Map<string, string>): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) await sourcesUnder(path, out);
    else if (entry.name.endsWith(".ts")) out.set(path, await Deno.readTextFile(path));
  }
}

if (import.meta.main) {
  const sources = new Map<string, string>();
  await sourcesUnder("src", sources);
  for await (const entry of Deno.readDir(".")) {
    if (entry.isFile && entry.name.endsWith(".ts")) {
      sources.set(entry.name, await Deno.readTextFile(entry.name));
    }
  }
  const graph = new Map<string, string[]>();
  for (const [path, source] of sources) graph.set(path, importsOf(path, source));
  const problems = problemsOf(graph);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) Deno.exit(1);
  console.log(`layers: ${sources.size} modules, no upward import, no cycle`);
}
