import assert from "node:assert/strict";
import { block, event, recordedMessages, reducer } from "../support/live.ts";
import type { LiveReducer } from "../../src/live/reducer.ts";
import type { PendingChange } from "../../src/live/types.ts";
import {
  LIVE_EVENT_NAMES,
  MODELLED_EVENTS,
  optionalEventNames,
} from "../../src/live/event_names.ts";

const alice = { name: "PJSIP/alice-00000001", uniqueid: "1.1", linkedid: "1.1" };
const bob = { name: "PJSIP/bob-00000002", uniqueid: "1.2", linkedid: "1.1" };

function applyAll(model: LiveReducer, events: ReturnType<typeof event>[]): PendingChange[] {
  return events.flatMap((ev) => model.apply(ev));
}

function kinds(changes: readonly PendingChange[]): string[] {
  return changes.map((change) => change.kind);
}

Deno.test("LiveReducer applies every event of a recorded call twice with no second change", async () => {
  const model = reducer({ variables: ["AMITEST_TAG"] });
  for (const message of await recordedMessages("16-originate-async")) {
    if (message.kind !== "event") continue;
    const first = model.apply(message);
    const again = model.apply(message);
    assert.deepEqual(again, [], `${message.name} changed the view twice (first: ${kinds(first)})`);
  }
  assert.equal(model.channels.size, 0);
});

Deno.test("LiveReducer never brings back a hung-up channel on a late event", () => {
  const model = reducer();
  model.apply(event("Newchannel", block("", { ...alice, state: 0 })));
  const hangup = model.apply(
    event("Hangup", [...block("", alice), ["Cause", "16"], ["Cause-txt", "Normal Clearing"]]),
  );
  assert.deepEqual(kinds(hangup), ["channel.removed", "call.ended"]);
  const late = [
    event("Newstate", block("", { ...alice, state: 5 })),
    event("Newchannel", block("", alice)),
    event("BridgeEnter", [["BridgeUniqueid", "b1"], ...block("", alice)]),
  ];
  const changes = applyAll(model, late);
  assert.equal(model.channels.has(alice.uniqueid), false);
  assert.deepEqual(kinds(changes), ["bridge.added"], "only the bridge's own part applies");
});

Deno.test("LiveReducer keeps a tombstone for the Hangup of a channel it never saw", () => {
  const model = reducer();
  assert.deepEqual(model.apply(event("Hangup", [...block("", alice), ["Cause", "16"]])), []);
  assert.ok(model.tombstones.has(alice.uniqueid));
  assert.deepEqual(model.apply(event("Newstate", block("", alice))), []);
  assert.equal(model.channels.size, 0);
});

Deno.test("LiveReducer merges a late Newchannel into the channel it already has", () => {
  const model = reducer();
  model.apply(event("Newstate", block("", { ...alice, state: 6 })));
  const late = model.apply(event("Newchannel", block("", { ...alice, state: 0 })));
  // The call stays answered: a state going back is a late event, not a new call.
  assert.deepEqual(kinds(late), ["channel.updated"]);
  assert.equal(model.channels.get(alice.uniqueid)?.state, "Down");
  assert.equal(model.channels.size, 1);
});

Deno.test("LiveReducer follows a Local optimisation that reports Success: No", () => {
  // The sequence measured on Asterisk 23 (live-state.md, "localopt2"): far channel F talks to
  // L;2 in B1, L;1 talks to caller C in B2; F takes L;1's place in B2.
  const caller = { name: "PJSIP/c-1", uniqueid: "9.1", linkedid: "9.1" };
  const one = { name: "Local/x@default-00000001;1", uniqueid: "9.2", linkedid: "9.1" };
  const two = { name: "Local/x@default-00000001;2", uniqueid: "9.3", linkedid: "9.1" };
  const far = { name: "PJSIP/f-2", uniqueid: "9.4", linkedid: "9.1" };
  const model = reducer();
  const enter = (bridge: string, ch: typeof caller, extra: [string, string][] = []) =>
    event("BridgeEnter", [
      ["BridgeUniqueid", bridge],
      ["BridgeType", "basic"],
      ...block("", ch),
      ...extra,
    ]);
  const leave = (bridge: string, ch: typeof caller) =>
    event("BridgeLeave", [["BridgeUniqueid", bridge], ["BridgeType", "basic"], ...block("", ch)]);
  applyAll(model, [
    event("Newchannel", block("", caller)),
    event("Newchannel", block("", one)),
    event("Newchannel", block("", two)),
    event("LocalBridge", [...block("LocalOne", one), ...block("LocalTwo", two)]),
    event("Newchannel", block("", far)),
    event("BridgeCreate", [["BridgeUniqueid", "B1"], ["BridgeType", "basic"]]),
    event("BridgeCreate", [["BridgeUniqueid", "B2"], ["BridgeType", "basic"]]),
    enter("B1", far),
    enter("B1", two),
    enter("B2", caller),
    enter("B2", one),
  ]);
  assert.equal(model.calls.live, 1);
  applyAll(model, [
    event("LocalOptimizationBegin", [
      ...block("LocalOne", one),
      ...block("LocalTwo", two),
      ...block("Source", far),
      ["DestUniqueId", two.uniqueid],
      ["Id", "0"],
    ]),
    leave("B1", far),
    enter("B2", far, [["SwapUniqueid", one.uniqueid]]),
    event("LocalOptimizationEnd", [["Success", "No"], ["Id", "0"]]),
    event("Hangup", [...block("", one), ["Cause", "16"]]),
    leave("B1", two),
    event("Hangup", [...block("", two), ["Cause", "16"]]),
    event("BridgeDestroy", [["BridgeUniqueid", "B1"], ["BridgeType", "basic"]]),
  ]);
  assert.deepEqual([...model.channels.keys()].sort(), [caller.uniqueid, far.uniqueid]);
  assert.deepEqual([...model.bridges.values()].map((b) => [b.id, [...b.channels].sort()]), [
    ["B2", [caller.uniqueid, far.uniqueid]],
  ]);
  assert.equal(model.channels.get(far.uniqueid)?.bridgeId, "B2");
  const [call] = [...model.calls.calls()];
  assert.equal(call?.id, "9.1");
  assert.equal(call?.state, "up");
});

