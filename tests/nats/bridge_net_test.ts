import assert from "node:assert/strict";
import { AmiPool, type AmiPoolOptions } from "../../mod.ts";
import {
  type AmiBridgeGap,
  type AmiJetStreamPublish,
  AmiNatsBridge,
  type AmiNatsBridgeOptions,
} from "../../nats.ts";
import { AmiTestServer, SimulatedPbx } from "../../testing.ts";
import { headers, jetstream, jetstreamManager, type NatsConnection } from "../../src/nats/deps.ts";
import { NatsServer } from "../support/nats_server.ts";
import { until } from "../support/until.ts";

// Every event on from the login: events emitted right after the bridge starts reach it (by default
// a client turns events on only once a consumer exists).
const defaults: NonNullable<AmiPoolOptions["defaults"]> = {
  events: "on",
  reconnect: { initialDelay: 2, maxDelay: 20, jitter: 0 },
  connectTimeout: 2_000,
};

interface Stored {
  subject: string;
  text: string;
  headers: Record<string, string>;
}

/** Every message in the stream, in stream order. */
async function storedMessages(nats: NatsConnection, stream = "AMI"): Promise<Stored[]> {
  const jsm = await jetstreamManager(nats);
  const { state } = await jsm.streams.info(stream);
  const messages: Stored[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage(stream, { seq });
    if (message === null) continue;
    const headers: Record<string, string> = {};
    for (const [key, values] of message.header ?? []) headers[key] = values[0] ?? "";
    messages.push({ subject: message.subject, text: message.string(), headers });
  }
  return messages;
}

/** A pool, a NATS connection and a bridge, closed in the right order. */
async function bridged(
  nats: NatsServer,
  pbxs: Record<string, string>,
  options: Partial<AmiNatsBridgeOptions> = {},
  user: { user?: string; pass?: string } = {},
) {
  const pool = new AmiPool({ pbxs, defaults });
  await pool.ready();
  const connection = await nats.connect(user);
  const bridge = await AmiNatsBridge.start({
    pool,
    nats: connection,
    stream: { maxBytes: 16 * 1024 * 1024 },
    ...options,
  });
  return {
    pool,
    connection,
    bridge,
    async [Symbol.asyncDispose]() {
      await bridge.close({ flushTimeout: 1_000 });
      await pool.close();
      await connection.close();
    },
  };
}

/** How many messages the stream holds on `subject`. */
async function storedOn(nats: NatsConnection, subject: string): Promise<number> {
  const jsm = await jetstreamManager(nats);
  const info = await jsm.streams.info("AMI", { subjects_filter: subject });
  return Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
}

function userEvents(stored: Stored[], pbx: string): Stored[] {
  return stored.filter((m) => m.subject === `ami.${pbx}.evt.UserEvent`);
}

Deno.test("the bridge publishes every event of several simulated PBXs, each with its subject, headers and own text", async () => {
  await using nats = await NatsServer.start();
  const pbxs = ["pbx-a", "pbx-b", "pbx-c"].map(() => new SimulatedPbx({ callDurationMs: 5 }));
  for (const pbx of pbxs) pbx.server.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    await using run = await bridged(nats, {
      "pbx-a": pbxs[0]!.server.url,
      "pbx-b": pbxs[1]!.server.url,
      "pbx-c": pbxs[2]!.server.url,
    });
    await Promise.all(
      pbxs.map((pbx, i) =>
        pbx.originate({ Channel: `PJSIP/10${i}`, Context: "default", Exten: "200", Priority: 1 })
      ),
    );
    await Promise.all(pbxs.map((pbx) => pbx.waitForIdle()));
    for (const name of ["pbx-a", "pbx-b", "pbx-c"]) {
      await until(async () => await storedOn(run.connection, `ami.${name}.evt.Cdr`) > 0, name);
    }
    const stored = await storedMessages(run.connection);
    for (const name of ["pbx-a", "pbx-b", "pbx-c"]) {
      const mine = stored.filter((m) => m.headers["Ami-Pbx"] === name);
      assert.ok(mine.some((m) => m.subject === `ami.${name}.evt.Hangup`), name);
      // The client's seq: increasing in the order frames were read (responses are numbered too).
      const seqs = mine.map((m) => Number(m.headers["Ami-Seq"]));
      assert.ok(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!), name);
      for (const message of mine) {
        const event = message.headers["Ami-Event"]!;
        assert.equal(message.subject, `ami.${name}.evt.${event}`);
        assert.ok(message.text.startsWith(`Event: ${event}\r\n`), message.text);
        assert.ok(message.text.endsWith("\r\n\r\n"));
        const { "Ami-Epoch": epoch, "Ami-Seq": seq } = message.headers;
        assert.equal(message.headers["Nats-Msg-Id"], `${name}:${epoch}:${seq}`);
      }
      const hangup = mine.find((m) => m.headers["Ami-Event"] === "Hangup")!;
      assert.ok(hangup.headers["Ami-Uniqueid"] !== undefined && hangup.headers["Ami-Linkedid"]);
    }
  } finally {
    await Promise.all(pbxs.map((pbx) => pbx.close()));
  }
});

