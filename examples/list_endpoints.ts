// deno-lint-ignore-file no-console -- examples print to the terminal
/**
 * Lists PJSIP endpoints with their device state, as one `sendList` call. A
 * failure (refused, bad password, no PJSIP) prints one line and exits with 1.
 *
 * Run: `AMI_URL=… deno run --allow-net --allow-env=AMI_URL examples/list_endpoints.ts`
 *
 * @module
 */
import { AmiClient } from "../mod.ts";

const url = Deno.env.get("AMI_URL") ?? "ami://admin:amp111@127.0.0.1:5038";
try {
  await using client = await AmiClient.connect(url);
  const { items, complete } = await client.sendList({ Action: "PJSIPShowEndpoints" });
  for (const endpoint of items) {
    console.log(`~~~ "${endpoint.ObjectName}" (${endpoint.DeviceState}) ~~~`);
  }
  console.log(`${complete?.ListItems ?? items.length} endpoints`);
} catch (error) {
  console.error(`list_endpoints: ${error instanceof Error ? error.message : error}`);
  Deno.exit(1);
}