Deno.test("LiveReducer keeps a call's id when a Linkedid changes and merges the younger call", () => {
  const model = reducer();
  const older = { name: "Local/hold@t-00000001;1", uniqueid: "5.0", linkedid: "5.0" };
  const younger = { name: "Local/hold@t-00000002;1", uniqueid: "6.2", linkedid: "6.2" };
  applyAll(model, [
    event("Newchannel", block("", older), 1_000),
    event("Newchannel", block("", younger), 2_000),
  ]);
  assert.equal(model.calls.live, 2);
  const changes = applyAll(model, [
    event("BridgeEnter", [["BridgeUniqueid", "b"], ["BridgeType", "basic"], ...block("", older)]),
    // Joining a basic bridge gives the channel the bridge's oldest Linkedid.
    event("BridgeEnter", [
      ["BridgeUniqueid", "b"],
      ["BridgeType", "basic"],
      ...block("", { ...younger, linkedid: "5.0" }),
    ]),
  ]);
  const merged = changes.find((change) => change.kind === "call.merged");
  assert.ok(merged?.kind === "call.merged");
  assert.equal(merged.call.id, "6.2");
  assert.equal(merged.into, "5.0");
  const calls = [...model.calls.calls()];
  assert.deepEqual(calls.map((call) => [call.id, [...call.channels].sort()]), [
    ["5.0", ["5.0", "6.2"]],
  ]);
  assert.deepEqual([...calls[0]!.linkedids].sort(), ["5.0", "6.2"]);
});

Deno.test("LiveReducer keeps callers parked in one holding bridge in calls of their own", () => {
  const model = reducer();
  const holding = (ch: typeof alice) =>
    event("BridgeEnter", [["BridgeUniqueid", "park"], ["BridgeType", "holding"], ...block("", ch)]);
  applyAll(model, [
    holding(alice),
    holding({ ...bob, linkedid: bob.uniqueid }),
  ]);
  assert.equal(model.bridges.get("park")?.channels.size, 2);
  assert.equal(model.calls.live, 2);
});

Deno.test("LiveReducer follows a Rename on the same Uniqueid", () => {
  const model = reducer();
  model.apply(event("Newchannel", block("", alice)));
  const changes = model.apply(
    event("Rename", {
      Channel: alice.name,
      Newname: "PJSIP/alice-renamed",
      Uniqueid: alice.uniqueid,
    }),
  );
  assert.deepEqual(kinds(changes), ["channel.updated"]);
  assert.equal(model.channels.get(alice.uniqueid)?.name, "PJSIP/alice-renamed");
});

Deno.test("LiveReducer keeps only the variables asked for, cut to the maximum length", () => {
  const model = reducer({ variables: ["TAG", "LONG"], maxVariableLength: 4 });
  model.apply(
    event("Newchannel", [...block("", alice), ["ChanVariable", "TAG=a=b"], [
      "ChanVariable",
      "OTHER=x",
    ]]),
  );
  model.apply(event("VarSet", [...block("", alice), ["Variable", "LONG"], ["Value", "123456"]]));
  model.apply(event("VarSet", [...block("", alice), ["Variable", "SKIPPED"], ["Value", "1"]]));
  assert.deepEqual(
    [...model.channels.get(alice.uniqueid)!.variables],
    [["TAG", "a=b"], ["LONG", "1234"]],
  );
  const none = reducer();
  none.apply(event("Newchannel", [...block("", alice), ["ChanVariable", "TAG=1"]]));
  assert.equal(none.channels.get(alice.uniqueid)!.variables.size, 0);
});

