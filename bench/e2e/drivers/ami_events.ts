/**
 * @x/ami on an event stream, through the ordinary
 * `for await (const event of client.events())`: one consumer that reads one
 * field of each event (`--fields=one`), every field (`--fields=all`), or the
 * realistic consumer's six fields with `get()` and `getAll()`, checked
 * (`--fields=consumer`).
 *
 * @module
 */

import { AmiClient, type AmiEvent } from "../../../mod.ts";
import { RealisticConsumer } from "../consumer.ts";
import { argument, peakRss, report, USER } from "../measure.ts";

const port = argument("port");
const events = argument("events");
const fields = Deno.args.find((arg) => arg.startsWith("--fields="))?.slice(9) ?? "one";
const consumer = fields === "consumer" ? new RealisticConsumer() : undefined;

const started = performance.now();
const client = new AmiClient(await Deno.connect({ hostname: "127.0.0.1", port }));
// Subscribe before logging in: the stream starts right after the login response.
const stream = client.events();
const login = client.login({ ...USER, auth: "plain" });
let seen = 0;
let touched = 0;
for await (const event of stream as AsyncIterable<AmiEvent>) {
  if (consumer !== undefined) {
    consumer.take(
      event.get("Event"),
      event.get("Channel"),
      event.get("Uniqueid"),
      event.get("Linkedid"),
      event.get("CallerIDName"),
      event.getAll("ChanVariable"),
    );
  } else if (fields === "all") {
    for (const [key, value] of event) touched += key.length + value.length;
  } else {
    touched += (event.Channel as string).length;
  }
  if (++seen === events) break;
}
const ms = performance.now() - started;
await login;
if (consumer === undefined && touched === 0) throw new Error("no field was read");
report({
  kind: "stream",
  events: seen,
  bytes: 0,
  ms,
  peakRss: peakRss(),
  ...(consumer === undefined ? {} : { checks: consumer.checks }),
});
