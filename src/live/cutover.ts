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
  const bridgeCut = bridges?.order ?? channels.order;
  for (const { event, order } of buffered) {
    const domains = (order > channels.order ? CHANNELS : 0) | (order > bridgeCut ? BRIDGES : 0) |
      (order > (queues?.order ?? channels.order) ? QUEUES : 0) |
      (order > (devices?.order ?? channels.order) ? DEVICES : 0) |
      (order > (hints?.order ?? channels.order) ? HINTS : 0);
    if (domains !== 0) model.apply(event, domains);
  }
  // After a restart the old Uniqueids are gone even where the new ones look the same.
  const diff = restarted
    ? [
      ...diffModels(before, new LiveReducer(settings), "restart"),
      ...diffModels(new LiveReducer(settings), model, "restart"),
    ]
    : diffModels(before, model, "resync");
  return { model, diff };
}
