// deno-lint-ignore-file no-console -- examples print to the terminal
/**
 * Originates a call and waits for its OriginateResponse, which arrives once
 * the call is answered (or fails). A failure (refused, bad password, the
 * call not answered) prints one line and exits with 1.
 *
 * Run: `AMI_URL=… deno run --allow-net --allow-env=AMI_URL examples/originate.ts PJSIP/100 200`
 * (the first argument is a dial string, `Technology/resource`; the second
 * the extension to send the answered call to, in context `from-internal`).
 *
 * @module
 */
import { AmiActionError, AmiClient } from "../mod.ts";

const url = Deno.env.get("AMI_URL") ?? "ami://admin:amp111@127.0.0.1:5038";
const [channel = "Local/100@from-internal", extension = "200"] = Deno.args;
try {
  await using client = await AmiClient.connect(url);
  const answered = await client.originate({
    Channel: channel,
    Context: "from-internal",
    Exten: extension,
    Priority: 1,
    CallerID: "AMI <100>",
    Timeout: 30_000,
  });
  console.log(`answered: ${answered.Channel} (${answered.Uniqueid})`);
} catch (error) {
  const reason = error instanceof AmiActionError ? error.response.get("Reason") : undefined;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`originate: ${message}${reason === undefined ? "" : ` (reason ${reason})`}`);
  Deno.exit(1);
}
