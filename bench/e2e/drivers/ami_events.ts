/**
 * @x/ami on an event stream: one consumer that reads one field of each
 * event (`--fields=one`) or every field (`--fields=all`).
 *
 * @module
 */

import { AmiClient, type AmiEvent } from "../../../mod.ts";
import { argument, peakRss, report, USER } from "../measure.ts";

const port = argument("port");
const events = argument("events");
const all = Deno.args.includes("--fields=all");

const started = performance.now();
const client = new AmiClient(await Deno.connect({ hostname: "127.0.0.1", port }));
// Subscribe before logging in: the stream starts right after the login response.
const stream = client.events();
const login = client.login({ ...USER, auth: "plain" });
let seen = 0;
let touched = 0;
for await (const event of stream as AsyncIterable<AmiEvent>) {
  if (all) {
    for (const [key, value] of event) touched += key.length + value.length;
  } else {
    touched += (event.Channel as string).length;
  }
  if (++seen === events) break;
}
const ms = performance.now() - started;
await login;
if (touched === 0) throw new Error("no field was read");
report({ kind: "stream", events: seen, bytes: 0, ms, peakRss: peakRss() });
