// deno-lint-ignore-file no-console -- a benchmark script reports on the console
/**
 * Measures the live view: snapshot time for 1,000 channels, changes per
 * second the reducer sustains on the 100-call burst recording, heap after
 * 10,000 sequential short calls, what a kept value pins of its decode
 * batch with and without `detached()`, and the share of the burst's bytes
 * Asterisk still sends once the automatic server-side filters ask only for
 * the view's events.
 *
 * Run: deno run --v8-flags=--expose-gc --allow-net=127.0.0.1 --allow-read=tests/fixtures bench/live_bench.ts
 *
 * @module
 */

import { cpuUsage } from "node:process";
import { AmiClient } from "../src/client/client.ts";
import { deriveServerSelection } from "../src/events/auto_selection.ts";
import { parseEventMaskBits, privilegeBits } from "../src/events/event_classes.ts";
import { serverFiltersAllow } from "../src/events/server_filter_match.ts";
import { LIVE_EVENT_NAMES, optionalEventNames } from "../src/live/event_names.ts";
import { createLiveView } from "../src/live/live_view.ts";
import { liveSettings } from "../src/live/options.ts";
import { LiveReducer } from "../src/live/reducer.ts";
import { detached } from "../src/live/strings.ts";
import type { AmiMessage } from "../src/wire/message.ts";
import { AmiFrameParser } from "../src/wire/parser.ts";
import { SimulatedPbx } from "../testing.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --v8-flags=--expose-gc");

function heapMiB(): number {
  gc!();
  gc!();
  return Deno.memoryUsage().heapUsed / 1_048_576;
}

function parse(bytes: Uint8Array): AmiMessage[] {
  const messages: AmiMessage[] = [];
  const parser = new AmiFrameParser((message) => messages.push(message));
  parser.push(bytes);
  parser.end();
  return messages;
}

const fixture = (name: string) =>
  Deno.readFile(new URL(`../tests/fixtures/asterisk-23/${name}.server.raw`, import.meta.url));

async function snapshotOf1000Channels(): Promise<void> {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
  pbx.server.listen();
  for (let i = 0; i < 500; i++) {
    await pbx.originate({
      Channel: `PJSIP/${1000 + i}`,
      Context: "default",
      Exten: `${5000 + i}`,
      Priority: 1,
    });
  }
  await using client = await AmiClient.connect(pbx.server.url);
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    const live = await createLiveView(client);
    times.push(performance.now() - start);
    if (live.snapshot().channels.size !== 1_000) throw new Error("expected 1,000 channels");
    await live.close();
  }
  const { items } = await client.sendList({ Action: "CoreShowChannels" });
  const seeds: number[] = [];
  for (let run = 0; run < 20; run++) {
    const start = performance.now();
    new LiveReducer(liveSettings()).seedChannels(items, Date.now());
    seeds.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  seeds.sort((a, b) => a - b);
  console.log(
    `snapshot of 1,000 channels (500 bridged calls): createLiveView median ${
      times[2]!.toFixed(1)
    } ms ` +
      `(min ${times[0]!.toFixed(1)}); seeding the reducer alone median ${seeds[10]!.toFixed(2)} ms`,
  );
  for (const channel of pbx.channels) pbx.hangup(channel.name);
  await pbx.waitForIdle();
}

async function reducerThroughput(): Promise<void> {
  const events = parse(await fixture("19-burst-originate")).filter((m) =>
    m.kind === "event" && m.get("ActionID") === undefined
  );
  const rounds = 10;
  let changes = 0;
  const cpuStart = cpuUsage();
  const start = performance.now();
  for (let round = 0; round < rounds; round++) {
    const reducer = new LiveReducer(liveSettings({ variables: ["AMITEST_TAG"] }));
    for (const event of events) changes += reducer.apply(event).length;
  }
  const seconds = (performance.now() - start) / 1_000;
  const cpu = cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = (n: number, s: number) => Math.round(n / s).toLocaleString("en");
  console.log(
    `reducer on 19-burst-originate (${events.length} events x ${rounds}): ` +
      `${rate(events.length * rounds, seconds)} events/s and ${rate(changes, seconds)} changes/s ` +
      `of wall time; ${rate(events.length * rounds, cpuSeconds)} events/s and ` +
      `${rate(changes, cpuSeconds)} changes/s of CPU time`,
  );
}

