/**
 * Everything the simulated PBX answers, registered on its server in one
 * place: the actions by name and the CLI commands.
 *
 * @module
 */

import type { AmiTestServer } from "../server.ts";
import {
  coreShowChannels,
  getVarAction,
  hangupAction,
  originateAction,
  setVarAction,
  statusAction,
} from "./actions.ts";
import { showChannels, showChannelsConcise } from "./cli_output.ts";
import type { PbxCore } from "./core.ts";
import {
  queueAddAction,
  queuePauseAction,
  queueRemoveAction,
  queueStatusAction,
  queueSummaryAction,
} from "./queue_actions.ts";
import {
  bridgeInfoAction,
  bridgeListAction,
  deviceStateListAction,
  extensionStateAction,
  extensionStateListAction,
  pjsipShowEndpointsAction,
} from "./state_actions.ts";
import { coreStatusAction, showUptime, showVersion } from "./system_actions.ts";

/** Registers the PBX's actions and CLI commands on its server. */
export function registerHandlers(server: AmiTestServer, pbx: PbxCore): void {
  server
    .handle("Originate", (action) => originateAction(pbx, action))
    .handle("Hangup", (action) => hangupAction(pbx, action))
    .handle("CoreShowChannels", () => coreShowChannels(pbx))
    .handle("Status", (action) => statusAction(pbx, action))
    .handle("GetVar", (action) => getVarAction(pbx, action))
    .handle("Setvar", (action) => setVarAction(pbx, action))
    .handle("CoreStatus", () => coreStatusAction(pbx))
    .handle("BridgeList", (action) => bridgeListAction(pbx, action))
    .handle("BridgeInfo", (action) => bridgeInfoAction(pbx, action))
    .handle("DeviceStateList", () => deviceStateListAction(pbx))
    .handle("ExtensionStateList", () => extensionStateListAction(pbx))
    .handle("ExtensionState", (action) => extensionStateAction(pbx, action))
    .handle("PJSIPShowEndpoints", () => pjsipShowEndpointsAction(pbx))
    .handle("QueueStatus", (action) => queueStatusAction(pbx, action))
    .handle("QueueSummary", (action) => queueSummaryAction(pbx, action))
    .handle("QueueAdd", (action) => queueAddAction(pbx, action))
    .handle("QueueRemove", (action) => queueRemoveAction(pbx, action))
    .handle("QueuePause", (action) => queuePauseAction(pbx, action))
    .command("core show channels", () => showChannels(pbx))
    .command("core show channels concise", () => showChannelsConcise(pbx))
    .command("core show uptime", () => showUptime(pbx))
    .command("core show version", () => showVersion());
}
