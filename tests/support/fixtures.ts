/**
 * Loads the Asterisk 23 recordings in `tests/fixtures/asterisk-23`. Paths are
 * resolved from this file, so the tests run from any working directory with
 * `--allow-read=tests/fixtures` only.
 *
 * @module
 */

const FIXTURE_DIR = new URL("../fixtures/asterisk-23/", import.meta.url);

/** One scenario's entry in `index.json`. */
export interface ScenarioInfo {
  /** The scenario name, e.g. `04-ping`. */
  name: string;
  /** The size of `<name>.server.raw`. */
  server_bytes: number;
  /** The size of `<name>.client.raw`. */
  client_bytes: number;
  /** The banner line the server sent. */
  banner: string;
  /** How many messages follow the banner in `<name>.server.raw`. */
  messages: number;
  /** Who closed the connection first. */
  closed_by: "client" | "server";
  /** What the scenario shows. */
  description: string;
}

/** `index.json`: the list of scenarios. */
export interface FixtureIndex {
  /** The banner every recording starts with. */
  ami_banner: string;
  /** Every scenario, in recording order. */
  scenarios: ScenarioInfo[];
}

/** One place where a quirk occurs, from `quirks.json`. */
export interface QuirkExample {
  /** The `.server.raw` file name. */
  file: string;
  /** The byte offset of the frame that holds the quirk. */
  offset: number;
  /** The line concerned. */
  line: string;
  /** More about the case, when given. */
  detail?: string;
}

/** One quirk's findings in `quirks.json`. */
export interface QuirkFinding {
  /** What the quirk is. */
  description: string;
  /** How often it occurs in all recordings. */
  count: number;
  /** How often it occurs per file. */
  files: Record<string, number>;
  /** Some occurrences, with file and offset. */
  examples: QuirkExample[];
}

/** `quirks.json`: the wire quirks found in the recordings. */
export interface FixtureQuirks {
  /** Findings by quirk name (`bare_lf`, `extra_blank_line`, ...). */
  findings: Record<string, QuirkFinding>;
}

/** One `recv()` or `send()` of a recording, or the end of the connection. */
export interface TimelineEntry {
  /** Seconds since connect. */
  t: number;
  /** `s2c` for bytes the server sent, `c2s` for bytes the client sent. */
  dir: "s2c" | "c2s";
  /** The byte offset into the `.raw` file of that direction. */
  off?: number;
  /** How many bytes were read or written. */
  len?: number;
  /** Set on the last entry, when the connection closed. */
  eof?: true;
}

/** Reads a file of the fixture directory as bytes. */
export function readFixtureBytes(file: string): Promise<Uint8Array> {
  return Deno.readFile(new URL(file, FIXTURE_DIR));
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await readFixtureBytes(file))) as T;
}

/** Reads `index.json`. */
export function readIndex(): Promise<FixtureIndex> {
  return readJson<FixtureIndex>("index.json");
}

/** Reads `quirks.json`. */
export function readQuirks(): Promise<FixtureQuirks> {
  return readJson<FixtureQuirks>("quirks.json");
}

/** Every byte the server sent in a scenario, banner first. */
export function readServerBytes(name: string): Promise<Uint8Array> {
  return readFixtureBytes(`${name}.server.raw`);
}

/** Every byte the client sent in a scenario. */
export function readClientBytes(name: string): Promise<Uint8Array> {
  return readFixtureBytes(`${name}.client.raw`);
}

/** The timeline of a scenario, one entry per `recv()`/`send()`, then the close. */
export async function readTimeline(name: string): Promise<TimelineEntry[]> {
  const text = new TextDecoder().decode(await readFixtureBytes(`${name}.timeline.jsonl`));
  return text.split("\n").filter((line) => line.trim() !== "").map((line) =>
    JSON.parse(line) as TimelineEntry
  );
}

/**
 * Splits `bytes` the way they arrived: one chunk per `recv()` in the given
 * direction. Throws when the recorded chunks do not tile the file exactly.
 */
export function recordedChunks(
  bytes: Uint8Array,
  timeline: readonly TimelineEntry[],
  dir: "s2c" | "c2s",
): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let expected = 0;
  for (const entry of timeline) {
    if (entry.dir !== dir || entry.eof) continue;
    const { off, len } = entry;
    if (off !== expected || len === undefined) {
      throw new Error(`the ${dir} timeline has a gap or overlap at offset ${expected}`);
    }
    chunks.push(bytes.subarray(off, off + len));
    expected = off + len;
  }
  if (expected !== bytes.length) {
    throw new Error(`the ${dir} timeline covers ${expected} of ${bytes.length} bytes`);
  }
  return chunks;
}