Deno.test("a durable consumer that restarts replays from its last acknowledged position", async () => {
  await using nats = await NatsServer.start();
  await using server = new AmiTestServer();
  server.listen({ hostname: "127.0.0.1", port: 0 });
  await using run = await bridged(nats, { a: server.url });
  for (let i = 1; i <= 6; i++) server.emit({ Event: "UserEvent", UserEvent: `e${i}` });
  await until(
    async () => await storedOn(run.connection, "ami.a.evt.UserEvent") === 6,
    "six are stored",
  );
  const jsm = await jetstreamManager(run.connection);
  await jsm.consumers.add("AMI", {
    durable_name: "wallboard",
    ack_policy: "explicit" as never,
    filter_subject: "ami.a.evt.UserEvent",
  });
  const read = async (connection: NatsConnection, count: number, ack: boolean) => {
    const consumer = await jetstream(connection).consumers.get("AMI", "wallboard");
    const seen: string[] = [];
    for (let i = 0; i < count; i++) {
      const message = await consumer.next({ expires: 2_000 });
      assert.ok(message !== null);
      seen.push(/UserEvent: (\w+)/.exec(message.string())![1]!);
      if (ack) await message.ackAck();
    }
    return seen;
  };
  const first = await nats.connect();
  assert.deepEqual(await read(first, 4, true), ["e1", "e2", "e3", "e4"]);
  await first.close(); // the consumer's process goes away
  const second = await nats.connect();
  assert.deepEqual(await read(second, 2, true), ["e5", "e6"]);
  await second.close();
});

Deno.test("a publish retried after a lost ack is stored once, thanks to Nats-Msg-Id", async () => {
  await using nats = await NatsServer.start();
  await using server = new AmiTestServer();
  server.listen({ hostname: "127.0.0.1", port: 0 });
  const connection = await nats.connect();
  const js = jetstream(connection);
  const lostOnce = new Set<string>();
  // Stores the message, then loses the ack, once per message.
  const lossy: AmiJetStreamPublish = async (
    subject,
    payload,
    { msgId, headers: fields, timeout },
  ) => {
    const natsHeaders = headers();
    for (const [key, value] of fields) natsHeaders.set(key, value);
    const ack = await js.publish(subject, payload, { msgID: msgId, headers: natsHeaders, timeout });
    if (!lostOnce.has(msgId)) {
      lostOnce.add(msgId);
      throw new Error("the ack was lost");
    }
    return ack;
  };
  try {
    await using run = await bridged(nats, { a: server.url }, { publish: lossy });
    for (let i = 1; i <= 3; i++) server.emit({ Event: "UserEvent", UserEvent: `e${i}` });
    await until(
      async () => await storedOn(run.connection, "ami.a.evt.UserEvent") === 3,
      "three are stored",
    );
    await until(() => run.bridge.stats.a?.pending === 0, "every ack has come");
    const stats = run.bridge.stats.a!;
    assert.ok(stats.retries >= 1);
    assert.equal(
      stats.duplicates,
      stats.published,
      "each was acknowledged as a duplicate on its retry",
    );
    const stored = userEvents(await storedMessages(run.connection), "a");
    assert.deepEqual(stored.map((m) => m.text.match(/UserEvent: (\w+)/)![1]), ["e1", "e2", "e3"]);
    const seqs = stored.map((m) => Number(m.headers["Ami-Seq"]));
    assert.deepEqual(seqs, [seqs[0], seqs[0]! + 1, seqs[0]! + 2]);
  } finally {
    await connection.close();
  }
});

