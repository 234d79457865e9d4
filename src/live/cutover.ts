/**
 * The cutover: a new model from the snapshot lists and the events buffered
 * while they were taken, and its difference from the model it replaces.
 *
 * For each domain, an event read before the domain's list response is
 * already in the list (Asterisk writes no event inside a list) and is
 * skipped for that domain; every later event is applied, including those
 * the list is already ahead of, which the idempotent reducer absorbs.
 *
 * @module
 */

import { diffModels } from "./diff.ts";
import type { LiveSettings } from "./options.ts";
import type { OrderedList } from "./ordering.ts";
import { BRIDGES, CHANNELS, DEVICES, HINTS, LiveReducer, QUEUES } from "./reducer.ts";
import type { LiveEventInput } from "./event_fields.ts";
import type { PendingChange } from "./types.ts";

/** An event read while a snapshot was taken, with its place in the order. */
export interface BufferedEvent {
  readonly event: LiveEventInput;
  readonly order: number;
}

/** What the snapshot actions returned. */
export interface SnapshotLists {
  /** `CoreShowChannels`. */
  readonly channels: OrderedList;
  /** `BridgeList`, when Asterisk answered it; without it bridges follow the channels. */
  readonly bridges: OrderedList | undefined;
  /** `QueueStatus`, `DeviceStateList`, `ExtensionStateList`, when followed and answered. */
  readonly queues?: OrderedList | undefined;
  readonly devices?: OrderedList | undefined;
  readonly hints?: OrderedList | undefined;
  /** Whether `CoreStatus` shows another startup time than the replaced model's PBX. */
  readonly restarted: boolean;
}

/** The new model and what differs from the one it replaces. */
export interface Cutover {
  readonly model: LiveReducer;
  readonly diff: PendingChange[];
  /** Where each domain's list sits in the event order: older events are already in it. */
  readonly cuts: CutPositions;
}

/** The place of each domain's list in the event order. */
export interface CutPositions {
  readonly channels: number;
  readonly bridges: number;
  readonly queues: number;
  readonly devices: number;
  readonly hints: number;
}

/** The cut positions of a snapshot's lists (a missing list cuts where the channels do). */
export function cutPositionsOf(lists: SnapshotLists): CutPositions {
  const at = lists.channels.order;
  return {
    channels: at,
    bridges: lists.bridges?.order ?? at,
    queues: lists.queues?.order ?? at,
    devices: lists.devices?.order ?? at,
    hints: lists.hints?.order ?? at,
  };
}

/** Where the first of a snapshot's lists sits: an event after it may be missing from a list. */
export function earliestCut(cuts: CutPositions): number {
  return Math.min(cuts.channels, cuts.bridges, cuts.queues, cuts.devices, cuts.hints);
}

/**
 * The domains an event at `order` may still change: those whose list was
 * taken before it. An event the consumer delivers late, after the cut-over,
 * is filtered the same way as one buffered during the snapshot.
 */
export function domainsAfter(cuts: CutPositions, order: number): number {
  return (order > cuts.channels ? CHANNELS : 0) | (order > cuts.bridges ? BRIDGES : 0) |
    (order > cuts.queues ? QUEUES : 0) | (order > cuts.devices ? DEVICES : 0) |
    (order > cuts.hints ? HINTS : 0);
}

/** Builds the model that replaces `before` from the lists and the buffered events. */
export function cutOver(
  before: LiveReducer,
  settings: LiveSettings,
  lists: SnapshotLists,
  buffered: readonly BufferedEvent[],
  now: number,
): Cutover {
  const { channels, bridges, restarted } = lists;
  const model = new LiveReducer(settings, restarted ? undefined : before.calls.identities());
  if (bridges !== undefined) model.seedBridges(bridges.items, now);
  model.seedChannels(channels.items, now);
  const { queues, devices, hints } = lists;
  model.seedCallCentre(
    { queues: queues?.items, devices: devices?.items, hints: hints?.items },
    now,
  );
  if (!restarted) model.adoptRetained(before, now);
  const cuts = cutPositionsOf(lists);
  for (const { event, order } of buffered) {
    const domains = domainsAfter(cuts, order);
    if (domains !== 0) model.apply(event, domains);
  }
  // After a restart the old Uniqueids are gone even where the new ones look the same.
  const diff = restarted
    ? [
      ...diffModels(before, new LiveReducer(settings), "restart"),
      ...diffModels(new LiveReducer(settings), model, "restart"),
    ]
    : diffModels(before, model, "resync");
  return { model, diff, cuts };
}
