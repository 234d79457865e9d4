import assert from "node:assert/strict";
import { runCli } from "../../cli.ts";
import { AmiTestServer } from "../../testing.ts";
import { jetstreamManager } from "../../src/nats/deps.ts";
import { NatsServer } from "../support/nats_server.ts";
import { until } from "../support/until.ts";

interface Run {
  code: Promise<number>;
  stdout: () => string;
  stderr: () => string;
  stop: () => void;
}

function startCli(args: string[], env: Record<string, string>): Run {
  let stdout = "";
  let stderr = "";
  const controller = new AbortController();
  const code = runCli(args, {
    readEnv: (name) => env[name],
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    signal: controller.signal,
  });
  return { code, stdout: () => stdout, stderr: () => stderr, stop: () => controller.abort() };
}

Deno.test("ami bridge runs until stopped: a health line per PBX, events in JetStream, exit 0, no secret shown", async () => {
  await using nats = await NatsServer.start();
  await using a = new AmiTestServer({ users: { bridge: "s3cret-a" } });
  await using b = new AmiTestServer({ users: { bridge: "s3cret-a" } });
  a.listen({ hostname: "127.0.0.1", port: 0 });
  b.listen({ hostname: "127.0.0.1", port: 0 });
  const run = startCli([
    "bridge",
    "--nats",
    nats.url,
    "--pbx",
    `pbx-a=ami://127.0.0.1:${a.port}`,
    "--pbx",
    `pbx-b=ami://127.0.0.1:${b.port}`,
    "--health-interval",
    "60000",
  ], { AMI_USER: "bridge", AMI_SECRET: "s3cret-a" });
  await until(() => /pbx=pbx-b ami=connected/.test(run.stdout()), "pbx-b is connected");
  await until(() => /pbx=pbx-a ami=connected/.test(run.stdout()), "pbx-a is connected");
  // The bridge's consumer turns pbx-a's events on (a client logs in with events off).
  await until(() => a.sessions.at(-1)?.eventMask === "on", "pbx-a sends events");
  a.emit({ Event: "UserEvent", UserEvent: "hello" });
  const connection = await nats.connect();
  try {
    const jsm = await jetstreamManager(connection);
    await until(async () => {
      const info = await jsm.streams.info("AMI", { subjects_filter: "ami.pbx-a.evt.UserEvent" });
      return info.state.messages > 0 && Object.keys(info.state.subjects ?? {}).length > 0;
    }, "the event is stored");
  } finally {
    await connection.close();
  }
  run.stop();
  assert.equal(await run.code, 0);
  assert.match(run.stdout(), /ami bridge: 2 PBXs to NATS at 127\.0\.0\.1:\d+/);
  assert.match(run.stdout(), /Stopped, everything published/);
  assert.equal(run.stderr(), "");
  assert.doesNotMatch(run.stdout() + run.stderr(), /s3cret/);
});

Deno.test("ami bridge: usage mistakes exit 2 and an unreachable NATS exits 3, each with one line", async () => {
  const cases: [string[], number, RegExp][] = [
    [["bridge"], 2, /at least one --pbx/],
    [["bridge", "--pbx", "a.b=ami://127.0.0.1"], 2, /Not a PBX name: "a\.b"/],
    [["bridge", "--pbx", "a=ami://127.0.0.1"], 2, /needs an ami:\/\/ or amis:\/\/ URL with a user/],
    [
      ["bridge", "--pbx", "a=ami://u:hush@127.0.0.1", "--pbx", "a=ami://u:hush@h"],
      2,
      /given twice/,
    ],
    [
      ["bridge", "--pbx", "a=ami://u:hush@127.0.0.1", "--nats", "http://x"],
      2,
      /The --nats option must be/,
    ],
    [
      ["bridge", "--pbx", "a=ami://u:hush@127.0.0.1", "--outbox", "0"],
      2,
      /The --outbox option must be/,
    ],
  ];
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closed = (listener.addr as Deno.NetAddr).port;
  listener.close();
  cases.push([
    ["bridge", "--pbx", "a=ami://u:hush@127.0.0.1", "--nats", `nats://127.0.0.1:${closed}`],
    3,
    /Cannot reach NATS at 127\.0\.0\.1:\d+/,
  ]);
  for (const [args, expected, message] of cases) {
    const run = startCli(args, {});
    assert.equal(await run.code, expected, args.join(" "));
    assert.match(run.stderr(), message);
    assert.equal(run.stderr().trimEnd().split("\n").length, 1, run.stderr());
    assert.doesNotMatch(run.stderr(), /hush/);
  }
});
