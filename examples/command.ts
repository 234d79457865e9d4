// deno-lint-ignore-file no-console -- examples print to the terminal
/**
 * Runs a CLI command over AMI and prints its output. A failure (refused,
 * bad password, a command Asterisk does not know) prints one line and exits
 * with 1.
 *
 * Run: `AMI_URL=… deno run --allow-net --allow-env=AMI_URL examples/command.ts "core show channels"`
 *
 * @module
 */
import { AmiClient } from "../mod.ts";

const url = Deno.env.get("AMI_URL") ?? "ami://admin:amp111@127.0.0.1:5038";
try {
  await using client = await AmiClient.connect(url);
  const lines = await client.command(Deno.args.join(" ") || "core show uptime");
  console.log(lines.join("\n"));
} catch (error) {
  console.error(`command: ${error instanceof Error ? error.message : error}`);
  Deno.exit(1);
}
