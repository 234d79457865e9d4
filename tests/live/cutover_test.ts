import assert from "node:assert/strict";
import { cutPositionsOf, domainsAfter } from "../../src/live/cutover.ts";
import { ALL_DOMAINS, BRIDGES, CHANNELS } from "../../src/live/reducer.ts";

const cuts = cutPositionsOf({
  channels: { items: [], order: 20 },
  bridges: { items: [], order: 10 },
  restarted: false,
});

Deno.test("an event older than every list changes no domain, however late it is handed over", () => {
  assert.equal(domainsAfter(cuts, 5), 0);
});

Deno.test("an event between two lists changes only the domain whose list came first", () => {
  assert.equal(domainsAfter(cuts, 15), BRIDGES);
  assert.equal(domainsAfter(cuts, 15) & CHANNELS, 0);
});

Deno.test("an event after every list changes every domain; a missing list cuts with the channels", () => {
  assert.equal(domainsAfter(cuts, 21), ALL_DOMAINS);
  assert.equal(cuts.queues, 20);
  assert.equal(cuts.hints, 20);
});
