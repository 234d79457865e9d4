import assert from "node:assert/strict";
import fc from "npm:fast-check@4.10.2";
import { AmiClient } from "../../src/client/client.ts";
import { createLiveView, type LiveView } from "../../src/live/live_view.ts";
import { SimulatedPbx } from "../../testing.ts";
import { callGroupsOf, restStateOf } from "../support/live.ts";

/** One step of a random call script. */
type Step =
  | {
    kind: "originate";
    target: number;
    local: boolean;
    dial: boolean;
    durationMs: number;
  }
  | { kind: "hangup"; index: number }
  | { kind: "pause"; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("originate" as const),
      target: fc.integer({ min: 100, max: 999 }),
      local: fc.boolean(),
      dial: fc.boolean(),
      durationMs: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constant(Number.POSITIVE_INFINITY)),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("hangup" as const), index: fc.nat(20) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("pause" as const),
      ms: fc.integer({ min: 0, max: 15 }),
    }),
  },
);

/** The PBX's channels, bridges and calls in the view's comparable form. */
function pbxRest(pbx: SimulatedPbx) {
  const channels: Record<string, { state: string; bridgeId: string | undefined; name: string }> =
    {};
  const bridges: Record<string, string[]> = {};
  for (const channel of [...pbx.channels].sort((a, b) => a.uniqueid < b.uniqueid ? -1 : 1)) {
    channels[channel.uniqueid] = {
      name: channel.name,
      state: channel.stateDesc,
      bridgeId: channel.bridgeId,
    };
    if (channel.bridgeId !== undefined) (bridges[channel.bridgeId] ??= []).push(channel.uniqueid);
  }
  for (const members of Object.values(bridges)) members.sort();
  // A simulated call is the channels sharing a Linkedid.
  const calls = new Map<string, string[]>();
  for (const channel of pbx.channels) {
    const group = calls.get(channel.linkedid) ?? [];
    group.push(channel.uniqueid);
    calls.set(channel.linkedid, group);
  }
  const groups = [...calls.values()].map((group) => group.sort()).sort((a, b) =>
    a[0]! < b[0]! ? -1 : 1
  );
  return { channels, bridges, groups };
}

function viewRest(live: LiveView) {
  const snap = live.snapshot();
  const rest = restStateOf(snap);
  const channels: Record<string, { state: string; bridgeId: string | undefined; name: string }> =
    {};
  for (const [id, channel] of Object.entries(rest.channels)) {
    channels[id] = { name: channel.name, state: channel.state, bridgeId: channel.bridgeId };
  }
  return { channels, bridges: rest.bridges, groups: callGroupsOf(snap) };
}

/** Waits until the view equals the PBX (the events are in flight for a moment), then compares. */
async function assertAtRest(pbx: SimulatedPbx, live: LiveView): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (live.status === "live" && JSON.stringify(viewRest(live)) === JSON.stringify(pbxRest(pbx))) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.deepEqual(viewRest(live), pbxRest(pbx));
}

Deno.test("for random call scripts the view at rest equals the simulated PBX's own state", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { maxLength: 14 }), fc.nat(14), async (steps, viewAt) => {
      const durations = new Map<string, number>();
      await using pbx = new SimulatedPbx({
        ringMs: 2,
        // Targets ending in 0 are busy, in 5 ring until the Originate's timeout.
        outcomes: (dial) =>
          dial.endsWith("0") ? "busy" : dial.endsWith("5") ? "noanswer" : "answer",
        callDurationMs: (originate) => durations.get(originate.get("Channel") ?? "") ?? 10,
        dialplan: (_context, exten) => `PJSIP/${exten}`,
      });
      pbx.server.listen();
      await using client = await AmiClient.connect(pbx.server.url);
      let live: LiveView | undefined;
      const calls: Promise<unknown>[] = [];
      try {
        for (const [i, s] of steps.entries()) {
          if (i === viewAt) live = await createLiveView(client);
          if (s.kind === "originate") {
            const channel = `${s.local ? "Local" : "PJSIP"}/${s.target}${
              s.local ? "@default" : ""
            }`;
            durations.set(channel, s.durationMs);
            const fields = s.dial
              ? { Channel: channel, Context: "default", Exten: String(s.target + 1), Priority: 1 }
              : { Channel: channel, Application: "Wait" };
            calls.push(pbx.originate({ ...fields, Timeout: 20 }).catch(() => undefined));
          } else if (s.kind === "hangup") {
            const channels = pbx.channels;
            if (channels.length > 0) pbx.hangup(channels[s.index % channels.length]!.name);
          } else {
            await new Promise((resolve) => setTimeout(resolve, s.ms));
          }
        }
        live ??= await createLiveView(client);
        await Promise.all(calls);
        // Let the finite calls end; the endless ones stay up.
        for (
          let i = 0;
          i < 100 && pbx.activeCalls > [...durations.values()].filter((d) => d === Infinity).length;
          i++
        ) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await assertAtRest(pbx, live);
      } finally {
        for (const channel of pbx.channels) pbx.hangup(channel.name);
        await live?.close();
      }
    }),
    { numRuns: 12 },
  );
});
