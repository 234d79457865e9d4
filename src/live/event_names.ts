/**
 * The events the live view reads, by lower-case name: what its reducer
 * models, and what its own consumer asks the client (and, through automatic
 * server-side filters, Asterisk) for.
 *
 * @module
 */

/** Events that carry a plain channel block and change nothing else. */
export const PLAIN_CHANNEL_EVENTS: ReadonlySet<string> = new Set([
  "newchannel",
  "newstate",
  "newcallerid",
  "newconnectedline",
  "newaccountcode",
  "newexten",
  "hold",
  "unhold",
  "hanguprequest",
  "softhanguprequest",
  "musiconholdstart",
  "musiconholdstop",
  "dtmfbegin",
  "dtmfend",
  "queuecallerjoin",
  "queuecallerleave",
  "queuecallerabandon",
  "agentcalled",
  "agentconnect",
  "agentcomplete",
  "agentringnoanswer",
  "agentdump",
]);

/** Every event some part of the reducer reads. */
export const MODELLED_EVENTS: ReadonlySet<string> = new Set([
  ...PLAIN_CHANNEL_EVENTS,
  "hangup",
  "varset",
  "rename",
  "bridgecreate",
  "bridgeenter",
  "bridgeleave",
  "bridgedestroy",
  "bridgemerge",
  "localbridge",
  "dialbegin",
  "dialstate",
  "dialend",
  "localoptimizationbegin",
  "queuememberstatus",
  "queuememberadded",
  "queuememberremoved",
  "queuememberpause",
  "queuememberpenalty",
  "queuememberringinuse",
  "devicestatechange",
  "extensionstatus",
]);

/** The items and closing events of the snapshot lists, which reach the consumer while ordering by arrival. */
const LIST_EVENTS = [
  "CoreShowChannel",
  "CoreShowChannelsComplete",
  "BridgeListItem",
  "BridgeListComplete",
];

/** The event names the view's consumer takes, as Asterisk spells them. */
export const LIVE_EVENT_NAMES: readonly string[] = [
  "Newchannel",
  "Newstate",
  "NewCallerid",
  "NewConnectedLine",
  "NewAccountCode",
  "Hold",
  "Unhold",
  "HangupRequest",
  "SoftHangupRequest",
  "MusicOnHoldStart",
  "MusicOnHoldStop",
  "DTMFBegin",
  "DTMFEnd",
  "QueueCallerJoin",
  "QueueCallerLeave",
  "QueueCallerAbandon",
  "AgentCalled",
  "AgentConnect",
  "AgentComplete",
  "AgentRingNoAnswer",
  "AgentDump",
  "Hangup",
  "Rename",
  "BridgeCreate",
  "BridgeEnter",
  "BridgeLeave",
  "BridgeDestroy",
  "BridgeMerge",
  "LocalBridge",
  "DialBegin",
  "DialState",
  "DialEnd",
  "LocalOptimizationBegin",
  // Tells that a (restarted) Asterisk has loaded every module.
  "FullyBooted",
  ...LIST_EVENTS,
];

/** What a view follows beyond channels, bridges and calls, as far as its events go. */
export interface FollowedEvents {
  /** Channel variables (`VarSet`). */
  readonly variables: boolean;
  /** Every dialplan step (`Newexten`). */
  readonly dialplan: boolean;
  readonly queues: boolean;
  readonly devices: boolean;
  readonly hints: boolean;
}

/**
 * The extra event names the view's consumer takes for what it follows
 * beyond channels, bridges and calls (with their lists' items and closing
 * events). `VarSet` (about 31% of the bytes of a busy PBX) only when
 * variables are kept, `Newexten` (about 20%) only when dialplan steps are
 * followed: server-side filters then spare Asterisk sending them.
 */
export function optionalEventNames(follows: FollowedEvents): string[] {
  const names: string[] = [];
  if (follows.variables) names.push("VarSet");
  if (follows.dialplan) names.push("Newexten");
  if (follows.queues) {
    names.push(
      "QueueMemberStatus",
      "QueueMemberAdded",
      "QueueMemberRemoved",
      "QueueMemberPause",
      "QueueMemberPenalty",
      "QueueMemberRinginuse",
      "QueueParams",
      "QueueMember",
      "QueueEntry",
      "QueueStatusComplete",
    );
  }
  if (follows.devices) names.push("DeviceStateChange", "DeviceStateListComplete");
  if (follows.hints) names.push("ExtensionStatus", "ExtensionStateListComplete");
  return names;
}
