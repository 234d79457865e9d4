/**
 * Test helpers for code that uses the Asterisk Manager Interface: an
 * in-process AMI server ({@linkcode AmiTestServer}) that behaves like
 * Asterisk, replays recorded sessions and injects faults, and a simulated
 * PBX ({@linkcode SimulatedPbx}) whose calls raise the events a real
 * Asterisk raises.
 *
 * @example A test server answering a custom action in memory
 * ```ts
 * import { AmiTestServer } from "@x/ami/testing";
 * import { AmiFrameParser, type AmiMessage } from "@x/ami";
 * import assert from "node:assert/strict";
 *
 * await using server = new AmiTestServer({ users: { admin: "amp111" } });
 * server.handle("GetVar", (action) => ({ Variable: action.get("Variable")!, Value: "42" }));
 *
 * const { readable, writable } = server.connect(); // or server.listen() for TCP
 * const writer = writable.getWriter();
 * await writer.write(new TextEncoder().encode(
 *   "Action: Login\r\nUsername: admin\r\nSecret: amp111\r\nEvents: off\r\n\r\n" +
 *     "Action: GetVar\r\nActionID: v1\r\nVariable: ANSWER\r\n\r\n",
 * ));
 *
 * const messages: AmiMessage[] = [];
 * const parser = new AmiFrameParser((message) => messages.push(message));
 * const reader = readable.getReader();
 * while (messages.length < 2) parser.push((await reader.read()).value!);
 * assert.equal(messages[1]!.actionId, "v1");
 * assert.equal(messages[1]!.get("Value"), "42");
 * assert.equal(server.received[1]!.get("Variable"), "ANSWER");
 *
 * await writer.close();
 * reader.releaseLock();
 * ```
 *
 * @example A simulated PBX: originate a call and watch it end
 * ```ts
 * import { SimulatedPbx } from "@x/ami/testing";
 * import assert from "node:assert/strict";
 *
 * await using pbx = new SimulatedPbx({ callDurationMs: 10 });
 * pbx.server.listen({ hostname: "127.0.0.1", port: 0 }); // clients connect to pbx.server.url
 * const call = await pbx.originate({ Channel: "PJSIP/100", Context: "default", Exten: "200", Priority: 1 });
 * assert.equal(call.channel, "PJSIP/100-00000000");
 * await pbx.waitForIdle(); // Hangup, Cdr … went to every logged-in client
 * assert.equal(pbx.channels.length, 0);
 * ```
 *
 * @example Replaying a recorded session (the `.server.raw` format of the Asterisk fixtures)
 * ```ts ignore
 * import { AmiTestServer } from "@x/ami/testing";
 *
 * // Run with --allow-read for the recording.
 * const dir = new URL("./fixtures/asterisk-23/", import.meta.url);
 * await using server = AmiTestServer.replay(await Deno.readFile(new URL("22-pipelining.server.raw", dir)), {
 *   timeline: await Deno.readTextFile(new URL("22-pipelining.timeline.jsonl", dir)),
 *   client: await Deno.readFile(new URL("22-pipelining.client.raw", dir)),
 * });
 * const { readable, writable } = server.connect(); // hand these to the client under test
 * ```
 *
 * @module
 */

export { type AmiFieldValue, AmiMessage, type AmiMessageKind } from "./src/wire/message.ts";
export type { AmiStreamPair, AmiTestAddress, AmiTestTransport } from "./src/testing/links.ts";
export { AmiTestServer } from "./src/testing/server.ts";
export {
  type AmiTestCommand,
  type AmiTestCommandResult,
  type AmiTestConnection,
  type AmiTestListenOptions,
  type AmiTestServerOptions,
  DEFAULT_BANNER,
} from "./src/testing/server_options.ts";
export { type AmiTestHandler, AmiTestSession } from "./src/testing/session.ts";
export {
  type AmiTestEvent,
  AmiTestEventList,
  type AmiTestEventListOptions,
  type AmiTestFields,
  AmiTestRawReply,
  type AmiTestRawThen,
  type AmiTestReply,
  eventList,
  rawReply,
} from "./src/testing/replies.ts";
export {
  type AmiTestFaults,
  garbageBytes,
  invalidUtf8Event,
  oversizeFrame,
} from "./src/testing/faults.ts";
export type { ActionMatcher } from "./src/testing/action_log.ts";
export {
  type AmiReplayOptions,
  type AmiReplayTimelineEntry,
  parseTimeline,
} from "./src/testing/replay.ts";
export type {
  SimulatedChannelInfo,
  SimulatedOriginateResult,
  SimulatedOutcome,
  SimulatedPbxOptions,
  SimulatedQueue,
  SimulatedQueueMember,
} from "./src/testing/pbx/options.ts";
export { SimulatedPbx } from "./src/testing/pbx/pbx.ts";
export {
  callCentreOptions,
  SimulatedTraffic,
  type SimulatedTrafficOptions,
} from "./src/testing/traffic.ts";
