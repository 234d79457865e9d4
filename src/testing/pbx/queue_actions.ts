/**
 * The queue actions of the simulated PBX: `QueueStatus`, `QueueSummary`,
 * `QueueAdd`, `QueueRemove` and `QueuePause`, with Asterisk's answers,
 * errors and events.
 *
 * @module
 */

import { AmiMessage } from "../../wire/message.ts";
import { type AmiTestEventList, type AmiTestFields, eventList } from "../replies.ts";
import { isTrue, type PbxCore } from "./core.ts";
import { type Queue, QueueMember } from "./queue_model.ts";

/** An event-list item with `ActionID` last, as app_queue writes its items. */
function item(event: string, fields: [string, string][]): AmiMessage {
  return new AmiMessage([["Event", event], ...fields, ["ActionID", ""]]);
}

/** The queues an action's `Queue` header selects: one, or all when it is empty. */
function selectedQueues(pbx: PbxCore, action: AmiMessage): Queue[] {
  const name = action.get("Queue")?.trim() ?? "";
  if (name === "") return [...pbx.queues.values()];
  const queue = pbx.queues.get(name);
  return queue === undefined ? [] : [queue];
}

/** `QueueStatus`: per queue its params, members and callers (optionally one member only). */
export function queueStatusAction(pbx: PbxCore, action: AmiMessage): AmiTestEventList {
  const memberFilter = action.get("Member")?.trim() ?? "";
  const now = Date.now();
  const items: AmiMessage[] = [];
  for (const queue of selectedQueues(pbx, action)) {
    items.push(item("QueueParams", queue.paramsFields()));
    for (const member of queue.members) {
      if (memberFilter !== "" && member.interface !== memberFilter) continue;
      items.push(item("QueueMember", [["Queue", queue.name], ...member.listFields()]));
    }
    queue.callers.forEach((caller, index) => {
      const { channel } = caller;
      items.push(item("QueueEntry", [
        ["Queue", queue.name],
        ["Position", String(index + 1)],
        ["Channel", channel.name],
        ["Uniqueid", channel.uniqueid],
        ["CallerIDNum", channel.callerIdNum || "<unknown>"],
        ["CallerIDName", channel.callerIdName || "<unknown>"],
        ["ConnectedLineNum", channel.connectedNum || "<unknown>"],
        ["ConnectedLineName", channel.connectedName || "<unknown>"],
        ["Wait", String(Math.floor((now - caller.joinedAt) / 1000))],
        ["Priority", "0"],
      ]));
    });
  }
  return eventList(items, {
    message: "Queue status will follow",
    completeEvent: "QueueStatusComplete",
  });
}

/** `QueueSummary`: one line per queue. */
export function queueSummaryAction(pbx: PbxCore, action: AmiMessage): AmiTestEventList {
  const now = Date.now();
  const items = selectedQueues(pbx, action).map((queue) =>
    item("QueueSummary", queue.summaryFields(now))
  );
  return eventList(items, {
    message: "Queue summary will follow",
    completeEvent: "QueueSummaryComplete",
  });
}

function required(action: AmiMessage, key: string, message: string): string {
  const value = action.get(key)?.trim() ?? "";
  if (value === "") throw new Error(message);
  return value;
}

/** `QueueAdd`: a dynamic member joins a queue (`QueueMemberAdded`). */
export function queueAddAction(pbx: PbxCore, action: AmiMessage): AmiTestFields {
  const name = required(action, "Queue", "'Queue' not specified.");
  const iface = required(action, "Interface", "'Interface' not specified.");
  const queue = pbx.queues.get(name);
  if (queue === undefined) throw new Error("Unable to add interface to queue: No such queue");
  if (queue.member(iface) !== undefined) throw new Error("Unable to add interface: Already there");
  const penalty = Number.parseInt(action.get("Penalty") ?? "", 10);
  const stateInterface = action.get("StateInterface")?.trim() || iface;
  const member = new QueueMember(
    {
      interface: iface,
      name: action.get("MemberName")?.trim() || iface,
      stateInterface,
      penalty: Number.isFinite(penalty) ? penalty : 0,
      paused: isTrue(action.get("Paused")),
      pausedReason: action.get("Reason")?.trim() ?? "",
    },
    "dynamic",
    pbx.devices.get(stateInterface),
  );
  queue.members.push(member);
  pbx.event("QueueMemberAdded", "agent", [["Queue", queue.name], ...member.eventFields()]);
  queue.notify();
  return { Message: "Added interface to queue" };
}

/** `QueueRemove`: a member leaves a queue (`QueueMemberRemoved`). */
export function queueRemoveAction(pbx: PbxCore, action: AmiMessage): AmiTestFields {
  const name = required(action, "Queue", "Need 'Queue' and 'Interface' parameters.");
  const iface = required(action, "Interface", "Need 'Queue' and 'Interface' parameters.");
  const queue = pbx.queues.get(name);
  if (queue === undefined) throw new Error("Unable to remove interface from queue: No such queue");
  const member = queue.member(iface);
  if (member === undefined) throw new Error("Unable to remove interface: Not there");
  queue.members.splice(queue.members.indexOf(member), 1);
  pbx.event("QueueMemberRemoved", "agent", [["Queue", queue.name], ...member.eventFields()]);
  queue.notify();
  return { Message: "Removed interface from queue" };
}

/** Pauses or unpauses a member in one queue or in all; returns whether it was found. */
export function pauseMember(
  pbx: PbxCore,
  iface: string,
  paused: boolean,
  reason: string,
  queueName: string | undefined,
): boolean {
  let found = false;
  for (const queue of pbx.queues.values()) {
    if (queueName !== undefined && queueName !== "" && queue.name !== queueName) continue;
    const member = queue.member(iface);
    if (member === undefined) continue;
    found = true;
    member.paused = paused;
    member.pausedReason = paused ? reason : "";
    member.lastPause = Math.floor(Date.now() / 1000);
    pbx.event("QueueMemberPause", "agent", [["Queue", queue.name], ...member.eventFields()]);
    queue.notify();
  }
  return found;
}

/** `QueuePause`: pauses or unpauses a member in one queue or in all (`QueueMemberPause`). */
export function queuePauseAction(pbx: PbxCore, action: AmiMessage): AmiTestFields {
  const iface = required(action, "Interface", "Need 'Interface' and 'Paused' parameters.");
  const paused = isTrue(required(action, "Paused", "Need 'Interface' and 'Paused' parameters."));
  const reason = action.get("Reason")?.trim() ?? "";
  if (!pauseMember(pbx, iface, paused, reason, action.get("Queue")?.trim())) {
    throw new Error("Interface not found");
  }
  return { Message: paused ? "Interface paused successfully" : "Interface unpaused successfully" };
}
