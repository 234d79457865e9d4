// deno-lint-ignore-file no-console -- examples print to the terminal
/**
 * Originates a call and waits for its OriginateResponse, which arrives once
 * the call is answered (or fails).
 *
 * Run: `AMI_URL=… deno run --allow-net --allow-env=AMI_URL examples/originate.ts PJSIP/100 200`
 *
 * @module
 */
import { AmiActionError, AmiClient } from "../mod.ts";

const url = Deno.env.get("AMI_URL") ?? "ami://admin:amp111@127.0.0.1:5038";
const [channel = "Local/100@from-internal", extension = "200"] = Deno.args;
await using client = await AmiClient.connect(url);
try {
  const answered = await client.originate({
    Action: "Originate",
    Channel: channel,
    Context: "from-internal",
    Exten: extension,
    Priority: 1,
    CallerID: "AMI <100>",
    Timeout: 30_000,
  });
  console.log(`answered: ${answered.Channel} (${answered.Uniqueid})`);
} catch (error) {
  if (!(error instanceof AmiActionError)) throw error;
  console.log(`failed: ${error.message} (reason ${error.response.get("Reason") ?? "?"})`);
}
