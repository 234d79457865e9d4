/**
 * The typed catalog as users meet it through `AmiClient`: each test runs the
 * calls against an in-memory test server and checks the values at run time,
 * while the `@ts-expect-error` lines and the `Equal` checks are verified by
 * the type checker (`deno check`, which `deno test` runs first). A case that
 * stopped being an error would fail the check with "unused
 * '@ts-expect-error' directive".
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  type AmiActionInput,
  type AmiEvent,
  type AmiEventOf,
  type AmiKnownEvent,
  type AmiListItemOf,
  AmiMessage,
  type AmiResponse,
  type AmiResponseOf,
  type HangupEvent,
  type OriginateAction,
} from "../../mod.ts";
import { AmiTestServer, eventList } from "../../testing.ts";
import { loggedIn } from "../support/logged_in.ts";

/** `true` when `A` and `B` are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true
  : false;

/** Compiles only when its type argument is `true`. */
function expectType<T extends true>(): T | undefined {
  return undefined;
}

/** The stream's next item; fails the test if the stream ended. */
async function nextOf<T>(stream: { next(): Promise<IteratorResult<T, undefined>> }): Promise<T> {
  const result = await stream.next();
  if (result.done) throw new assert.AssertionError({ message: "the event stream ended" });
  return result.value;
}

Deno.test("send() checks a known action's required parameters and types its response", async () => {
  await using server = new AmiTestServer();
  server.handle("Getvar", (action) => ({ Variable: action.get("Variable")!, Value: "42" }));
  await using client = await loggedIn(server);

  const pong = await client.send({ Action: "Ping" });
  expectType<Equal<typeof pong, AmiResponseOf<"Ping">>>();
  const ping: "Pong" | (string & Record<never, never>) = pong.Ping;
  const stamp: string = pong.Timestamp;
  assert.equal(ping, "Pong");
  assert.match(stamp, /^\d+\.\d+$/);

  // Asterisk ignores the case of action names; the common spelling is typed too.
  const value = await client.send({ Action: "GetVar", Variable: "ANSWER" });
  const answer: string = value.Value;
  assert.equal(answer, "42");
  // Fields the catalog does not list stay readable, as string | undefined.
  expectType<Equal<typeof value.NotDocumented, string | undefined>>();
  assert.equal(value.NotDocumented, undefined);
  // Methods of AmiMessage are still there.
  assert.equal(value.get("variable"), "ANSWER");

  const _typeOnly = () => {
    // @ts-expect-error Variable is required by Getvar.
    client.send({ Action: "Getvar" });
    // @ts-expect-error Variable is required under the alias too.
    client.send({ Action: "GetVar", Channel: "PJSIP/100-00000001" });
    // @ts-expect-error a header value is a string, number, boolean or an array of those.
    client.send({ Action: "Ping", Extra: { nested: true } });
  };
});

Deno.test("send() of Originate needs Channel and accepts numbers, booleans and repeated headers", async () => {
  await using server = new AmiTestServer();
  server.handle("Originate", () => ({ Message: "Originate successfully queued" }));
  await using client = await loggedIn(server);

  const action = {
    Action: "Originate",
    Channel: "Local/100@default",
    Exten: "200",
    Context: "default",
    Priority: 1,
    Async: true,
    Variable: ["A=1", "B=2"],
    ChannelId: undefined,
    XCustomHeader: "extra headers are allowed",
  } as const;
  const queued = await client.send(action);
  assert.equal(queued.Message, "Originate successfully queued");
  const sent = server.received.find((m) => m.name === "Originate")!;
  assert.deepEqual(sent.getAll("Variable"), ["A=1", "B=2"]);
  assert.equal(sent.get("Priority"), "1");
  assert.equal(sent.get("Async"), "true");
  assert.equal(sent.get("XCustomHeader"), "extra headers are allowed");

  const typed: OriginateAction = { Action: "Originate", Channel: "PJSIP/100" };
  const input: AmiActionInput<"Originate"> = typed;
  assert.equal(input.Channel, "PJSIP/100");

  const _typeOnly = () => {
    // @ts-expect-error Channel is required.
    client.send({ Action: "Originate", Exten: "200", Context: "default", Priority: 1 });
    // @ts-expect-error an OriginateAction is named Originate.
    const _wrongName: OriginateAction = { Action: "Ping", Channel: "PJSIP/100" };
    // Documented values are offered, other values accepted.
    client.send({ Action: "Events", EventMask: "on" });
    client.send({ Action: "Events", EventMask: "system,call" });
    // @ts-expect-error EventMask is required.
    client.send({ Action: "Events" });
  };
});