Deno.test("NATS stopped and restarted mid-burst: nothing lost within the outbox bound, one gap message beyond it", async () => {
  await using nats = await NatsServer.start();
  await using small = new AmiTestServer();
  await using large = new AmiTestServer();
  small.listen({ hostname: "127.0.0.1", port: 0 });
  large.listen({ hostname: "127.0.0.1", port: 0 });
  await using run = await bridged(nats, { small: small.url, large: large.url }, {
    outbox: { maxEvents: 20 },
    publishTimeout: 300,
  });
  // `large` gets its own bound through a second bridge would be overkill: its burst fits in 20.
  const emit = (server: AmiTestServer, from: number, to: number) => {
    for (let i = from; i <= to; i++) server.emit({ Event: "UserEvent", UserEvent: `e${i}` });
  };
  emit(small, 1, 10);
  emit(large, 1, 10);
  const stored = (pbx: string) => storedOn(run.connection, `ami.${pbx}.evt.UserEvent`);
  await until(
    async () => await stored("small") === 10 && await stored("large") === 10,
    "the first events are stored",
  );
  await nats.stop();
  await until(() => !run.bridge.natsConnected, "the bridge sees NATS gone");
  emit(small, 11, 110); // 20 fit, 80 overflow
  emit(large, 11, 25); // all fit
  await run.pool.send("small", { Action: "Ping" });
  await run.pool.send("large", { Action: "Ping" });
  await until(() => run.bridge.stats.small?.lost === 80, "the overflow is counted");
  await nats.restart();
  await until(
    () => run.bridge.stats.small?.pending === 0 && run.bridge.stats.large?.pending === 0,
    "the outboxes drain",
  );
  emit(small, 111, 115);
  await until(async () => await stored("small") === 35, "the last are stored");

  const all = await storedMessages(run.connection);
  const large_ = userEvents(all, "large").map((m) => m.text.match(/UserEvent: (\w+)/)![1]);
  assert.deepEqual(large_, Array.from({ length: 25 }, (_, i) => `e${i + 1}`));
  assert.equal(all.filter((m) => m.subject === "ami.large.gap").length, 0);

  const smallStream = all.filter((m) =>
    m.headers["Ami-Pbx"] === "small" && m.headers["Ami-Event"] !== "FullyBooted"
  );
  const labels = smallStream.map((m) =>
    m.subject.endsWith(".gap") ? "gap" : m.text.match(/UserEvent: (\w+)/)![1]
  );
  const expected = [
    ...Array.from({ length: 30 }, (_, i) => `e${i + 1}`),
    "gap",
    ...Array.from({ length: 5 }, (_, i) => `e${111 + i}`),
  ];
  assert.deepEqual(labels, expected);
  const gap: AmiBridgeGap = JSON.parse(smallStream[30]!.text);
  assert.equal(gap.reason, "overflow");
  assert.equal(gap.dropped, 80);
  const lastBefore = Number(smallStream[29]!.headers["Ami-Seq"]);
  assert.deepEqual([gap.fromSeq, gap.toSeq], [lastBefore + 1, lastBefore + 80]);
  // After the loss: the Ping's response was read in between, and it took a seq of its own.
  assert.equal(Number(smallStream[31]!.headers["Ami-Seq"]), lastBefore + 82);
  assert.ok(Date.parse(gap.from) <= Date.parse(gap.to));
  assert.equal(smallStream[30]!.headers["Ami-Gap"], "overflow");
});

Deno.test("a PBX that restarts is a gap message on its gap subject, and its events go on after it", async () => {
  await using nats = await NatsServer.start();
  await using a = new AmiTestServer();
  await using b = new AmiTestServer();
  a.listen({ hostname: "127.0.0.1", port: 0 });
  b.listen({ hostname: "127.0.0.1", port: 0 });
  await using run = await bridged(nats, { a: a.url, b: b.url });
  a.emit({ Event: "UserEvent", UserEvent: "before" });
  const stored = (pbx: string) => storedOn(run.connection, `ami.${pbx}.evt.UserEvent`);
  await until(async () => await stored("a") === 1, "the first is stored");
  await (await a.waitForSession(1)).abort();
  await a.waitForSession(2);
  await until(
    () => run.pool.state("a") === "connected" && run.bridge.stats.a?.gaps === 1,
    "a is back",
  );
  await run.pool.send("a", { Action: "Ping" });
  a.emit({ Event: "UserEvent", UserEvent: "after" });
  b.emit({ Event: "UserEvent", UserEvent: "b" });
  await until(async () => await stored("a") === 2 && await stored("b") === 1, "all are stored");
  const mine = (await storedMessages(run.connection)).filter((m) =>
    m.headers["Ami-Pbx"] === "a" && m.headers["Ami-Event"] !== "FullyBooted"
  );
  assert.deepEqual(mine.map((m) => m.subject), [
    "ami.a.evt.UserEvent",
    "ami.a.gap",
    "ami.a.evt.UserEvent",
  ]);
  const gap: AmiBridgeGap = JSON.parse(mine[1]!.text);
  assert.equal(gap.reason, "reconnect");
  assert.equal(gap.pbx, "a");
  assert.equal(gap.dropped, undefined);
});
