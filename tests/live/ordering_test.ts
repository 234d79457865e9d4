import assert from "node:assert/strict";
import { fetchOrderedList, orderOf } from "../../src/live/ordering.ts";
import type { LiveSource } from "../../src/live/source.ts";
import { AmiMessage } from "../../src/wire/message.ts";
import { event } from "../support/live.ts";

function numbered(fields: [string, string][], seq: number): AmiMessage {
  return new AmiMessage(fields, Date.now(), seq);
}

function answering(response: AmiMessage): LiveSource {
  return {
    sendList: () =>
      Promise.resolve({ response, items: [event("CoreShowChannel", { Uniqueid: "1.1" })] }),
  } as unknown as LiveSource;
}

Deno.test("a list sits at its response's sequence number and an event at its own", async () => {
  const response = numbered([["Response", "Success"], ["EventList", "start"]], 41);
  const list = await fetchOrderedList(answering(response), "CoreShowChannels", undefined);
  assert.equal(list.order, 41);
  assert.equal(list.items.length, 1);
  assert.equal(orderOf(numbered([["Event", "Hangup"]], 40), 7), 40);
});

Deno.test("an event without a sequence number is ordered by its arrival", () => {
  assert.equal(orderOf(new AmiMessage([["Event", "Hangup"]]), 7), 7);
});

Deno.test("a list response without a sequence number is refused", async () => {
  const response = new AmiMessage([["Response", "Success"], ["EventList", "start"]]);
  await assert.rejects(
    fetchOrderedList(answering(response), "BridgeList", undefined),
    (error: unknown) => error instanceof TypeError && /BridgeList/.test(error.message),
  );
});
