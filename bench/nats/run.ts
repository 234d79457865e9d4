// deno-lint-ignore-file no-console -- a benchmark reports on the console
/**
 * The NATS bridge, measured (`deno task bench:nats`): events/s from 10
 * simulated PBXs through `AmiNatsBridge` into JetStream, against the same
 * messages published by a bare JetStream publisher with the same window,
 * and the latency from the AMI frame written by the PBX to a JetStream
 * consumer, p50 and p99. Starts its own nats-server (Debian's package) on
 * 127.0.0.1 with a temporary store.
 *
 * Options: `--events <n>` per PBX (default 5000), `--pbxs <n>` (10),
 * `--rate <n>` events/s for the latency run (500), `--seconds <n>` (3),
 * `--rounds <n>` alternating rounds of bridge and bare publisher (3).
 */

import { AmiPool } from "../../mod.ts";
import { AmiNatsBridge } from "../../nats.ts";
import { AmiTestServer } from "../../testing.ts";
import { AckPolicy, DeliverPolicy } from "npm:@nats-io/jetstream@3.4.0";
import { headers, jetstream, jetstreamManager } from "../../src/nats/deps.ts";
import { NatsServer } from "../../tests/support/nats_server.ts";
import { ensureStream } from "../../src/nats/stream.ts";
import { eventFields } from "./events.ts";

function option(name: string, fallback: number): number {
  const at = Deno.args.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(Deno.args[at + 1]);
}

const PBXS = option("pbxs", 10);
const EVENTS = option("events", 5_000);
const RATE = option("rate", 500);
const SECONDS = option("seconds", 3);
const ROUNDS = option("rounds", 3);
const WINDOW = 64;

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 2));
}

async function freshStream(nats: NatsServer): Promise<void> {
  const connection = await nats.connect();
  const jsm = await jetstreamManager(connection);
  await jsm.streams.delete("AMI").catch(() => {});
  await connection.close();
}

/** Asks the PBX worker something and waits for its answer. */
function ask<T>(worker: Worker, message: unknown): Promise<T> {
  return new Promise((resolve) => {
    worker.onmessage = (answer) => resolve(answer.data as T);
    worker.postMessage(message);
  });
}

/** Events/s through the bridge: the PBXs (in a worker) emit, JetStream acknowledges all. */
async function throughBridge(nats: NatsServer): Promise<number> {
  const worker = new Worker(new URL("./pbx_worker.ts", import.meta.url), { type: "module" });
  const { urls } = await ask<{ urls: string[] }>(worker, { pbxs: PBXS });
  const pbxs = Object.fromEntries(urls.map((url, i) => [`pbx${i}`, url]));
  const pool = new AmiPool({ pbxs });
  await pool.ready();
  const connection = await nats.connect();
  const bridge = await AmiNatsBridge.start({
    pool,
    nats: connection,
    window: WINDOW,
    outbox: { maxEvents: EVENTS + 100 },
  });
  await new Promise((resolve) => setTimeout(resolve, 200)); // FullyBooted, if it came after
  const published = () => Object.values(bridge.stats).reduce((sum, s) => sum + s.published, 0);
  const total = published() + EVENTS * PBXS;
  const started = performance.now();
  await ask(worker, { emit: EVENTS, from: 0 });
  const emitted = (performance.now() - started) / 1000;
  await until(() => published() >= total);
  const seconds = (performance.now() - started) / 1000;
  const stats = Object.values(bridge.stats);
  const lost = stats.reduce((sum, s) => sum + s.lost, 0);
  if (lost > 0) throw new Error(`${lost} events were lost: raise the outbox`);
  const retries = stats.reduce((sum, s) => sum + s.retries, 0);
  console.log(
    `  bridge round: ${Math.round((EVENTS * PBXS) / seconds)} events/s, ${retries} retries; ` +
      `the PBXs wrote them in ${emitted.toFixed(2)} s, all acked after ${seconds.toFixed(2)} s`,
  );
  await bridge.close();
  await pool.close();
  await connection.close();
  await ask(worker, { close: true });
  worker.terminate();
  return (EVENTS * PBXS) / seconds;
}

