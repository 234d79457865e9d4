/**
 * The test server's `Events` and `Filter` handling, replayed against the
 * recording of a real Asterisk 23 (18-events-filter): the same actions get
 * the same answers, and the same event flood comes out filtered the same way.
 */

import assert from "node:assert/strict";
import { eventMaskFor, serverFilter } from "../../mod.ts";
import { AmiMessage, AmiTestServer } from "../../testing.ts";
import { readClientBytes, readServerBytes } from "../support/fixtures.ts";
import { loggedIn } from "../support/logged_in.ts";
import { parseChunks } from "../support/parse.ts";
import { RawAmiClient } from "../support/raw_ami_client.ts";

const SCENARIO = "18-events-filter";
const recordedServer = parseChunks([await readServerBytes(SCENARIO)]).messages;
const recordedClient = parseChunks([await readClientBytes(SCENARIO)], { banner: false }).messages;

function answerTo(actionId: string): AmiMessage {
  const answer = recordedServer.find((m) => m.kind === "response" && m.actionId === actionId);
  assert.ok(answer, `no recorded answer to ${actionId}`);
  return answer;
}

function actionText(action: AmiMessage): string {
  return action.toString();
}

/** The events Asterisk sent between two responses of the recording. */
function eventsBetween(fromActionId: string, toActionId: string): AmiMessage[] {
  const from = recordedServer.indexOf(answerTo(fromActionId));
  const to = recordedServer.indexOf(answerTo(toActionId));
  return recordedServer.slice(from + 1, to).filter((m) => m.kind === "event");
}

function summary(message: AmiMessage): string {
  return `${message.name} ${message.get("Channel") ?? ""}`.trim();
}

Deno.test("the test server answers each recorded Events and Filter action as Asterisk 23 did", async () => {
  await using server = new AmiTestServer();
  const client = new RawAmiClient(server.connect());
  await client.login("off");
  const replayed = recordedClient.filter((m) => /^(Events|Filter)$/.test(m.get("Action") ?? ""));
  assert.equal(replayed.length, 9);
  for (const action of replayed) {
    await client.write(actionText(action));
    const answer = await client.next();
    assert.deepEqual(answer.fields(), answerTo(action.actionId!).fields(), action.actionId);
  }
  await client.close();
});

Deno.test("the test server filters a recorded event flood exactly as Asterisk 23 did", async () => {
  await using server = new AmiTestServer();
  const client = new RawAmiClient(server.connect());
  await client.login("off");
  // events-8 sets "system,call,user", then filter-9 (legacy "Event: Hangup"), filter-10
  // (name(OriginateResponse)) and filter-12 (exclude Channel starting with ...00000003;2).
  for (const id of ["events-8", "filter-9", "filter-10", "filter-11", "filter-12"]) {
    await client.write(actionText(recordedClient.find((m) => m.actionId === id)!));
    await client.next();
  }
  // The full flood of the call made under "EventMask: on" (originate-4), renumbered as the
  // call made under the filters (originate-13), goes through the session...
  const flood = eventsBetween("originate-4", "events-5").map((event) =>
    AmiMessage.fromString(event.toString().replaceAll("00000001", "00000003"))
  );
  assert.ok(flood.length > 20);
  for (const event of flood) server.emit(event);
  await client.write("Action: Ping\r\nActionID: done\r\n\r\n");
  const out: AmiMessage[] = [];
  for (let m = await client.next(); m.actionId !== "done"; m = await client.next()) out.push(m);
  // ... and what comes out is what Asterisk sent for that call.
  const sent = recordedServer.slice(recordedServer.indexOf(answerTo("originate-13")) + 1)
    .filter((m) => m.kind === "event" && m.name !== "Shutdown");
  assert.deepEqual(out.map(summary), sent.map(summary));
  assert.deepEqual(out.map(summary), [
    "OriginateResponse Local/answer@ami-test-00000003;1",
    "Hangup Local/answer@ami-test-00000003;1",
  ]);
  await client.close();
});

Deno.test("the test server reads event masks as Asterisk 23 does", async () => {
  await using server = new AmiTestServer();
  const client = new RawAmiClient(server.connect());
  await client.login("off");
  const session = await server.waitForSession();
  const cases: [string, string, string][] = [
    ["on", "On", "on"],
    ["Call", "Off", "off"], // capitalised: no class, events off
    ["foo", "Off", "off"],
    ["call,system", "On", "system,call"],
    ["c,x", "On", "call,command,config,cdr,cc"], // get_perm's prefix quirk
    ["1", "On", "system"], // digits are the mask itself
    ["off", "Off", "off"],
  ];
  for (const [mask, answer, kept] of cases) {
    await client.write(`Action: Events\r\nActionID: ${mask}\r\nEventMask: ${mask}\r\n\r\n`);
    assert.equal((await client.next()).get("Events"), answer, mask);
    assert.equal(session.eventMask, kept, mask);
  }
  await client.write("Action: Events\r\nEventMask: call\r\n\r\n");
  await client.next();
  assert.equal(server.emit({ Event: "Newchannel", Privilege: "call,all" }), 1);
  assert.equal(server.emit({ Event: "VarSet", Privilege: "dialplan,all" }), 0);
  await client.close();
});

Deno.test("filters built with serverFilter narrow what the test server sends a real client", async () => {
  await using server = new AmiTestServer();
  // Events from before the filters (FullyBooted at login) are not this test's subject.
  await using client = await loggedIn(server, { heldEvents: 0 });
  const filters = [
    serverFilter.include("Newchannel").header("Channel").startsWith("PJSIP/"),
    serverFilter.include("Hangup"),
    serverFilter.exclude().header("Channel").endsWith(";2"),
  ];
  for (const filter of filters) {
    assert.equal((await client.send(filter.toAction())).Response, "Success", String(filter));
  }
  await client.send({ Action: "Events", EventMask: eventMaskFor(["call"]) });
  const events = await client.subscribe();
  const emitted = [
    ["Newchannel", "PJSIP/100-1"],
    ["Newchannel", "Local/a-1;1"],
    ["newchannel", "PJSIP/100-2"],
    ["Hangup", "Local/a-1;2"],
    ["HangupRequest", "PJSIP/100-1"],
    ["Hangup", "PJSIP/100-1"],
    ["VarSet", "PJSIP/100-1"],
    ["Hangup", "PJSIP/end"],
  ];
  for (const [name, channel] of emitted) {
    const privilege = name === "VarSet" ? "dialplan,all" : "call,all";
    server.emit({ Event: name!, Privilege: privilege, Channel: channel! });
  }
  const received: string[] = [];
  for await (const event of events) {
    received.push(`${event.name} ${event.Channel}`);
    if (event.Channel === "PJSIP/end") break;
  }
  assert.deepEqual(received, [
    "Newchannel PJSIP/100-1",
    "Hangup PJSIP/100-1",
    "Hangup PJSIP/end",
  ]);
  // The same filters predict it in the client.
  const predicted = emitted.filter(([name, channel]) => {
    const event = AmiMessage.fromString(`Event: ${name}\r\nChannel: ${channel}\r\n\r\n`);
    const included = filters.some((f) => f.action === "include" && f.matches(event));
    return included && !filters.some((f) => f.action === "exclude" && f.matches(event));
  }).map(([name, channel]) => `${name} ${channel}`);
  assert.deepEqual(predicted, received);
});
