// deno-lint-ignore-file no-console -- a command-line program reports on the console
/**
 * `deno task wallboard`: a wallboard in the browser. Follows a PBX with a
 * live view (calls and queues) and serves the page on 127.0.0.1, printing
 * its URL. Without `AMI_URL` it runs a simulated call centre (calls,
 * queue callers and agents in motion); with `AMI_URL`
 * (`ami://user:secret@host:5038`) it follows that Asterisk.
 *
 * Usage: deno task wallboard [--port 8080]
 *
 * @module
 */

import { AmiClient, createLiveView } from "../../mod.ts";
import { callCentreOptions, SimulatedPbx, SimulatedTraffic } from "../../testing.ts";
import { serveWallboard } from "./server.ts";

function portOf(args: readonly string[]): number {
  const index = args.findIndex((arg) => arg === "--port" || arg.startsWith("--port="));
  if (index < 0) return 8080;
  const text = args[index]!.includes("=") ? args[index]!.split("=")[1] : args[index + 1];
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--port takes a port number, not "${text}"`);
  }
  return port;
}

const port = portOf(Deno.args);
const amiUrl = Deno.env.get("AMI_URL");
await using stack = new AsyncDisposableStack();
let url: string;
if (amiUrl === undefined) {
  const pbx = stack.use(new SimulatedPbx(callCentreOptions()));
  pbx.server.listen();
  stack.use(new SimulatedTraffic(pbx, { callsPerMinute: 20 }));
  url = pbx.server.url;
  console.log("Simulated call centre (set AMI_URL to follow a real Asterisk)");
} else {
  url = amiUrl;
}
const client = stack.use(await AmiClient.connect(url, { reconnect: {} }));
const live = stack.use(await createLiveView(client, { queues: true }));
const board = stack.use(await serveWallboard(live, { port }));
console.log(`Wallboard on ${board.url}`);
const stop = Promise.withResolvers<void>();
Deno.addSignalListener("SIGINT", () => stop.resolve());
await stop.promise;
