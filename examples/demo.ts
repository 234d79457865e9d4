// deno-lint-ignore-file no-console -- examples print to the terminal
/**
 * The quick start, end to end: connect, ping, list channels, originate a
 * call and follow its events to the hangup, then log off.
 *
 * With `AMI_URL` set (`ami://user:secret@host:5038`) it talks to that
 * Asterisk; otherwise it starts a simulated PBX in this process and talks to
 * it over TCP on 127.0.0.1.
 *
 * Run: `deno task demo`, or `AMI_URL=ami://admin:amp111@pbx:5038 deno task demo`.
 *
 * @module
 */
import { AmiClient, AmiGap } from "../mod.ts";
import { SimulatedPbx } from "../testing.ts";

const given = Deno.env.get("AMI_URL");
await using pbx = given === undefined
  ? new SimulatedPbx({ callDurationMs: 300, ringMs: 100 })
  : undefined;
pbx?.server.listen({ hostname: "127.0.0.1", port: 0 });
const url = given ?? pbx!.server.url;
console.log(given === undefined ? "Started a simulated PBX on 127.0.0.1" : "Using AMI_URL");

await using client = await AmiClient.connect(url);
console.log(`Connected: ${client.banner}`);

const pong = await client.send({ Action: "Ping" });
console.log(`Ping: ${pong.Ping}`);

const { items } = await client.sendList({ Action: "CoreShowChannels" });
console.log(`Channels up: ${items.length}`);

const channel = Deno.env.get("AMI_DEMO_CHANNEL") ?? "Local/100@default";
const calls = client.events(
  ["Newchannel", "Newstate", "DialBegin", "DialEnd", "BridgeEnter", "Hangup"],
  { gaps: true, signal: AbortSignal.timeout(15_000) },
);
console.log(`Originating ${channel} …`);
const answered = await client.originate({
  Action: "Originate",
  Channel: channel,
  Context: "default",
  Exten: "200",
  Priority: 1,
  CallerID: "Demo <100>",
  Timeout: 10_000,
});
console.log(`Answered: ${answered.Channel}`);

// Follow the call until its channels have hung up (a real PBX call lasts as long as it lasts).
const up = new Set<string>();
for await (const ev of calls) {
  if (ev instanceof AmiGap) continue;
  const name = ev.Channel ?? "";
  console.log(`  ${ev.Event.padEnd(12)} ${name} ${ev.ChannelStateDesc ?? ""}`.trimEnd());
  if (ev.Event === "Newchannel") up.add(name);
  if (ev.Event === "Hangup") {
    up.delete(name);
    if (up.size === 0) break;
  }
}
console.log("Done; logging off.");
