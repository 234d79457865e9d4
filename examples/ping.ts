// deno-lint-ignore-file no-console -- examples print to the terminal
/**
 * Connects, sends a Ping, prints the answer, and logs off. A failure
 * (refused, bad password, no answer) prints one line and exits with 1.
 *
 * Run: `AMI_URL=ami://admin:amp111@127.0.0.1:5038 deno run --allow-net --allow-env=AMI_URL examples/ping.ts`
 *
 * @module
 */
import { AmiClient } from "../mod.ts";

const url = Deno.env.get("AMI_URL") ?? "ami://admin:amp111@127.0.0.1:5038";
try {
  await using client = await AmiClient.connect(url);
  const started = performance.now();
  const pong = await client.send({ Action: "Ping" });
  console.log(`${client.banner}: ${pong.Ping} in ${(performance.now() - started).toFixed(1)} ms`);
} catch (error) {
  console.error(`ping: ${error instanceof Error ? error.message : error}`);
  Deno.exit(1);
}
