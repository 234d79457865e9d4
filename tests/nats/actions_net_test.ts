import assert from "node:assert/strict";
import { AmiPool } from "../../mod.ts";
import { type AmiActionReply, AmiNatsBridge } from "../../nats.ts";
import { SimulatedPbx } from "../../testing.ts";
import { jetstream, jetstreamManager, type NatsConnection } from "../../src/nats/deps.ts";
import { AckPolicy } from "npm:@nats-io/jetstream@3.4.0";
import { NatsServer } from "../support/nats_server.ts";

/** The least-privilege users of README's "Many PBXs": the bridge, a viewer, an operator. */
const AUTHORIZATION = `
authorization {
  users = [
    { user: bridge, password: bridge-secret, permissions: {
        publish: { allow: ["ami.*.evt.>", "ami.*.gap", "$JS.API.INFO",
                           "$JS.API.STREAM.INFO.AMI", "$JS.API.STREAM.CREATE.AMI"] },
        subscribe: { allow: ["ami.*.action.*", "_INBOX.>"] },
        allow_responses: true } }
    { user: viewer, password: viewer-secret, permissions: {
        publish: { allow: ["ami.*.action.Ping", "ami.*.action.CoreShowChannels", "$JS.API.INFO",
                           "$JS.API.CONSUMER.INFO.AMI.wallboard",
                           "$JS.API.CONSUMER.MSG.NEXT.AMI.wallboard", "$JS.ACK.AMI.wallboard.>"] },
        subscribe: { allow: ["_INBOX.>"] } } }
    { user: operator, password: operator-secret, permissions: {
        publish: { allow: ["ami.pbx-a.action.>"] },
        subscribe: { allow: ["_INBOX.>"] } } }
    { user: admin, password: admin-secret }
  ]
}
`;

const encoder = new TextEncoder();

/** The server of the test running now, for `pbxAdmin`. */
let current: NatsServer | undefined;

async function pbxAdmin(): Promise<{ connection: NatsConnection }> {
  return { connection: await current!.connect({ user: "admin", pass: "admin-secret" }) };
}

async function ask(
  nats: NatsConnection,
  subject: string,
  body: string | object = {},
): Promise<AmiActionReply> {
  const data = typeof body === "string" ? body : JSON.stringify(body);
  const reply = await nats.request(subject, encoder.encode(data), { timeout: 2_000 });
  return reply.json<AmiActionReply>();
}

async function withBridge(
  run: (
    clients: { viewer: NatsConnection; operator: NatsConnection; pbx: SimulatedPbx; pool: AmiPool },
  ) => Promise<void>,
): Promise<void> {
  await using nats = await NatsServer.start(AUTHORIZATION);
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
  pbx.server.listen({ hostname: "127.0.0.1", port: 0 });
  await using pool = new AmiPool({ pbxs: { "pbx-a": pbx.server.url } });
  await pool.ready();
  const bridgeLink = await nats.connect({ user: "bridge", pass: "bridge-secret" });
  const viewer = await nats.connect({ user: "viewer", pass: "viewer-secret" });
  const operator = await nats.connect({ user: "operator", pass: "operator-secret" });
  const bridge = await AmiNatsBridge.start({
    pool,
    nats: bridgeLink,
    stream: { maxBytes: 16 * 1024 * 1024 },
  });
  current = nats;
  try {
    await bridgeLink.flush();
    await run({ viewer, operator, pbx, pool });
  } finally {
    await bridge.close({ flushTimeout: 1_000 });
    await Promise.all([bridgeLink.close(), viewer.close(), operator.close()]);
  }
}