Deno.test("LiveReducer ends a call with the first non-zero hangup cause of its channels", () => {
  const model = reducer();
  applyAll(model, [
    event("Newchannel", block("", alice)),
    event("Newchannel", block("", bob)),
    event("Hangup", [...block("", bob), ["Cause", "17"], ["Cause-txt", "User busy"]]),
  ]);
  const ended = model.apply(
    event("Hangup", [...block("", alice), ["Cause", "16"], ["Cause-txt", "x"]]),
  );
  const change = ended.find((c) => c.kind === "call.ended");
  assert.ok(change?.kind === "call.ended");
  assert.equal(change.cause, 17);
  assert.equal(change.causeText, "User busy");
  assert.equal(change.call.state, "ended");
  assert.deepEqual([...change.call.channels].sort(), ["1.1", "1.2"]);
});

Deno.test("LiveReducer reports dialing, ringing and answered calls from its channels' states", () => {
  const model = reducer();
  const caller = { ...alice, state: 4 };
  const callee = { ...bob, linkedid: "1.1", state: 0 };
  const states: string[] = [];
  const note = (changes: PendingChange[]) => {
    for (const change of changes) {
      if (change.kind.startsWith("call.")) {
        states.push(`${change.kind}:${"call" in change ? change.call.state : ""}`);
      }
    }
  };
  note(model.apply(event("Newchannel", block("", caller))));
  note(model.apply(event("Newchannel", block("", callee))));
  note(model.apply(event("DialBegin", [...block("", caller), ...block("Dest", callee)])));
  note(model.apply(event("Newstate", block("", { ...callee, state: 5 }))));
  note(model.apply(event("Newstate", block("", { ...callee, state: 6 }))));
  assert.deepEqual(states, [
    "call.started:dialing",
    "call.updated:dialing",
    "call.updated:ringing",
    "call.answered:up",
  ]);
});

Deno.test("LiveReducer bounds its tombstones and the ended calls it keeps", () => {
  const model = reducer({ retain: { tombstones: 3, endedCalls: 2, endedCallTtlMs: 1_000 } });
  for (let i = 0; i < 10; i++) {
    const ch = { name: `PJSIP/x-${i}`, uniqueid: `2.${i}` };
    model.apply(event("Newchannel", block("", ch), 10_000 + i));
    model.apply(event("Hangup", [...block("", ch), ["Cause", "16"]], 10_000 + i));
  }
  assert.equal(model.tombstones.size, 3);
  assert.ok(model.tombstones.has("2.9") && !model.tombstones.has("2.6"));
  assert.deepEqual([...model.calls.calls()].map((c) => c.id), ["2.8", "2.9"]);
  // Past the time to live, the next event lets them go.
  model.apply(event("Newchannel", block("", { ...alice, state: 0 }), 10_000 + 9 + 1_001));
  assert.deepEqual([...model.calls.calls()].map((c) => c.state), ["dialing"]);
});

Deno.test("LiveReducer moves the members of a merged bridge", () => {
  const model = reducer();
  applyAll(model, [
    event("BridgeEnter", [
      ["BridgeUniqueid", "from"],
      ["BridgeType", "basic"],
      ...block("", alice),
    ]),
    event("BridgeEnter", [
      ["BridgeUniqueid", "to"],
      ["BridgeType", "basic"],
      ...block("", { ...bob, linkedid: bob.uniqueid }),
    ]),
    event("BridgeMerge", [["ToBridgeUniqueid", "to"], ["ToBridgeType", "basic"], [
      "FromBridgeUniqueid",
      "from",
    ], ["FromBridgeType", "basic"]]),
  ]);
  assert.equal(model.channels.get(alice.uniqueid)?.bridgeId, "to");
  assert.deepEqual([...model.bridges.get("to")!.channels].sort(), ["1.1", "1.2"]);
  assert.equal(model.calls.live, 1);
});

Deno.test("LiveReducer keeps tombstones on the local clock when the PBX's Timestamp is days off", () => {
  const model = reducer();
  const stamped = (fields: [string, string][]) =>
    [...fields, ["Timestamp", "1000000.5"]] as [string, string][];
  model.apply(event("Newchannel", stamped(block("", alice)), Date.now()));
  model.apply(event("Hangup", stamped([...block("", alice), ["Cause", "16"]]), Date.now()));
  model.apply(event("Newstate", stamped(block("", bob)), Date.now()));
  assert.ok(model.tombstones.has(alice.uniqueid));
  model.apply(event("Newstate", stamped(block("", alice)), Date.now()));
  assert.equal(model.channels.has(alice.uniqueid), false);
});

Deno.test("the view's consumer asks for every event name the reducer models", () => {
  const all = { variables: true, dialplan: true, queues: true, devices: true, hints: true };
  const asked = new Set(
    [...LIVE_EVENT_NAMES, ...optionalEventNames(all)].map((name) => name.toLowerCase()),
  );
  for (const name of MODELLED_EVENTS) assert.ok(asked.has(name), `${name} is asked for`);
});
