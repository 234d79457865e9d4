/**
 * The actions a live view's snapshot is made of, sent together on one
 * connection: `CoreStatus` (to tell a restarted Asterisk), `CoreShowChannels`,
 * `BridgeList`, and the queue, device and hint lists the view follows.
 *
 * @module
 */

import { AmiActionError } from "../errors.ts";
import type { LiveSettings } from "./options.ts";
import { fetchOrderedList, type OrderedList } from "./ordering.ts";
import type { LiveSource } from "./source.ts";

/** What the snapshot actions returned. */
export interface FetchedLists {
  /** `CoreStatus`'s startup date and time; `undefined` when it was refused. */
  readonly startup: string | undefined;
  readonly channels: OrderedList;
  /** `undefined` when refused (bridges then follow the channels' `BridgeId`). */
  readonly bridges: OrderedList | undefined;
  readonly queues: OrderedList | undefined;
  readonly devices: OrderedList | undefined;
  readonly hints: OrderedList | undefined;
}

/**
 * Sends the snapshot actions at once and resolves with their answers.
 *
 * @throws {AmiActionError} when `CoreShowChannels` is refused. A refused
 *   optional list (bridges, queues, devices, hints) counts as none: never
 *   an error for `QueueStatus` answered "Invalid/unknown command" while
 *   app_queue is not loaded yet.
 */
export async function fetchSnapshotLists(
  client: LiveSource,
  settings: LiveSettings,
): Promise<FetchedLists> {
  const timeout = settings.snapshotTimeout;
  const startup = client.send({ Action: "CoreStatus" }, timeout === undefined ? {} : { timeout })
    .then(
      (status) => `${status.get("CoreStartupDate") ?? ""} ${status.get("CoreStartupTime") ?? ""}`,
      () => undefined,
    );
  const list = (action: string) => fetchOrderedList(client, action, timeout);
  const optional = (wanted: boolean, action: string) =>
    wanted ? orNone(list(action)) : Promise.resolve(undefined);
  const [started, channels, bridges, queues, devices, hints] = await Promise.all([
    startup,
    list("CoreShowChannels"),
    orNone(list("BridgeList")),
    optional(settings.queues !== undefined, "QueueStatus"),
    optional(settings.devices, "DeviceStateList"),
    optional(settings.hints, "ExtensionStateList"),
  ]);
  return {
    startup: started === undefined || started.trim() === "" ? undefined : started,
    channels,
    bridges,
    queues,
    devices,
    hints,
  };
}

/** A list the PBX refused (an old Asterisk, a module not loaded, no permission) as none. */
function orNone(fetch: Promise<OrderedList>): Promise<OrderedList | undefined> {
  return fetch.catch((error) => {
    if (error instanceof AmiActionError) return undefined;
    throw error;
  });
}
