import assert from "node:assert/strict";
import { LifeCycle, type Phase, TRANSITIONS } from "../../src/client/life_cycle.ts";
import type { AmiConnectionState } from "../../mod.ts";
import { AmiConnectionError } from "../../mod.ts";

Deno.test("LifeCycle allows exactly the moves of its transition table", () => {
  const phases = Object.keys(TRANSITIONS) as Phase[];
  for (const from of phases) {
    for (const to of phases) {
      const life = new LifeCycle("connected");
      // Walk to `from` along allowed moves.
      const path: Record<Phase, Phase[]> = {
        connecting: [],
        connected: [],
        disconnected: ["disconnected"],
        reconnecting: ["disconnected", "reconnecting"],
        loggingOff: ["loggingOff"],
        closing: ["closing"],
        closed: ["closing", "closed"],
      };
      const start = from === "connecting" ? new LifeCycle("connecting") : life;
      for (const step of path[from]) assert.ok(start.to(step));
      assert.equal(start.to(to), TRANSITIONS[from].includes(to), `${from} -> ${to}`);
    }
  }
});

Deno.test("LifeCycle tells listeners of public states only; logging off and closing keep the state before", () => {
  const life = new LifeCycle("connected");
  const heard: AmiConnectionState[] = [];
  life.listen((change) => heard.push(change.state));
  life.to("loggingOff");
  assert.equal(life.state, "connected");
  const error = new AmiConnectionError("gone");
  life.to("closing", error);
  assert.equal(life.state, "connected");
  assert.ok(life.ending);
  assert.equal(life.closeError, error);
  life.to("closed", error);
  assert.deepEqual(heard, ["closed"]);
  assert.equal(life.to("connected"), false);
});

Deno.test("LifeCycle.changes() yields changes until closed, and stops when its signal aborts", async () => {
  const life = new LifeCycle("connected");
  const seen: AmiConnectionState[] = [];
  const following = (async () => {
    for await (const change of life.changes(undefined)) seen.push(change.state);
  })();
  await Promise.resolve();
  life.to("disconnected", new AmiConnectionError("dropped"));
  life.to("reconnecting");
  life.to("closing");
  life.to("closed");
  await following;
  assert.deepEqual(seen, ["disconnected", "reconnecting", "closed"]);

  const stop = new AbortController();
  const other = new LifeCycle("connected");
  const iterator = other.changes(stop.signal);
  const pending = iterator.next();
  await Promise.resolve();
  stop.abort();
  assert.equal((await pending).done, true);
});
