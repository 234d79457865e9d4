// deno-lint-ignore-file no-console -- examples print to the terminal
/**
 * A live view of the PBX's calls: prints each call as it starts, is
 * answered and ends (with the hangup cause), and the calls up every few
 * changes. Survives reconnects: after one, a single `resync` line says what
 * changed while the link was down.
 *
 * With `AMI_URL` set (`ami://user:secret@host:5038`) it follows that
 * Asterisk until Ctrl-C; otherwise it starts a simulated PBX with a few calls
 * and stops once they are over.
 *
 * Run: `deno run --allow-net --allow-env=AMI_URL examples/live_calls.ts`
 *
 * @module
 */
import { AmiClient, type LiveCall } from "../mod.ts";
import { SimulatedPbx } from "../testing.ts";

const given = Deno.env.get("AMI_URL");
await using pbx = given === undefined
  ? new SimulatedPbx({ callDurationMs: 400, ringMs: 150, channelVariables: ["CUSTOMER"] })
  : undefined;
pbx?.server.listen({ hostname: "127.0.0.1", port: 0 });

await using client = await AmiClient.connect(given ?? pbx!.server.url, { reconnect: {} });
await using live = await client.live({ variables: ["CUSTOMER"] });
const start = live.snapshot();
console.log(`${start.channels.size} channels, ${start.calls.size} calls up; following changes`);

const describe = (call: LiveCall) =>
  `call ${call.id} (${call.channels.size} channels, ${call.bridges.size} bridges)`;

if (pbx !== undefined) {
  // Some traffic on the simulated PBX: three calls a little apart.
  void (async () => {
    for (const [i, customer] of ["acme", "globex", "initech"].entries()) {
      await new Promise((resolve) => setTimeout(resolve, 100 * i));
      await pbx.originate({
        Channel: `PJSIP/${100 + i}`,
        Context: "default",
        Exten: `${200 + i}`,
        Priority: 1,
        Variable: `CUSTOMER=${customer}`,
      });
    }
  })();
}

let ended = 0;
for await (const change of live.changes({ since: start.revision })) {
  switch (change.kind) {
    case "call.started":
      console.log(`call.started  ${describe(change.call)}`);
      break;
    case "call.answered": {
      // Channel variables asked for with `variables` are on the channels.
      const channels = live.snapshot().channels;
      const customer = [...change.call.channels]
        .map((uniqueid) => channels.get(uniqueid)?.variables.get("CUSTOMER"))
        .find((value) => value !== undefined && value !== "");
      console.log(`call.answered ${describe(change.call)} for ${customer ?? "?"}`);
      break;
    }
    case "call.ended":
      console.log(`call.ended    ${describe(change.call)}: ${change.cause} ${change.causeText}`);
      ended++;
      break;
    case "channel.added":
      console.log(`  + ${change.channel.name}`);
      break;
    case "resync":
      console.log(`resync (${change.reason}): ${change.diff.length} differences`);
      break;
  }
  if (pbx !== undefined && ended === 3) break;
}
console.log(`status ${live.status}, revision ${live.snapshot().revision}`);
