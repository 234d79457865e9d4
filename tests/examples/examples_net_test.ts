/**
 * The examples and the demo, run as a user runs them (`deno run` in a
 * subprocess) against servers in this process on 127.0.0.1: ordinary
 * failures end with one line on stderr and exit code 1; the demo places a
 * call against a real PBX only when asked, and follows only its own call.
 */

import assert from "node:assert/strict";
import { AmiTestServer, SimulatedPbx } from "../../testing.ts";
import { closedPort } from "../support/closed_port.ts";

const SECRET = "s3cr3t-Pa55";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `examples/<file>` with `AMI_URL` (or none) and the arguments. */
async function runExample(
  file: string,
  url: string | undefined,
  args: string[] = [],
): Promise<Run> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  if (url !== undefined) env.AMI_URL = url;
  const { code, stdout, stderr } = await new Deno.Command("deno", {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      "--allow-env=AMI_URL,AMI_DEMO_CALL,AMI_DEMO_CHANNEL,AMI_DEMO_EXTEN,AMI_DEMO_CONTEXT",
      new URL(`../../examples/${file}`, import.meta.url).pathname,
      ...args,
    ],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** Checks one line on stderr, no stack trace, no secret. */
function assertOneLineFailure(run: Run, pattern: RegExp): void {
  assert.equal(run.code, 1, run.stderr);
  const lines = run.stderr.split("\n").filter((line) => line !== "");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(run.stderr + run.stdout, /^\s+at /m);
  assert.ok(!(run.stderr + run.stdout).includes(SECRET));
}

const EXAMPLES = ["ping.ts", "command.ts", "list_endpoints.ts", "originate.ts", "tail_events.ts"];

Deno.test("every example and the demo exit with 1 and one line when the connection is refused", async () => {
  const url = `ami://admin:${SECRET}@127.0.0.1:${closedPort()}`;
  const files = [...EXAMPLES, "demo.ts"];
  const runs = await Promise.all(files.map((file) => runExample(file, url)));
  files.forEach((file, i) => {
    assertOneLineFailure(runs[i]!, new RegExp(`^${file.replace(".ts", "")}: .*refused`, "i"));
  });
});

Deno.test("every example and the demo exit with 1 and one line when the password is wrong", async () => {
  await using server = new AmiTestServer({ users: { admin: "other" }, authFailureDelayMs: 1 });
  server.listen({ hostname: "127.0.0.1", port: 0 });
  const url = `ami://admin:${SECRET}@127.0.0.1:${server.port}`;
  const runs = await Promise.all([...EXAMPLES, "demo.ts"].map((file) => runExample(file, url)));
  for (const run of runs) assertOneLineFailure(run, /authentication|login|refused/i);
});

Deno.test("originate exits with 1 and one line with the reason when the call fails", async () => {
  await using server = new AmiTestServer({ users: { admin: SECRET } });
  server.handle("Originate", (action, session) => {
    session.emit({
      Event: "OriginateResponse",
      ActionID: action.actionId!,
      Response: "Failure",
      Reason: "5",
      Channel: "PJSIP/100",
    });
    return { Message: "Originate successfully queued" };
  });
  server.listen({ hostname: "127.0.0.1", port: 0 });
  const run = await runExample("originate.ts", `ami://admin:${SECRET}@127.0.0.1:${server.port}`);
  assertOneLineFailure(run, /^originate: .*\(reason 5\)$/);
});

Deno.test("the demo with AMI_URL places no call unless asked, and says how to ask", async () => {
  await using pbx = new SimulatedPbx({ users: { admin: SECRET } });
  pbx.server.listen({ hostname: "127.0.0.1", port: 0 });
  const run = await runExample("demo.ts", `ami://admin:${SECRET}@127.0.0.1:${pbx.server.port}`);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    /^No call placed\. With --call \(or AMI_DEMO_CALL=1\) the demo would dial /m,
  );
  assert.ok(!pbx.server.received.some((action) => action.name === "Originate"));
});

Deno.test("the demo with --call says what it will do, then shows who dials whom, the dial status and the cause in words", async () => {
  await using pbx = new SimulatedPbx({
    users: { admin: SECRET },
    ringMs: 50,
    // The other call lasts until the PBX closes; the demo's lasts 200 ms.
    callDurationMs: (originate) => originate.get("Channel") === "PJSIP/300" ? 600_000 : 200,
  });
  pbx.server.listen({ hostname: "127.0.0.1", port: 0 });
  // Another call in progress, not the demo's: none of its events may be shown.
  await pbx.originate({ Channel: "PJSIP/300", Context: "default", Exten: "400", Priority: "1" });
  const url = `ami://admin:${SECRET}@127.0.0.1:${pbx.server.port}`;
  const run = await runExample("demo.ts", url, ["--call"]);
  assert.equal(run.code, 0, run.stderr);
  const placing = run.stdout.indexOf("Placing one call: dial Local/100@default");
  assert.ok(placing !== -1, run.stdout);
  assert.ok(placing < run.stdout.indexOf("  new "), "it says what it will do first");
  assert.match(run.stdout, /^ {2}dials {6}\S+ → PJSIP\/200-\S+ \(200\)$/m);
  assert.match(run.stdout, /^ {2}dial end {3}PJSIP\/200-\S+: ANSWER$/m);
  assert.match(run.stdout, /^ {2}hangup {5}PJSIP\/200-\S+: Normal Clearing \(cause 16\)$/m);
  assert.doesNotMatch(run.stdout, /PJSIP\/300|PJSIP\/400/);
  assert.equal(pbx.server.received.filter((action) => action.name === "Originate").length, 1);
});

Deno.test("the demo without AMI_URL runs a simulated PBX in process and follows a call", async () => {
  const run = await runExample("demo.ts", undefined);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Started a simulated PBX on 127\.0\.0\.1:\d+$/m);
  assert.match(run.stdout, /hangup .*Normal Clearing/);
  assert.match(run.stdout, /^Done; logging off\.$/m);
});

Deno.test("the demo refuses an unknown argument with one line and exit code 2", async () => {
  const run = await runExample("demo.ts", undefined, ["--cal"]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^demo: unknown argument "--cal"; usage: /);
});