Deno.test("send() of an unknown action takes any headers and answers a generic response", async () => {
  await using server = new AmiTestServer();
  server.handle("MyModuleAction", () => ({ Message: "done", Answer: "yes" }));
  await using client = await loggedIn(server);

  const response = await client.send({ Action: "MyModuleAction", Anything: 1, List: ["a", "b"] });
  expectType<Equal<typeof response, AmiResponse>>();
  expectType<Equal<typeof response.Answer, string | undefined>>();
  assert.equal(response.Answer, "yes");
  assert.equal(response.Response, "Success");
});

Deno.test("sendList() types the items of CoreShowChannels as CoreShowChannel events", async () => {
  await using server = new AmiTestServer();
  server.handle("CoreShowChannels", () =>
    eventList([
      { Event: "CoreShowChannel", Channel: "Local/a-00000000;1", ChannelStateDesc: "Up" },
      { Event: "CoreShowChannel", Channel: "Local/a-00000000;2", ChannelStateDesc: "Ring" },
    ], { message: "Channels will follow" }));
  await using client = await loggedIn(server);

  const { response, items } = await client.sendList({ Action: "CoreShowChannels" });
  expectType<Equal<typeof items, AmiListItemOf<"CoreShowChannels">[]>>();
  const start: string = response.EventList;
  assert.equal(start, "start");
  const names: string[] = items.map((item) => item.Channel);
  assert.deepEqual(names, ["Local/a-00000000;1", "Local/a-00000000;2"]);
  const first = items[0]!;
  expectType<Equal<typeof first.Event, "CoreShowChannel">>();
  assert.equal(first.ChannelStateDesc === "Up", true);
  assert.equal(first.ChanVariable, undefined);
});

Deno.test("sendList() of QueueStatus yields a union of item events narrowed by Event", async () => {
  await using server = new AmiTestServer();
  server.handle("QueueStatus", () =>
    eventList([
      { Event: "QueueParams", Queue: "support", Max: 0 },
      { Event: "QueueMember", Queue: "support", Name: "Local/100", Paused: 0 },
      { Event: "QueueEntry", Queue: "support", Position: 1 },
    ], { message: "Queue status will follow" }));
  await using client = await loggedIn(server);

  const { items } = await client.sendList({ Action: "QueueStatus" });
  const seen: string[] = [];
  for (const item of items) {
    expectType<Equal<typeof item.Event, "QueueParams" | "QueueMember" | "QueueEntry">>();
    if (item.Event === "QueueMember") {
      const member: string = item.Name;
      seen.push(`member ${member}`);
    } else if (item.Event === "QueueEntry") {
      const position: string = item.Position;
      seen.push(`entry ${position}`);
    } else {
      const max: string = item.Max;
      seen.push(`params ${max}`);
    }
  }
  assert.deepEqual(seen, ["params 0", "member Local/100", "entry 1"]);

  const _typeOnly = (item: (typeof items)[number]) => {
    // @ts-expect-error Name belongs to QueueMember only; narrow first.
    const _name: string = item.Name;
  };
});

Deno.test("events('Hangup') yields Hangup events with typed and optional fields", async () => {
  await using server = new AmiTestServer();
  await using client = await loggedIn(server);
  const hangups = client.events("Hangup");
  server.emit({ Event: "Newchannel", Channel: "PJSIP/100-00000001" });
  server.emit({ Event: "Hangup", Channel: "PJSIP/100-00000001", Cause: 16, "Cause-txt": "Normal" });

  const ev = await nextOf(hangups);
  await hangups.return();
  expectType<Equal<typeof ev, AmiEventOf<"Hangup">>>();
  expectType<Equal<typeof ev.Event, "Hangup">>();
  const channel: string = ev.Channel;
  const cause: string = ev.Cause;
  assert.equal(channel, "PJSIP/100-00000001");
  assert.equal(cause, "16");
  assert.equal(ev["Cause-txt"], "Normal");
  // TechCause is not always sent, so it may be undefined.
  expectType<Equal<typeof ev.TechCause, string | undefined>>();
  assert.equal(ev.TechCause, undefined);
  // A field of a later Asterisk version is readable all the same.
  expectType<Equal<typeof ev.FromTheFuture, string | undefined>>();
  // The fields interface alone is enough to write a handler.
  const describe = (fields: HangupEvent): string => `${fields.Channel} ${fields.Cause}`;
  assert.equal(describe(ev), "PJSIP/100-00000001 16");
  assert.equal(ev.name, "Hangup");

  const _typeOnly = () => {
    // @ts-expect-error TechCause may be missing.
    const _tech: string = ev.TechCause;
    // @ts-expect-error an event's fields are read-only.
    ev.Channel = "other";
  };
});

