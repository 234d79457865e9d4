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
 * `--rate <n>` events/s for the latency run (500), `--seconds <n>` (3).
 */

import { AmiPool } from "../../mod.ts";
import { AmiNatsBridge } from "../../nats.ts";
import { AmiTestServer } from "../../testing.ts";
import { AckPolicy, DeliverPolicy } from "npm:@nats-io/jetstream@3.4.0";
import { headers, jetstream, jetstreamManager } from "../../src/nats/deps.ts";
import { NatsServer } from "../../tests/support/nats_server.ts";

function option(name: string, fallback: number): number {
  const at = Deno.args.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(Deno.args[at + 1]);
}

const PBXS = option("pbxs", 10);
const EVENTS = option("events", 5_000);
const RATE = option("rate", 500);
const SECONDS = option("seconds", 3);
const WINDOW = 64;

/** A UserEvent frame of about the size of a real channel event (~400 bytes). */
function eventFields(i: number, sentAt = "0"): Record<string, string> {
  return {
    Event: "UserEvent",
    Privilege: "user,all",
    UserEvent: "Bench",
    Channel: `PJSIP/trunk-${String(i).padStart(8, "0")}`,
    ChannelState: "6",
    ChannelStateDesc: "Up",
    CallerIDNum: "+4930123456",
    CallerIDName: "Bench Caller",
    ConnectedLineNum: "+4930654321",
    Context: "from-trunk",
    Exten: "200",
    Priority: "1",
    Uniqueid: `1700000000.${i}`,
    Linkedid: `1700000000.${i}`,
    SentAt: sentAt,
  };
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 2));
}

async function freshStream(nats: NatsServer): Promise<void> {
  const connection = await nats.connect();
  const jsm = await jetstreamManager(connection);
  await jsm.streams.delete("AMI").catch(() => {});
  await connection.close();
}

/** Events/s through the bridge: emit everything, wait until JetStream acked it all. */
async function throughBridge(nats: NatsServer): Promise<number> {
  const servers = Array.from({ length: PBXS }, () => new AmiTestServer());
  for (const server of servers) server.listen({ hostname: "127.0.0.1", port: 0 });
  const pbxs = Object.fromEntries(servers.map((server, i) => [`pbx${i}`, server.url]));
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
  const before = Object.values(bridge.stats).reduce((sum, s) => sum + s.published, 0);
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    for (const server of servers) server.emit(eventFields(i));
    if (i % 500 === 499) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const total = before + EVENTS * PBXS;
  await until(() => Object.values(bridge.stats).reduce((sum, s) => sum + s.published, 0) >= total);
  const seconds = (performance.now() - started) / 1000;
  const lost = Object.values(bridge.stats).reduce((sum, s) => sum + s.lost, 0);
  if (lost > 0) throw new Error(`${lost} events were lost: raise the outbox`);
  await bridge.close();
  await pool.close();
  await connection.close();
  await Promise.all(servers.map((server) => server.close()));
  return (EVENTS * PBXS) / seconds;
}

/** Messages/s of a bare publisher: the same texts and headers, the same window per PBX. */
async function barePublisher(nats: NatsServer): Promise<number> {
  const connection = await nats.connect();
  const jsm = await jetstreamManager(connection);
  await jsm.streams.add({ name: "AMI", subjects: ["ami.*.evt.>", "ami.*.gap"] });
  const js = jetstream(connection);
  const texts = Array.from({ length: EVENTS }, (_, i) =>
    Object.entries(eventFields(i)).map(([k, v]) => `${k}: ${v}\r\n`).join("") + "\r\n"
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
        return js.publish(`ami.pbx${p}.evt.UserEvent`, text, {
          msgID: `pbx${p}:bare:${from + k}`,
          headers: fields,
        });
      }));
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  await connection.close();
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
const bridged = await throughBridge(nats);
await freshStream(nats);
const bare = await barePublisher(nats);
await freshStream(nats);
console.log(`bridge: ${Math.round(bridged)} events/s into JetStream (acked)`);
console.log(`bare JetStream publisher: ${Math.round(bare)} messages/s (acked)`);
console.log(`ratio bridge / bare: ${(bridged / bare).toFixed(2)}`);
const { p50, p99, count } = await latency(nats);
console.log(
  `latency AMI frame → JetStream consumer at ${RATE}/s (${count} events): ` +
    `p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
);
