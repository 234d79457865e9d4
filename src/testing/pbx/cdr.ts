/**
 * The `Cdr` event a channel's call detail record raises when the call ends.
 *
 * @module
 */

import { cdrTime, type Channel } from "./channel.ts";
import type { PbxCore } from "./core.ts";

/** A CDR to write when the call ends. */
export interface CdrParty {
  readonly channel: Channel;
  readonly destination: Channel | undefined;
  readonly disposition: string;
  readonly lastApplication: string;
  readonly lastData: string;
}

/** The CDR of an answered channel, with what it ran last. */
export function answeredCdr(channel: Channel): CdrParty {
  return {
    channel,
    destination: undefined,
    disposition: "ANSWERED",
    lastApplication: channel.application,
    lastData: channel.applicationData,
  };
}

/** Raises the `Cdr` event of one party, ending now. */
export function writeCdr(pbx: PbxCore, party: CdrParty): void {
  const { channel } = party;
  const end = Date.now();
  const answered = party.disposition === "ANSWERED" ? channel.answeredAt : undefined;
  pbx.event("Cdr", "cdr", [
    ["AccountCode", channel.accountCode],
    ["Source", channel.callerIdNum],
    ["Destination", channel.exten],
    ["DestinationContext", channel.context],
    ["CallerID", channel.callerIdAll],
    ["Channel", channel.name],
    ["DestinationChannel", party.destination?.name ?? ""],
    ["LastApplication", party.lastApplication],
    ["LastData", party.lastData],
    ["StartTime", cdrTime(channel.createdAt)],
    ["AnswerTime", party.disposition === "ANSWERED" ? cdrTime(channel.answeredAt) : ""],
    ["EndTime", cdrTime(end)],
    ["Duration", String(Math.floor((end - channel.createdAt) / 1000))],
    ["BillableSeconds", String(answered === undefined ? 0 : Math.floor((end - answered) / 1000))],
    ["Disposition", party.disposition],
    ["AMAFlags", "DOCUMENTATION"],
    ["UniqueID", channel.uniqueid],
    ["UserField", ""],
  ]);
}