/** Messages/s of a bare publisher: the same texts, headers and stream, the same window per PBX. */
async function barePublisher(nats: NatsServer): Promise<number> {
  const connection = await nats.connect();
  const jsm = await jetstreamManager(connection);
  await ensureStream(jsm, "ami", {}); // the stream the bridge makes, limits and all
  const js = jetstream(connection);
  const texts = Array.from(
    { length: EVENTS },
    (_, i) => Object.entries(eventFields(i)).map(([k, v]) => `${k}: ${v}\r\n`).join("") + "\r\n",
  );
  const started = performance.now();
  await Promise.all(Array.from({ length: PBXS }, async (_, p) => {
    for (let from = 0; from < EVENTS; from += WINDOW) {
      const batch = texts.slice(from, from + WINDOW);
      await Promise.all(batch.map((text, k) => {
        const fields = headers();
        fields.set("Ami-Pbx", `pbx${p}`);
        fields.set("Ami-Event", "UserEvent");
        fields.set("Ami-Seq", String(from + k));
        fields.set("Ami-Epoch", "abcdefabcdef");
        fields.set("Ami-Uniqueid", `1700000000.${from + k}`);
        fields.set("Ami-Linkedid", `1700000000.${from + k}`);
        return js.publish(`ami.pbx${p}.evt.UserEvent`, text, {
          msgID: `pbx${p}:bare:${from + k}`,
          headers: fields,
        });
      }));
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  await connection.close();
  console.log(`  bare round: ${Math.round((EVENTS * PBXS) / seconds)} messages/s`);
  return (EVENTS * PBXS) / seconds;
}

/** Latency from the PBX writing the frame to a JetStream consumer receiving it. */
async function latency(nats: NatsServer): Promise<{ p50: number; p99: number; count: number }> {
  await using server = new AmiTestServer();
  server.listen({ hostname: "127.0.0.1", port: 0 });
  await using pool = new AmiPool({ pbxs: { pbx0: server.url } });
  await pool.ready();
  const connection = await nats.connect();
  const bridge = await AmiNatsBridge.start({ pool, nats: connection });
  const reader = await nats.connect();
  await (await jetstreamManager(reader)).consumers.add("AMI", {
    durable_name: "latency",
    filter_subject: "ami.pbx0.evt.UserEvent",
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.New,
  });
  const consumer = await jetstream(reader).consumers.get("AMI", "latency");
  const samples: number[] = [];
  const messages = await consumer.consume();
  const reading = (async () => {
    for await (const message of messages) {
      const sentAt = /SentAt: ([\d.]+)/.exec(message.string())?.[1];
      if (sentAt !== undefined) samples.push(performance.now() - Number(sentAt));
    }
  })();
  const total = RATE * SECONDS;
  const gap = 1000 / RATE;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + i * gap;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    server.emit(eventFields(i, String(performance.now())));
  }
  await until(() => samples.length >= total);
  await messages.close();
  await reading;
  await bridge.close();
  await reader.close();
  await connection.close();
  samples.sort((x, y) => x - y);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p99: at(0.99), count: samples.length };
}

await using nats = await NatsServer.start();
console.log(`${PBXS} PBXs × ${EVENTS} events, window ${WINDOW}, nats-server on 127.0.0.1`);
// Alternating rounds, so that both sides see the same load on a shared machine; medians reported.
const bridgeRates: number[] = [];
const bareRates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  bridgeRates.push(await throughBridge(nats));
  await freshStream(nats);
  bareRates.push(await barePublisher(nats));
  await freshStream(nats);
}
const median = (values: number[]) => [...values].sort((x, y) => x - y)[values.length >> 1]!;
const bridged = median(bridgeRates);
const bare = median(bareRates);
console.log(`bridge: ${Math.round(bridged)} events/s into JetStream, acknowledged (median)`);
console.log(`bare JetStream publisher: ${Math.round(bare)} messages/s, acknowledged (median)`);
console.log(`ratio bridge / bare: ${(bridged / bare).toFixed(2)}`);
const { p50, p99, count } = await latency(nats);
console.log(
  `latency AMI frame → JetStream consumer at ${RATE}/s (${count} events): ` +
    `p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
);
