import assert from "node:assert/strict";
import type { AmiClient } from "../../src/client/client.ts";
import {
  ARRIVAL_ORDERING,
  detectOrdering,
  SEQUENCE_ORDERING,
  SequenceNumbersAvailable,
} from "../../src/live/ordering.ts";
import { AmiMessage } from "../../src/wire/message.ts";
import { event } from "../support/live.ts";

/**
 * A message with a sequence number, as the client will give them. Messages
 * are frozen, so the number sits on an object whose prototype is the message.
 */
function numbered(fields: [string, string][], seq: number): AmiMessage {
  return Object.create(new AmiMessage(fields), { seq: { value: seq, enumerable: true } });
}

Deno.test("sequence ordering places a list at its response's seq and events at theirs", async () => {
  const client = {
    sendList: () =>
      Promise.resolve({
        response: numbered([["Response", "Success"], ["EventList", "start"]], 41),
        items: [event("CoreShowChannel", { Uniqueid: "1.1" })],
        complete: undefined,
      }),
  } as unknown as AmiClient;
  const fetch = SEQUENCE_ORDERING.fetch(client, "CoreShowChannels", undefined);
  assert.equal(fetch.offer(event("Newchannel", {}), 1), false);
  const list = await fetch.done;
  assert.equal(list.order, 41);
  assert.equal(list.items.length, 1);
  assert.equal(SEQUENCE_ORDERING.orderOf(numbered([["Event", "Hangup"]], 40), 7), 40);
});

Deno.test("arrival ordering takes a list's items from the event stream, placed before the first", async () => {
  let sent: Record<string, string> | undefined;
  const client = {
    send: (action: Record<string, string>) => {
      sent = action;
      return Promise.resolve(new AmiMessage([["Response", "Success"], ["EventList", "start"]]));
    },
  } as unknown as AmiClient;
  const fetch = ARRIVAL_ORDERING.fetch(client, "BridgeList", undefined);
  const id = sent!.ActionID!;
  assert.equal(fetch.offer(event("BridgeCreate", {}), 5), false);
  assert.equal(
    fetch.offer(event("BridgeListItem", { ActionID: id, BridgeUniqueid: "b" }), 6),
    true,
  );
  assert.equal(
    fetch.offer(event("BridgeListComplete", { ActionID: id, EventList: "Complete" }), 7),
    true,
  );
  const list = await fetch.done;
  assert.equal(list.order, 5.5);
  assert.deepEqual(list.items.map((item) => item.get("BridgeUniqueid")), ["b"]);
  assert.equal(fetch.offer(event("BridgeListItem", { ActionID: id }), 8), false, "closed");
});

Deno.test("the detected ordering moves to sequence numbers once a list response carries one", async () => {
  let lists = 0;
  const client = {
    send: () => Promise.resolve(numbered([["Response", "Success"], ["EventList", "start"]], 9)),
    sendList: () => {
      lists++;
      return Promise.resolve({
        response: numbered([["Response", "Success"], ["EventList", "start"]], 12),
        items: [],
        complete: undefined,
      });
    },
  } as unknown as AmiClient;
  const ordering = detectOrdering();
  assert.equal(ordering.orderOf(numbered([["Event", "Hangup"]], 40), 7), 7, "by arrival first");
  await assert.rejects(
    ordering.fetch(client, "CoreShowChannels", undefined).done,
    SequenceNumbersAvailable,
  );
  assert.equal(ordering.orderOf(numbered([["Event", "Hangup"]], 40), 7), 40);
  assert.equal((await ordering.fetch(client, "CoreShowChannels", undefined).done).order, 12);
  assert.equal(lists, 1);
});
