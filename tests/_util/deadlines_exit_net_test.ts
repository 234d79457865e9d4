// A `*_net_test.ts` file for its permissions only: it starts a deno process (run access is granted
// to the integration tests), and opens no socket.
import assert from "node:assert/strict";

Deno.test("the timer left after the last deadline was cancelled keeps no process alive", async () => {
  const module = new URL("../../src/_util/deadlines.ts", import.meta.url).href;
  const script = `import { Deadlines } from ${JSON.stringify(module)};
    const deadlines = new Deadlines();
    const owner = { expire() { throw new Error("a cancelled deadline fired"); } };
    for (let i = 0; i < 3; i++) deadlines.cancel(deadlines.add(600_000, owner));`;
  // A referenced timer would hold the process for ten minutes: it is killed long before that.
  const child = new Deno.Command("deno", {
    args: ["eval", "--no-config", script],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const { success, signal } = await child.status.finally(() => clearTimeout(kill));
  assert.equal(signal, null, "the process waited for the timer and was killed");
  assert.ok(success);
});
