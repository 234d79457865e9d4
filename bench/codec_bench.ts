/**
 * Microbenchmarks of the wire codec: the frame parser (bytes to messages)
 * and the action encoder, each against a naive baseline in the same group.
 *
 * Run with `deno task bench`.
 *
 * @module
 */

import {
  type AmiEvent,
  AmiFrameParser,
  type AmiMessage,
  encodeAction,
  serializeAction,
} from "../mod.ts";
import { BURST_RECORDING, chunked, syntheticBlock } from "./corpus.ts";

/** Socket-sized reads: what the client's reader hands the parser. */
const CHUNK_BYTES = 64 * 1024;
const SYNTHETIC_EVENTS = 20_000;

const burst = Deno.readFileSync(BURST_RECORDING);
const burstChunks = chunked(burst, CHUNK_BYTES);
const synthetic = syntheticBlock(SYNTHETIC_EVENTS).bytes;
const syntheticChunks = chunked(synthetic, CHUNK_BYTES);

/**
 * What is read of each message: nothing (framing, decoding and building the
 * message), one field by name, several fields as a consumer reads them
 * (five properties and a repeated key), or every field in order (what the
 * naive parser always does).
 */
type Reading = "none" | "one" | "several" | "all";

/** Parses every chunk with @x/ami; returns how many messages came out. */
function parseWithAmi(chunks: Uint8Array[], banner: boolean, reading: Reading = "none"): number {
  let count = 0;
  let touched = 0;
  const parser = new AmiFrameParser((message: AmiMessage) => {
    count++;
    if (reading === "one") {
      touched += message.get("Uniqueid")?.length ?? 0;
    } else if (reading === "several") {
      touched += readSeveral(message as AmiEvent);
    } else if (reading === "all") {
      for (const [key, value] of message) touched += key.length + value.length;
    }
  }, { banner });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  if (reading !== "none" && touched === 0) throw new Error("no field was read");
  return count;
}

/** What a typical consumer reads of an event: five fields and every ChanVariable. */
function readSeveral(event: AmiEvent): number {
  return (event.Event?.length ?? 0) + (event.Channel?.length ?? 0) +
    (event.Uniqueid?.length ?? 0) + (event.Linkedid?.length ?? 0) +
    (event.CallerIDName?.length ?? 0) + event.getAll("ChanVariable").length;
}

/**
 * The naive way most AMI clients do it: decode to text, split on the empty
 * line, then on line ends, then at the first `": "`; the last value of a
 * repeated key wins. It mishandles every quirk the real parser handles.
 */
function parseNaively(chunks: Uint8Array[], banner: boolean): number {
  const decoder = new TextDecoder();
  let count = 0;
  let pending = "";
  let skipBanner = banner;
  for (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    if (skipBanner) {
      const eol = pending.indexOf("\r\n");
      if (eol < 0) continue;
      pending = pending.slice(eol + 2);
      skipBanner = false;
    }
    const frames = pending.split("\r\n\r\n");
    pending = frames.pop()!;
    for (const frame of frames) {
      const message: Record<string, string> = {};
      for (const line of frame.split("\r\n")) {
        const colon = line.indexOf(": ");
        if (colon > 0) message[line.slice(0, colon)] = line.slice(colon + 2);
      }
      count++;
    }
  }
  return count;
}

// Each benchmark must see every frame; a parser that drops frames would look fast.
const burstFrames = parseWithAmi(burstChunks, true);
if (parseNaively(burstChunks, true) !== burstFrames) throw new Error("naive parse disagrees");
const syntheticFrames = parseWithAmi(syntheticChunks, false);
if (syntheticFrames !== SYNTHETIC_EVENTS) throw new Error("synthetic parse lost events");

const READINGS: Record<Reading, string> = {
  none: "no field read",
  one: "one field read (get)",
  several: "five properties and getAll read",
  all: "every field read",
};

function expect(actual: number, wanted: number): void {
  if (actual !== wanted) throw new Error(`parsed ${actual} frames, expected ${wanted}`);
}

/** A group: the naive baseline, then @x/ami reading no field, one field and every field. */
function parserGroup(group: string, chunks: Uint8Array[], banner: boolean, frames: number): void {
  Deno.bench({
    name: "naive: split on the empty line, then on lines",
    group,
    baseline: true,
    fn: () => expect(parseNaively(chunks, banner), frames),
  });
  for (const reading of ["none", "one", "several", "all"] as const) {
    Deno.bench({
      name: `@x/ami AmiFrameParser, ${READINGS[reading]}`,
      group,
      fn: () => expect(parseWithAmi(chunks, banner, reading), frames),
    });
  }
}

parserGroup(
  `parse the burst recording (${(burst.length / 1e6).toFixed(1)} MB, ${
    burstFrames.toLocaleString("en")
  } frames, 64 KiB reads)`,
  burstChunks,
  true,
  burstFrames,
);
const syntheticGroup = `parse synthetic events (${(synthetic.length / 1e6).toFixed(1)} MB, ${
  SYNTHETIC_EVENTS.toLocaleString("en")
} events, 64 KiB reads)`;
parserGroup(syntheticGroup, syntheticChunks, false, SYNTHETIC_EVENTS);
Deno.bench({
  name: "@x/ami AmiFrameParser, whole input in one chunk, every field read",
  group: syntheticGroup,
  fn: () => expect(parseWithAmi([synthetic], false, "all"), SYNTHETIC_EVENTS),
});

const originate = {
  Action: "Originate",
  ActionID: "bench.1",
  Channel: "PJSIP/2001",
  Context: "from-internal",
  Exten: "2002",
  Priority: 1,
  CallerID: "José Müller <2001>",
  Timeout: 30000,
  Async: true,
  Variable: ["CALLERNAME=José", "TAG=burst", "ATTEMPT=1"],
};

/** The naive serializer: concatenation with no checks at all (header injection included). */
function serializeNaively(action: Record<string, unknown>): string {
  let text = "";
  for (const key in action) {
    const value = action[key];
    if (Array.isArray(value)) { for (const item of value) text += key + ": " + item + "\r\n"; }
    else text += key + ": " + value + "\r\n";
  }
  return text + "\r\n";
}
const naiveEncoder = new TextEncoder();

const ping = { Action: "Ping", ActionID: "bench.2" };
if (serializeNaively(originate) !== serializeAction(originate)) {
  throw new Error("the naive serializer writes another frame");
}

Deno.bench({
  name: "naive: concatenate, no checks",
  group: "serialize an Originate action to text",
  baseline: true,
  fn: () => {
    serializeNaively(originate);
  },
});
Deno.bench({
  name: "@x/ami serializeAction (checked)",
  group: "serialize an Originate action to text",
  fn: () => {
    serializeAction(originate);
  },
});
Deno.bench({
  name: "naive: concatenate, no checks, then TextEncoder",
  group: "encode an Originate action to bytes",
  baseline: true,
  fn: () => {
    naiveEncoder.encode(serializeNaively(originate));
  },
});
Deno.bench({
  name: "@x/ami encodeAction (checked)",
  group: "encode an Originate action to bytes",
  fn: () => {
    encodeAction(originate);
  },
});
Deno.bench({
  name: "naive: concatenate, no checks",
  group: "serialize a Ping action to text",
  baseline: true,
  fn: () => {
    serializeNaively(ping);
  },
});
Deno.bench({
  name: "@x/ami serializeAction (checked)",
  group: "serialize a Ping action to text",
  fn: () => {
    serializeAction(ping);
  },
});
