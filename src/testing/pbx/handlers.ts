/**
 * Everything the simulated PBX answers, registered on its server in one
 * place: the actions by name and the CLI commands. Each answer reads the
 * PBX as it is now, so a restart (a new {@linkcode PbxCore}) changes what
 * the same handlers see.
 *
 * @module
 */

import type { AmiMessage } from "../../wire/message.ts";
import type { AmiTestFields, AmiTestReply } from "../replies.ts";
import type { AmiTestServer } from "../server.ts";
import type { AmiTestHandler } from "../session.ts";
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

/** Registers the PBX's actions and CLI commands on its server; `core` is the PBX now. */
export function registerHandlers(server: AmiTestServer, core: () => PbxCore): void {
  server
    .handle("Originate", (action) => originateAction(core(), action))
    .handle("Hangup", (action) => hangupAction(core(), action))
    .handle("CoreShowChannels", () => coreShowChannels(core()))
    .handle("Status", (action) => statusAction(core(), action))
    .handle("GetVar", (action) => getVarAction(core(), action))
    .handle("Setvar", (action) => setVarAction(core(), action))
    .handle("CoreStatus", () => coreStatusAction(core()))
    .handle("BridgeList", (action) => bridgeListAction(core(), action))
    .handle("BridgeInfo", (action) => bridgeInfoAction(core(), action))
    .handle("DeviceStateList", () => deviceStateListAction(core()))
    .handle("ExtensionStateList", () => extensionStateListAction(core()))
    .handle("ExtensionState", (action) => extensionStateAction(core(), action))
    .handle("PJSIPShowEndpoints", () => pjsipShowEndpointsAction(core()))
    .handle("QueueStatus", loadedLate(core, "QueueStatus", queueStatusAction))
    .handle("QueueSummary", loadedLate(core, "QueueSummary", queueSummaryAction))
    .handle("QueueAdd", loadedLate(core, "QueueAdd", queueAddAction))
    .handle("QueueRemove", loadedLate(core, "QueueRemove", queueRemoveAction))
    .handle("QueuePause", loadedLate(core, "QueuePause", queuePauseAction))
    .command("core show channels", () => showChannels(core()))
    .command("core show channels concise", () => showChannelsConcise(core()))
    .command("core show uptime", () => showUptime(core()))
    .command("core show version", () => showVersion());
}

/**
 * An action of a module that loads late (app_queue): until the PBX is fully
 * booted it is unknown, and Asterisk answers as for any unknown action.
 */
function loadedLate(
  core: () => PbxCore,
  name: string,
  answer: (pbx: PbxCore, action: AmiMessage) => AmiTestReply,
): AmiTestHandler {
  return (action) => {
    const pbx = core();
    return pbx.fullyBooted ? answer(pbx, action) : unknownAction(name);
  };
}

/** Asterisk's answer to an action no loaded module registered. */
function unknownAction(name: string): AmiTestFields {
  return {
    Response: "Error",
    Message:
      `Invalid/unknown command: ${name}. Use Action: ListCommands to show available commands.`,
  };
}
