/**
 * The messages the bridge publishes: an event (its own text, with headers
 * and a `Nats-Msg-Id` that is the same on every retry), and a gap.
 *
 * @module
 */

import type { AmiEvent } from "../types/maps.ts";
import type { OutboxEntry } from "./outbox.ts";

/**
 * The JSON body of a gap message on `ami.<pbx>.gap`.
 *
 * @example
 * ```ts
 * import type { AmiBridgeGap } from "@x/ami/nats";
 * import assert from "node:assert/strict";
 * const gap: AmiBridgeGap = {
 *   pbx: "pbx-a", reason: "overflow", dropped: 120, fromSeq: 501, toSeq: 620,
 *   from: "2026-01-01T00:00:00.000Z", to: "2026-01-01T00:00:03.000Z", epoch: "1f2e3d4c5b6a",
 * };
 * assert.equal(gap.toSeq! - gap.fromSeq! + 1, gap.dropped);
 * ```
 */
export interface AmiBridgeGap {
  /** The PBX. */
  readonly pbx: string;
  /**
   * `overflow`: the outbox was full (NATS away too long) or the bridge fell
   * behind; `reconnect`: the AMI connection dropped and came back; `stop`:
   * the bridge stopped reading this PBX.
   */
  readonly reason: "overflow" | "reconnect" | "stop";
  /** Events lost, when known. */
  readonly dropped?: number;
  /** `Ami-Seq` of the first and last event lost, when known. */
  readonly fromSeq?: number;
  /** See `fromSeq`. */
  readonly toSeq?: number;
  /** From when to when (ISO 8601): the first and last loss, or the last event and the gap. */
  readonly from: string;
  /** See `from`. */
  readonly to: string;
  /** The AMI connection's epoch the gap belongs to. */
  readonly epoch: string;
}

/** What a gap message says, before it is written as JSON. */
export interface GapFacts {
  readonly reason: AmiBridgeGap["reason"];
  readonly dropped?: number | undefined;
  readonly fromSeq?: number | undefined;
  readonly toSeq?: number | undefined;
  /** In ms since the epoch. */
  readonly from: number;
  /** In ms since the epoch. */
  readonly to: number;
  readonly epoch: string;
}

/** The outbox entry of an event: its text, its headers, `Nats-Msg-Id: <pbx>:<epoch>:<seq>`. */
export function eventEntry(
  pbx: string,
  epoch: string,
  seq: number,
  event: AmiEvent,
  subject: string,
): OutboxEntry {
  const headers: [string, string][] = [
    ["Ami-Pbx", pbx],
    ["Ami-Event", event.name],
    ["Ami-Epoch", epoch],
    ["Ami-Seq", String(seq)],
  ];
  const uniqueid = event.get("Uniqueid");
  if (uniqueid !== undefined) headers.push(["Ami-Uniqueid", uniqueid]);
  const linkedid = event.get("Linkedid");
  if (linkedid !== undefined) headers.push(["Ami-Linkedid", linkedid]);
  const payload = event.toString();
  return { subject, payload, headers, msgId: `${pbx}:${epoch}:${seq}`, size: payload.length };
}

/** The outbox entry of a gap: {@linkcode AmiBridgeGap} as JSON on `ami.<pbx>.gap`. */
export function gapEntry(pbx: string, gap: GapFacts, subject: string, msgId: string): OutboxEntry {
  const body: AmiBridgeGap = {
    pbx,
    reason: gap.reason,
    ...(gap.dropped === undefined ? {} : { dropped: gap.dropped }),
    ...(gap.fromSeq === undefined ? {} : { fromSeq: gap.fromSeq }),
    ...(gap.toSeq === undefined ? {} : { toSeq: gap.toSeq }),
    from: new Date(gap.from).toISOString(),
    to: new Date(gap.to).toISOString(),
    epoch: gap.epoch,
  };
  const payload = JSON.stringify(body);
  return {
    subject,
    payload,
    headers: [["Ami-Pbx", pbx], ["Ami-Gap", gap.reason], ["Ami-Epoch", gap.epoch]],
    msgId,
    size: payload.length,
  };
}
