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
  "Newexten",
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
  "VarSet",
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

/**
 * The extra event names the view's consumer takes for the queues, devices
 * and hints it follows (with their lists' items and closing events).
 */
export function callCentreEventNames(
  follows: { queues: boolean; devices: boolean; hints: boolean },
): string[] {
  const names: string[] = [];
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
