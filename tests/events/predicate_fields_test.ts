/**
 * A predicate filter reads the event's fields as typed properties
 * (`ev.Event`, `ev.Channel`), as the events it lets through do. The file
 * type-checks only if the predicate's parameter is typed that way.
 */

import assert from "node:assert/strict";
import { AmiTestServer } from "../../testing.ts";
import { loggedIn } from "../support/logged_in.ts";

Deno.test("a predicate filter reads ev.Event and other fields as properties", async () => {
  await using server = new AmiTestServer({ users: { admin: "amp111" } });
  await using client = await loggedIn(server);
  const hangups = client.events((ev) =>
    ev.Event === "Hangup" && ev.Channel?.startsWith("PJSIP/") === true
  );
  server.emit({ Event: "Newchannel", Channel: "PJSIP/100-01" });
  server.emit({ Event: "Hangup", Channel: "IAX2/1-02" });
  server.emit({ Event: "Hangup", Channel: "PJSIP/100-01", Cause: "16" });
  for await (const ev of hangups) {
    const name: string = ev.Event;
    assert.equal(name, "Hangup");
    assert.equal(ev.Channel, "PJSIP/100-01");
    assert.equal(ev.Cause, "16");
    break;
  }
});