Deno.test("an action NATS permits is answered as JSON; one it denies never reaches the PBX", async () => {
  await withBridge(async ({ viewer, operator, pbx }) => {
    const pong = await ask(viewer, "ami.pbx-a.action.Ping");
    assert.ok(pong.ok);
    assert.equal(pong.response.Ping, "Pong");

    await assert.rejects(
      ask(viewer, "ami.pbx-a.action.Originate", {
        Channel: "PJSIP/100",
        Application: "Wait",
        Data: "1",
      }),
      /Permissions Violation for Publish to "ami\.pbx-a\.action\.Originate"/,
    );
    assert.equal(pbx.channels.length, 0);
    assert.equal(pbx.server.received.filter((a) => a.name === "Originate").length, 0);

    const originated = await ask(operator, "ami.pbx-a.action.Originate", {
      Channel: "PJSIP/100",
      Application: "Wait",
      Data: "10",
    });
    assert.ok(originated.ok, JSON.stringify(originated));
    assert.equal(pbx.channels.length, 1);

    // A list action answers with its items.
    const list = await ask(viewer, "ami.pbx-a.action.CoreShowChannels");
    assert.ok(list.ok);
    assert.equal(list.items?.length, 1);
    assert.equal(list.items?.[0]?.Channel, pbx.channels[0]!.name);
    assert.equal(list.complete?.Event, "CoreShowChannelsComplete");
  });
});

Deno.test("a viewer reads events through its durable consumer and acknowledges them with its own subjects only", async () => {
  await withBridge(async ({ viewer, pbx }) => {
    const admin = await pbxAdmin();
    try {
      await (await jetstreamManager(admin.connection)).consumers.add("AMI", {
        durable_name: "wallboard",
        ack_policy: AckPolicy.Explicit,
        filter_subject: "ami.pbx-a.evt.UserEvent",
      });
      pbx.server.emit({ Event: "UserEvent", UserEvent: "shown" });
      const consumer = await jetstream(viewer).consumers.get("AMI", "wallboard");
      const message = await consumer.next({ expires: 2_000 });
      assert.match(message?.string() ?? "", /UserEvent: shown/);
      assert.equal(await message?.ackAck(), true);
      await assert.rejects(
        jetstream(viewer).consumers.get("AMI", "someone-else"),
        /Permissions Violation|timeout/i,
      );
    } finally {
      await admin.connection.close();
    }
  });
});

Deno.test("bad action requests get a clear typed error and disturb nothing else", async () => {
  await withBridge(async ({ operator, pool }) => {
    const before = pool.stats["pbx-a"]!.connects;
    const crlf = await ask(operator, "ami.pbx-a.action.Setvar", {
      Variable: "X",
      Value: "1\r\nAction: Logoff",
    });
    assert.equal(crlf.ok, false);
    assert.ok(
      !crlf.ok && crlf.error.type === "BadRequest" && /CR|LF|line/i.test(crlf.error.message),
    );

    const malformed = await ask(operator, "ami.pbx-a.action.Ping", "{not json");
    assert.ok(!malformed.ok && malformed.error.type === "BadRequest");
    assert.match(!malformed.ok ? malformed.error.message : "", /not valid JSON/);

    const notObject = await ask(operator, "ami.pbx-a.action.Ping", "[1,2]");
    assert.ok(!notObject.ok && notObject.error.type === "BadRequest");

    const smuggled = await ask(operator, "ami.pbx-a.action.Ping", { action: "Originate" });
    assert.ok(!smuggled.ok && smuggled.error.type === "BadRequest");

    const logoff = await ask(operator, "ami.pbx-a.action.Logoff");
    assert.ok(!logoff.ok && logoff.error.type === "Forbidden");

    const failed = await ask(operator, "ami.pbx-a.action.NoSuchAction");
    assert.ok(!failed.ok && failed.error.type === "ActionFailed");
    assert.equal(!failed.ok && failed.error.response?.Response, "Error");

    // No bridge serves an unknown PBX: NATS itself answers "no responders".
    const admin = await pbxAdmin();
    try {
      await assert.rejects(ask(admin.connection, "ami.pbx-z.action.Ping"), /no responders/i);
    } finally {
      await admin.connection.close();
    }

    // Nothing else was disturbed: same session, actions still answered.
    const pong = await ask(operator, "ami.pbx-a.action.Ping");
    assert.ok(pong.ok);
    assert.equal(pool.stats["pbx-a"]!.connects, before);
    assert.equal(pool.state("pbx-a"), "connected");
  });
});
