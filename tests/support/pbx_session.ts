/**
 * Talking to a simulated PBX in tests: a logged-in client that sees events,
 * lists collected by ActionID, and the recordings' field orders to compare
 * with.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { AmiMessage, SimulatedPbx } from "../../testing.ts";
import { AmiFrameParser } from "../../src/wire/parser.ts";
import { RawAmiClient } from "./raw_ami_client.ts";

const FIXTURES = new URL("../fixtures/asterisk-23/", import.meta.url);

/** The frames a recording's server sent. */
export async function recordedFrames(name: string): Promise<AmiMessage[]> {
  return AmiFrameParser.parseAll(await Deno.readFile(new URL(`${name}.server.raw`, FIXTURES)));
}

/** A frame's keys in order, without `Timestamp` (which depends on the settings). */
export function keysOf(message: AmiMessage): string[] {
  return message.fields().map(([key]) => key).filter((key) => key !== "Timestamp");
}

/** The first frame named `name` (an event, or a list item) in `frames`. */
export function firstNamed(frames: readonly AmiMessage[], name: string): AmiMessage {
  const found = frames.find((m) => m.name === name && m.kind === "event");
  assert.ok(found !== undefined, `no ${name} in the frames`);
  return found;
}

/** Logs in with events on (or off) and takes FullyBooted. */
export async function pbxClient(pbx: SimulatedPbx, events = "on"): Promise<RawAmiClient> {
  const client = new RawAmiClient(pbx.server.connect());
  await client.login(events);
  if (events === "on") assert.equal((await client.next()).name, "FullyBooted");
  return client;
}

/**
 * Sends an action and returns its response and the list it answers with
 * (every frame with its ActionID up to the complete event); other frames
 * received meanwhile are kept in `others`.
 */
export async function sendList(
  client: RawAmiClient,
  fields: Record<string, string>,
): Promise<
  { response: AmiMessage; items: AmiMessage[]; complete: AmiMessage; others: AmiMessage[] }
> {
  const id = `${fields.Action}-${crypto.randomUUID()}`;
  await client.action({ ...fields, ActionID: id });
  const others: AmiMessage[] = [];
  const items: AmiMessage[] = [];
  let response: AmiMessage | undefined;
  while (true) {
    const message = await client.next();
    if (message.actionId !== id) {
      others.push(message);
    } else if (message.kind === "response") {
      response = message;
      if (message.get("EventList") !== "start") {
        return { response, items, complete: message, others };
      }
    } else if (message.get("EventList") === "Complete") {
      return { response: response!, items, complete: message, others };
    } else {
      items.push(message);
    }
  }
}

/** Sends an action and returns its response; frames received before it go to `others`. */
export async function sendAction(
  client: RawAmiClient,
  fields: Record<string, string>,
  others: AmiMessage[] = [],
): Promise<AmiMessage> {
  const id = `${fields.Action}-${crypto.randomUUID()}`;
  await client.action({ ...fields, ActionID: id });
  while (true) {
    const message = await client.next();
    if (message.actionId === id && message.kind === "response") return message;
    others.push(message);
  }
}

/** Takes events until one named `name` arrives; returns all taken, it last. */
export async function eventsUntil(client: RawAmiClient, name: string): Promise<AmiMessage[]> {
  const taken: AmiMessage[] = [];
  while (true) {
    const message = await client.next();
    taken.push(message);
    if (message.name === name && message.kind === "event") return taken;
  }
}
