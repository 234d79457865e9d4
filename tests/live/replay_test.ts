import assert from "node:assert/strict";
import {
  callGroupsOf,
  listItems,
  listsOf,
  recordedMessages,
  reducer,
  restStateOf,
  restStateOfLists,
} from "../support/live.ts";
import type { AmiMessage } from "../../src/wire/message.ts";
import { BRIDGES, CHANNELS } from "../../src/live/reducer.ts";

function isEvent(message: AmiMessage): boolean {
  return message.kind === "event" && message.get("ActionID") === undefined;
}

Deno.test("A recorded CoreShowChannels seeds the view: channels, bridges, Local pairs and calls", async () => {
  const messages = await recordedMessages("09-coreshowchannels");
  const items = listItems(messages, "coreshowchannels-2");
  const model = reducer();
  model.seedChannels(items, Date.now());
  assert.deepEqual(restStateOf(model), restStateOfLists(items));
  assert.equal(model.channels.size, 10);
  for (const channel of model.channels.values()) {
    const peer = model.channels.get(channel.localPeer ?? "");
    assert.equal(peer?.name.slice(0, -1), channel.name.slice(0, -1), `${channel.name} is paired`);
  }
  assert.deepEqual(callGroupsOf(model), [
    [
      "amitest-1795490688.0",
      "amitest-1795490688.1",
      "amitest-1795490688.6",
      "amitest-1795490688.7",
    ],
    [
      "amitest-1795490688.2",
      "amitest-1795490688.5",
      "amitest-1795490688.8",
      "amitest-1795490688.9",
    ],
    ["amitest-1795490688.3", "amitest-1795490688.4"],
  ]);
  assert.ok([...model.calls.calls()].every((call) => call.state === "up"));
});

Deno.test("A recorded BridgeList seeds the bridges, with their attributes", async () => {
  const messages = await recordedMessages("15-bridgelist");
  const model = reducer();
  model.seedBridges(listItems(messages, "bridgelist-2"), Date.now());
  assert.deepEqual(restStateOf(model), restStateOfLists([], listItems(messages, "bridgelist-2")));
  assert.deepEqual([...model.bridges.values()].map((b) => [b.type, b.technology, b.creator]), [
    ["basic", "simple_bridge", ""],
    ["basic", "simple_bridge", ""],
  ]);
});

for (const name of ["16-originate-async", "19-burst-originate", "14b-queue-call-events"]) {
  Deno.test(`Replaying ${name} from login keeps the view equal to the events and empty at rest`, async () => {
    // Asterisk was restarted before each recording: the snapshot at login is empty.
    const model = reducer();
    model.seedChannels([], 0);
    model.seedBridges([], 0);
    const expected = new Set<string>();
    const bridges = new Set<string>();
    const calls = { started: 0, answered: 0, ended: 0 };
    for (const message of await recordedMessages(name)) {
      if (!isEvent(message)) continue;
      // An independent count: Newchannel adds, Hangup removes.
      if (message.name === "Newchannel") expected.add(message.get("Uniqueid")!);
      if (message.name === "Hangup") expected.delete(message.get("Uniqueid")!);
      if (message.name === "BridgeCreate") bridges.add(message.get("BridgeUniqueid")!);
      if (message.name === "BridgeDestroy") bridges.delete(message.get("BridgeUniqueid")!);
      for (const change of model.apply(message)) {
        if (change.kind === "call.started") calls.started++;
        if (change.kind === "call.answered") calls.answered++;
        if (change.kind === "call.ended") {
          calls.ended++;
          assert.equal(change.cause, 16, `call ${change.call.id} ended normally`);
          assert.equal(change.causeText, "Normal Clearing");
        }
      }
      assert.deepEqual(new Set(model.channels.keys()), expected);
      assert.deepEqual(new Set([...model.bridges.values()].map((b) => b.id)), bridges);
    }
    const originates = name === "19-burst-originate" ? 100 : 1;
    assert.deepEqual(calls, { started: originates, answered: originates, ended: originates });
    assert.deepEqual(restStateOf(model), { channels: {}, bridges: {} });
    assert.equal(model.calls.live, 0);
  });
}

Deno.test("Cut over at a recorded CoreShowChannels, the view equals the later Status list and the end", async () => {
  const messages = await recordedMessages("22-pipelining");
  const model = reducer();
  let seeded = false;
  const hungUp = new Set<string>();
  for (const message of messages) {
    const id = message.get("ActionID");
    if (message.kind === "response" && id === "p-4") {
      model.seedChannels(listItems(messages, "p-4"), message.receivedAt);
      seeded = true;
    } else if (message.kind === "response" && id === "p-6") {
      // Status is a second snapshot, taken later: the view must agree with it.
      assert.deepEqual(
        restStateOf(model).channels,
        restStateOfLists(listItems(messages, "p-6")).channels,
      );
    } else if (seeded && isEvent(message)) {
      if (message.name === "Hangup") hungUp.add(message.get("Uniqueid")!);
      model.apply(message);
    }
  }
  const survivors = listItems(messages, "p-6").filter((item) => !hungUp.has(item.get("Uniqueid")!));
  assert.equal(survivors.length, 4);
  assert.deepEqual(restStateOf(model), restStateOfLists(survivors));
  assert.deepEqual(callGroupsOf(model), [[
    "amitest-1795490746.0",
    "amitest-1795490746.1",
    "amitest-1795490746.2",
    "amitest-1795490746.3",
  ]]);
});

Deno.test("A snapshot ahead of the events (the cache race) converges on the 100-call burst", async () => {
  const events = (await recordedMessages("19-burst-originate")).filter(isEvent);
  // Cut at several points; each time the lists show the PBX `ahead` events later than the cut,
  // as Asterisk's cache does, and the events in between arrive after the lists.
  for (const [cut, ahead] of [[1_500, 300], [4_000, 1_200], [7_000, 40], [9_000, 2_000]] as const) {
    const reference = reducer();
    const ahead_ = reducer();
    for (let i = 0; i < cut + ahead; i++) reference.apply(events[i]!);
    const lists = listsOf(reference, events[cut + ahead - 1]!.receivedAt);
    const late = reducer();
    late.seedBridges(lists.bridges, 0);
    late.seedChannels(lists.channels, 0);
    for (let i = 0; i < cut + ahead; i++) ahead_.apply(events[i]!);
    for (let i = cut; i < events.length; i++) {
      late.apply(events[i]!, CHANNELS | BRIDGES);
      if (i >= cut + ahead) {
        ahead_.apply(events[i]!);
        if (i % 97 === 0 || i === events.length - 1) {
          assert.deepEqual(
            restStateOf(late),
            restStateOf(ahead_),
            `cut ${cut}+${ahead}, event ${i}`,
          );
          assert.deepEqual(callGroupsOf(late), callGroupsOf(ahead_), `calls, event ${i}`);
        }
      }
    }
    assert.equal(late.channels.size, 0);
  }
});