Deno.test("events() with names, header matches, aliases and unknown names", async () => {
  await using server = new AmiTestServer();
  await using client = await loggedIn(server);
  const calls = client.events(["Newchannel", "Hangup"]);
  const matched = client.events({ Event: "DialBegin", DestChannel: /^Local\// });
  const documented = client.events("NewExten");
  const custom = client.events("MyAppEvent");
  const everything = client.events();

  server.emit({ Event: "Newchannel", Channel: "PJSIP/100-00000001" });
  server.emit({ Event: "Hangup", Channel: "PJSIP/100-00000001", Cause: 16 });
  server.emit({ Event: "DialBegin", DestChannel: "Local/200@default-00000000;1" });
  server.emit({ Event: "Newexten", Channel: "PJSIP/100-00000001", Application: "Dial" });
  server.emit({ Event: "MyAppEvent", Payload: "x" });

  const described: string[] = [];
  for (let i = 0; i < 2; i++) {
    const ev = await nextOf(calls);
    expectType<Equal<typeof ev.Event, "Newchannel" | "Hangup">>();
    described.push(ev.Event === "Hangup" ? `hangup ${ev.Cause}` : `new ${ev.Channel}`);
  }
  assert.deepEqual(described, ["new PJSIP/100-00000001", "hangup 16"]);

  const dial = await nextOf(matched);
  const dest: string = dial.DestChannel;
  assert.equal(dest, "Local/200@default-00000000;1");
  // DialBegin's caller is missing when the dial came from Originate.
  expectType<Equal<typeof dial.Channel, string | undefined>>();
  assert.equal(dial.Channel, undefined);

  // The documentation's spelling is typed like the wire's.
  const exten = await nextOf(documented);
  expectType<Equal<typeof exten.Event, "Newexten">>();
  const application: string = exten.Application;
  assert.equal(application, "Dial");

  // An unknown name gives the generic event: filters ignore case, so not even Event is narrowed.
  const mine = await nextOf(custom);
  expectType<Equal<typeof mine, AmiEvent>>();
  expectType<Equal<typeof mine.Payload, string | undefined>>();
  assert.equal(mine.Payload, "x");

  const any = await nextOf(everything);
  expectType<Equal<typeof any, AmiEvent>>();
  expectType<Equal<typeof any.Event, string>>();
  expectType<Equal<typeof any.Channel, string | undefined>>();
  assert.equal(any.Event, "Newchannel");

  await Promise.all([calls, matched, documented, custom, everything].map((s) => s.return()));

  const _typeOnly = () => {
    // @ts-expect-error DialBegin's caller may be missing.
    const _caller: string = dial.Channel;
  };
});

Deno.test("AmiKnownEvent narrows a checked event by name across the whole catalog", () => {
  const raw = AmiMessage.fromString(
    "Event: BridgeEnter\r\nBridgeUniqueid: b1\r\nChannel: PJSIP/100-00000001\r\n\r\n",
  );
  const ev = raw as AmiKnownEvent;
  let seen = "";
  switch (ev.Event) {
    case "BridgeEnter": {
      const bridge: string = ev.BridgeUniqueid;
      const channel: string = ev.Channel;
      seen = `${channel} entered ${bridge}`;
      break;
    }
    case "Hangup":
      seen = ev.Cause;
      break;
  }
  assert.equal(seen, "PJSIP/100-00000001 entered b1");
  // BridgeVideoSource comes only with a video source.
  expectType<
    Equal<Extract<AmiKnownEvent, { Event: "BridgeEnter" }>["BridgeVideoSource"], string | undefined>
  >();
});

Deno.test("an event stream's next() is typed with the event, not any", async () => {
  await using server = new AmiTestServer();
  await using client = await loggedIn(server);
  const hangups = client.events("Hangup");
  server.emit({ Event: "Hangup", Channel: "PJSIP/1-00000001", Cause: 16, "Cause-txt": "Normal" });
  const result = await hangups.next();
  expectType<Equal<typeof result, IteratorResult<AmiEventOf<"Hangup">, undefined>>>();
  assert.equal(result.done, false);
  if (!result.done) {
    const channel: string = result.value.Channel;
    assert.equal(channel, "PJSIP/1-00000001");
  }
  await hangups.return();
});
