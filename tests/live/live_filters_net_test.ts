import assert from "node:assert/strict";
import { AmiClient } from "../../mod.ts";
import { type AmiTestSession, SimulatedPbx } from "../../testing.ts";
import { until } from "../support/until.ts";

/** The event names the session's include filters name, in the order they were added. */
function filteredNames(session: AmiTestSession): string[] {
  return session.filters.map((filter) => {
    const criteria = filter.get("MatchCriteria") ?? "";
    return /name\(([^)]*)\)/.exec(criteria)?.[1] ?? `? ${criteria}`;
  });
}

Deno.test('live() under serverFilters: "auto" has Asterisk send only the events the view reads', async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
  pbx.server.listen();
  await using client = await AmiClient.connect(pbx.server.url, { serverFilters: "auto" });
  const session = await pbx.server.waitForSession(1);
  await using live = await client.live();
  const names = filteredNames(session);
  for (const name of ["Newchannel", "Hangup", "BridgeEnter", "BridgeLeave", "DialBegin"]) {
    assert.ok(names.includes(name), `no include filter for ${name}: ${names.join(", ")}`);
  }
  // Neither variables nor the dialplan were asked for: the server drops them.
  assert.ok(!names.includes("VarSet") && !names.includes("Newexten"));
  assert.equal(session.emit({ Event: "VarSet", Privilege: "dialplan,all", Variable: "X" }), false);
  assert.equal(session.emit({ Event: "Newexten", Privilege: "dialplan,all" }), false);
  assert.equal(client.stats.serverFilters, "auto");
  // The view still follows calls through the filters.
  await pbx.originate({ Channel: "PJSIP/100", Application: "Wait" });
  await until(() => live.snapshot().channels.size === 1);
  assert.equal([...live.snapshot().channels.values()][0]?.name.startsWith("PJSIP/100"), true);
});

Deno.test("live() with variables and the dialplan has the server send VarSet and Newexten too", async () => {
  await using pbx = new SimulatedPbx({ callDurationMs: Infinity });
  pbx.server.listen();
  await using client = await AmiClient.connect(pbx.server.url, { serverFilters: "auto" });
  const session = await pbx.server.waitForSession(1);
  await using _live = await client.live({ variables: ["CUSTOMER_ID"], dialplan: true });
  const names = filteredNames(session);
  assert.ok(names.includes("VarSet") && names.includes("Newexten"), names.join(", "));
  assert.equal(
    session.emit({ Event: "VarSet", Privilege: "dialplan,all", Variable: "CUSTOMER_ID" }),
    true,
  );
});
