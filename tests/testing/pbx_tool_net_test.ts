/**
 * `deno task pbx` (tools/pbx.ts): started as a real process on an
 * OS-picked port, a real client connects, the defaults the CLI, examples and
 * README use are answered, calls are in motion, and Ctrl-C (SIGINT, sent by
 * PID) stops it.
 */

import assert from "node:assert/strict";
import { AmiClient } from "../../mod.ts";
import { parsePbxArgs } from "../../tools/pbx.ts";

const TOOL = new URL("../../tools/pbx.ts", import.meta.url);

/** A process's output, read as far as needed. */
class Output {
  #text = "";
  constructor(readonly reader: ReadableStreamDefaultReader<string>) {}

  /** Reads until the output so far matches; returns the match and the output so far. */
  async until(pattern: RegExp): Promise<{ match: RegExpMatchArray; text: string }> {
    while (true) {
      const match = this.#text.match(pattern);
      if (match !== null) return { match, text: this.#text };
      const { done, value } = await this.reader.read();
      if (done) throw new Error(`the PBX ended before printing ${pattern}: ${this.#text}`);
      this.#text += value;
    }
  }
}

Deno.test("deno task pbx serves a busy simulated PBX to a real client until Ctrl-C", async () => {
  const child = new Deno.Command("deno", {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      TOOL.pathname,
      "--port",
      "0",
      "--calls-per-minute",
      "1200",
      "--talk-seconds",
      "2",
    ],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const stdout = new Output(child.stdout.pipeThrough(new TextDecoderStream()).getReader());
  const stderr = new Response(child.stderr).text();
  try {
    const { match, text } = await stdout.until(/AMI_URL=(ami:\/\/\S+)\n/);
    assert.match(
      text,
      /^Simulated PBX listening on 127\.0\.0\.1:\d+\n {2}user admin, secret amp111\n/,
    );
    await stdout.until(/Press Ctrl-C to stop\.\n/);
    const url = match[1]!;
    assert.match(url, /^ami:\/\/admin:amp111@127\.0\.0\.1:\d+$/);

    const client = await AmiClient.connect(url);
    try {
      assert.match((await client.command("core show uptime"))[0]!, /^System uptime: /);
      const endpoints = await client.sendList({ Action: "PJSIPShowEndpoints" });
      assert.ok(endpoints.items.some((item) => item.get("ObjectName") === "100"));
      const queues = await client.sendList({ Action: "QueueStatus" });
      assert.deepEqual(
        queues.items.filter((m) => m.get("Event") === "QueueParams").map((m) => m.get("Queue")),
        ["support", "sales"],
      );
      await client.send({ Action: "Setvar", Variable: "GLOBAL(TRUNK)", Value: "PJSIP/trunk" });
      const trunk = await client.send({ Action: "Getvar", Variable: "GLOBAL(TRUNK)" });
      assert.equal(trunk.get("Value"), "PJSIP/trunk");
      // Calls are in motion: channels come and go without anyone originating.
      const seen = new Set<string>();
      const deadline = Date.now() + 10_000;
      while (seen.size < 3 && Date.now() < deadline) {
        const { items } = await client.sendList({ Action: "CoreShowChannels" });
        for (const item of items) seen.add(item.get("Uniqueid")!);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(seen.size >= 3, `only ${seen.size} channels seen`);
      const shown = await client.command("core show channels");
      assert.match(shown.join("\n"), /\d+ calls? processed/);
    } finally {
      await client.close();
    }

    child.kill("SIGINT"); // Ctrl-C, sent to the PID of the process we started
    await stdout.until(/Stopping\.\n/);
    const status = await child.status;
    assert.equal(status.code, 0);
    assert.equal(await stderr, "");
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already ended.
    }
    await stdout.reader.cancel().catch(() => {});
    await child.status;
    await stderr.catch(() => "");
  }
});

Deno.test("deno task pbx reads its flags and refuses bad ones with one line", () => {
  const settings = parsePbxArgs(["--port=0", "--calls-per-minute", "30", "--user", "bob"]);
  assert.notEqual(settings, "help");
  if (settings === "help") return;
  assert.equal(settings.port, 0);
  assert.equal(settings.callsPerMinute, 30);
  assert.equal(settings.user, "bob");
  assert.equal(settings.secret, "amp111");
  assert.equal(parsePbxArgs(["--help"]), "help");
  assert.throws(() => parsePbxArgs(["--rate", "3"]), /Unknown option "--rate"/);
  assert.throws(() => parsePbxArgs(["--agents", "many"]), /--agents takes a number/);
  assert.throws(() => parsePbxArgs(["--port"]), /--port needs a value/);
  assert.throws(() => parsePbxArgs(["--queue-share", "2"]), /from 0 to 1/);
});
