import assert from "node:assert/strict";
import { AmiActionError, AmiClient, AmiMessage } from "../../mod.ts";
import { AmiTestServer } from "../../testing.ts";
import { originateReason } from "../../src/client/failure_reasons.ts";
import { readClientBytes, readServerBytes, readTimeline } from "../support/fixtures.ts";

async function replayed(name: string): Promise<AmiTestServer> {
  const [server, client, timeline] = await Promise.all([
    readServerBytes(name),
    readClientBytes(name),
    readTimeline(name),
  ]);
  return AmiTestServer.replay(server, { timeline: timeline as never, client, closeAtEnd: false });
}

Deno.test('replayed 17-originate-failure: a busy originate says busy in words, not "Originate failed: 5"', async () => {
  await using server = await replayed("17-originate-failure");
  await using client = new AmiClient(server.connect());
  // The recorded client logged in with every event on: no Events action of ours shifts the replay.
  await client.login({ username: "admin", secret: "amp111", auth: "plain", events: "on" });
  const error = await client.originate({
    Action: "Originate",
    Channel: "Local/busy@ami-test",
    Application: "Wait",
    Data: "1",
    Timeout: 5000,
  }).then(() => undefined, (error) => error);
  assert.ok(error instanceof AmiActionError, String(error));
  assert.match(error.message, /Local\/busy@ami-test.*busy \(Reason 5\)/);
  assert.doesNotMatch(error.message, /failed: 5$/);
  assert.equal(error.response.get("Reason"), "5");
  await client.close();
});

Deno.test("replayed 08-command-output: a failed command carries the CLI's text", async () => {
  await using server = await replayed("08-command-output");
  await using client = new AmiClient(server.connect());
  const clientActions = new TextDecoder().decode(await readClientBytes("08-command-output"));
  await client.login({ username: "admin", secret: "amp111", auth: "plain" });
  const commands = [...clientActions.matchAll(/Command: (.*)\r\n/g)].map((match) => match[1]!);
  let error: unknown;
  for (const command of commands) {
    try {
      await client.command(command);
    } catch (caught) {
      error ??= caught;
    }
  }
  assert.ok(error instanceof AmiActionError, String(error));
  assert.match(error.message, /^Command failed: No such command 'foo bar baz'/);
  await client.close();
});

Deno.test("originate reason codes read as words, AST_CONTROL values", () => {
  assert.equal(originateReason("5"), "busy");
  assert.match(originateReason("0"), /no such extension/);
  assert.match(originateReason("3"), /no answer/);
  assert.match(originateReason("8"), /congestion/);
  assert.match(originateReason("1"), /hung up/);
  assert.equal(originateReason("42"), "reason code 42");
  const failed = new AmiMessage([["Event", "OriginateResponse"], ["Response", "Failure"]]);
  assert.equal(new AmiActionError("Originate", failed).message, "Originate failed: Failure");
});
