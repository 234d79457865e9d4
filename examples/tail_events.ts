// deno-lint-ignore-file no-console -- examples print to the terminal
/**
 * Tails call events until Ctrl-C, keeping up across reconnects: gaps are
 * reported where events may have been lost. A failure to connect or log in
 * prints one line and exits with 1.
 *
 * Run: `AMI_URL=ami://admin:amp111@127.0.0.1:5038 deno run --allow-net --allow-env=AMI_URL examples/tail_events.ts`
 *
 * @module
 */
import { AmiClient, AmiGap } from "../mod.ts";

const url = Deno.env.get("AMI_URL") ?? "ami://admin:amp111@127.0.0.1:5038";
try {
  await using client = await AmiClient.connect(url, { reconnect: true, keepalive: true });
  const stop = new AbortController();
  Deno.addSignalListener("SIGINT", () => stop.abort());

  const calls = ["Newchannel", "Newstate", "DialBegin", "DialEnd", "BridgeEnter", "Hangup"];
  for await (const ev of client.events(calls, { gaps: true, signal: stop.signal })) {
    if (ev instanceof AmiGap) {
      console.log(`-- gap (${ev.reason}): resynchronise with CoreShowChannels --`);
      continue;
    }
    console.log(new Date(ev.receivedAt).toISOString(), ev.Event.padEnd(12), ev.Channel ?? "");
  }
} catch (error) {
  console.error(`tail_events: ${error instanceof Error ? error.message : error}`);
  Deno.exit(1);
}
