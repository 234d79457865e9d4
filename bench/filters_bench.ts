/**
 * Server-side filters on the 100-call burst recording (`19-burst-originate`):
 * how many bytes Asterisk would send with the filters and mask that
 * `serverFilters: "auto"` derives for a consumer of channel, bridge and dial
 * events, against the same session without them; and what evaluating the
 * filters costs per event (the client predicts with the same code).
 *
 * Run with `deno task bench` (or `deno bench --allow-read=tests/fixtures
 * bench/filters_bench.ts`). Loading the file prints the byte ratio and fails
 * if the filters do not cut the bytes by at least half.
 *
 * @module
 */

import { AmiFrameParser, type AmiMessage, deriveServerSelection } from "../mod.ts";
import { parseEventMaskBits, privilegeBits } from "../src/events/event_classes.ts";
import { serverFiltersAllow } from "../src/events/server_filter_match.ts";
import { BURST_RECORDING } from "./corpus.ts";

/** A consumer of channel, bridge and dial events, as a live view or wallboard would ask. */
const CHANNEL_BRIDGE_DIAL = [
  "Newchannel",
  "Newstate",
  "NewCallerid",
  "NewConnectedLine",
  "NewAccountCode",
  "Hangup",
  "HangupRequest",
  "SoftHangupRequest",
  "Hold",
  "Unhold",
  "Rename",
  "LocalBridge",
  "LocalOptimizationBegin",
  "LocalOptimizationEnd",
  "BridgeCreate",
  "BridgeDestroy",
  "BridgeEnter",
  "BridgeLeave",
  "BridgeMerge",
  "DialBegin",
  "DialState",
  "DialEnd",
];

const raw = Deno.readFileSync(BURST_RECORDING);
const messages: AmiMessage[] = [];
const parser = new AmiFrameParser((message) => messages.push(message));
parser.push(raw);
parser.end();

const selection = deriveServerSelection([CHANNEL_BRIDGE_DIAL]);
const rules = selection.filters.map((filter) => filter.rule);
const mask = parseEventMaskBits(selection.eventMask) ?? 0;
const encoder = new TextEncoder();
const texts = messages.map((message) => message.toString());

/** Whether Asterisk sends this message to the filtered session (responses always go). */
function sent(message: AmiMessage, text: string): boolean {
  if (message.kind !== "event") return true;
  const needed = privilegeBits(message.get("Privilege") ?? "");
  return (mask & needed) === needed && serverFiltersAllow(rules, message.name, text);
}

const bannerBytes = raw.length - texts.reduce((sum, text) => sum + encoder.encode(text).length, 0);
let unfiltered = bannerBytes;
let filtered = bannerBytes;
let eventsSent = 0;
messages.forEach((message, i) => {
  const bytes = encoder.encode(texts[i]!).length;
  unfiltered += bytes;
  if (sent(message, texts[i]!)) {
    filtered += bytes;
    if (message.kind === "event") eventsSent++;
  }
});
const ratio = unfiltered / filtered;
Deno.stdout.writeSync(encoder.encode(
  `filters_bench: ${selection.filters.length} include filters, EventMask ${selection.eventMask}; ` +
    `Asterisk sends ${filtered} of ${unfiltered} bytes (${eventsSent} events; ` +
    `${messages.length} messages unfiltered), ${ratio.toFixed(2)}x fewer bytes\n`,
));
if (unfiltered !== raw.length) {
  throw new Error("the parsed messages do not add up to the recording");
}
if (ratio < 2) throw new Error(`automatic filters cut the bytes only ${ratio.toFixed(2)}x`);

Deno.bench({
  name: "auto filters: Asterisk's filter evaluation over the burst (per recording)",
  group: "server filters",
  baseline: true,
  fn() {
    let count = 0;
    for (let i = 0; i < messages.length; i++) if (sent(messages[i]!, texts[i]!)) count++;
    if (count === 0) throw new Error("nothing sent");
  },
});

Deno.bench({
  name: "auto filters: deriving the selection for the consumer",
  group: "derive",
  fn() {
    if (deriveServerSelection([CHANNEL_BRIDGE_DIAL]).filters.length === 0) throw new Error();
  },
});
