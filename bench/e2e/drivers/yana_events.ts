// deno-lint-ignore-file no-console -- a benchmark driver reports on stdout and stderr
/**
 * The npm peer `yana` on an event stream, reading one field per event.
 *
 * @module
 */

import Yana from "yana";
import { argument, peakRss, report, USER } from "../measure.ts";

const port = argument("port");
const events = argument("events");

const started = performance.now();
const ami = new Yana({
  port,
  host: "127.0.0.1",
  login: USER.username,
  password: USER.secret,
  events: true,
});
let seen = 0;
let touched = 0;
ami.on("event", (event: Record<string, string>) => {
  touched += event.Channel!.length;
  if (++seen === events) {
    const ms = performance.now() - started;
    if (touched === 0) throw new Error("no field was read");
    report({ kind: "stream", events: seen, bytes: 0, ms, peakRss: peakRss() });
  }
});
ami.on("error", (error: unknown) => {
  console.error("yana:", error);
  Deno.exit(1);
});
ami.connect();
