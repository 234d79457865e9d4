/**
 * The npm peer `asterisk-manager` on an event stream, reading one field per
 * event (it lower-cases keys).
 *
 * @module
 */

import AsteriskManager from "asterisk-manager";
import { argument, peakRss, report, USER } from "../measure.ts";

const port = argument("port");
const events = argument("events");

const started = performance.now();
let seen = 0;
let touched = 0;
const ami = AsteriskManager(port, "127.0.0.1", USER.username, USER.secret, true);
ami.on("managerevent", (event: Record<string, string>) => {
  touched += event.channel!.length;
  if (++seen === events) {
    const ms = performance.now() - started;
    if (touched === 0) throw new Error("no field was read");
    report({ kind: "stream", events: seen, bytes: 0, ms, peakRss: peakRss() });
  }
});