async function heapAfterSequentialCalls(): Promise<void> {
  // One recorded call (16-originate-async), its ids made new for each call.
  const text = new TextDecoder().decode(await fixture("16-originate-async"));
  const body = text.slice(text.indexOf("\r\n") + 2);
  const reducer = new LiveReducer(liveSettings({ variables: ["AMITEST_TAG"] }));
  const play = (call: number) => {
    const renamed = body.replaceAll("amitest-1795490709.", `amitest-${call}.`)
      .replaceAll("ami-test-0000000", `ami-test-${call}-`);
    for (const message of parse(new TextEncoder().encode(renamed))) {
      if (message.kind === "event" && message.get("ActionID") === undefined) reducer.apply(message);
    }
  };
  for (let call = 0; call < 1_000; call++) play(call);
  const start = heapMiB();
  for (let call = 1_000; call < 11_000; call++) play(call);
  const end = heapMiB();
  console.log(
    `heap after 10,000 sequential calls: ${start.toFixed(1)} MiB -> ${end.toFixed(1)} MiB ` +
      `(${(end - start).toFixed(1)} MiB; ${reducer.tombstones.size} tombstones, ` +
      `${[...reducer.calls.calls()].length} ended calls kept, ${reducer.channels.size} channels)`,
  );
}

function pinnedBytes(): void {
  // 1,000 batches of 64 frames; one value kept from each batch.
  const frame = (i: number) =>
    `Event: Newexten\r\nChannel: PJSIP/${i}-00000001\r\nUniqueid: pinned-${i}.1\r\n` +
    `AppData: ${"x".repeat(40)}\r\n${"Padding: ".concat("y".repeat(60), "\r\n").repeat(8)}\r\n`;
  const keep = (copy: (text: string) => string) => {
    const kept: string[] = [];
    const before = heapMiB();
    for (let batch = 0; batch < 1_000; batch++) {
      let text = "";
      for (let i = 0; i < 64; i++) text += frame(batch * 64 + i);
      const messages = parse(new TextEncoder().encode(text));
      kept.push(copy(messages[0]!.get("Uniqueid")!));
    }
    const after = heapMiB();
    if (kept.length !== 1_000) throw new Error("lost values");
    return after - before;
  };
  const asIs = keep((text) => text);
  const copied = keep(detached);
  console.log(
    `1,000 kept values, one per 40 KiB batch: as read ${asIs.toFixed(2)} MiB retained, ` +
      `detached ${copied.toFixed(2)} MiB retained`,
  );
}

async function serverFilterShare(names: readonly string[], label: string): Promise<void> {
  const raw = await fixture("19-burst-originate");
  const selection = deriveServerSelection([names]);
  const rules = selection.filters.map((filter) => filter.rule);
  const mask = parseEventMaskBits(selection.eventMask) ?? 0;
  const encoder = new TextEncoder();
  let all = 0;
  let sent = 0;
  for (const message of parse(raw)) {
    const text = message.toString();
    const bytes = encoder.encode(text).length;
    all += bytes;
    const needed = privilegeBits(message.get("Privilege") ?? "");
    const passes = message.kind !== "event" ||
      ((mask & needed) === needed && serverFiltersAllow(rules, message.name, text));
    if (passes) sent += bytes;
  }
  console.log(
    `server-side filters for a view ${label} (${names.length} event names) on ` +
      `19-burst-originate: Asterisk sends ${sent} of ${all} bytes (${
        (100 * sent / all).toFixed(1)
      }%)`,
  );
}

await snapshotOf1000Channels();
await reducerThroughput();
await heapAfterSequentialCalls();
pinnedBytes();
await serverFilterShare(LIVE_EVENT_NAMES, "with default options");
const everything = { variables: true, dialplan: true, queues: false, devices: false, hints: false };
await serverFilterShare(
  [...LIVE_EVENT_NAMES, ...optionalEventNames(everything)],
  "with variables and dialplan",
);
