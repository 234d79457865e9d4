/**
 * A small user program for timing `deno check` with the typed catalog: one
 * `send`, one `sendList` and one `events` loop, as an application would
 * write them. Nothing runs; `deno check codegen/check_time_program.ts` is
 * the measurement (see `codegen/README.md`).
 *
 * @module
 */

import type { AmiActionInput, AmiEvent, AmiEventOf, AmiListItemOf, AmiResponseOf } from "../mod.ts";

/** The client's typed surface, as `AmiClient` declares it. */
interface TypedClient {
  send<N extends string>(action: AmiActionInput<N>): Promise<AmiResponseOf<N>>;
  sendList<N extends string>(
    action: AmiActionInput<N>,
  ): Promise<{ response: AmiResponseOf<N>; items: AmiListItemOf<N>[]; complete: AmiEvent }>;
  events<N extends string>(filter: N | readonly N[]): AsyncIterable<AmiEventOf<N>>;
}

/** Originates a call, lists the channels, then logs hangups. */
export async function run(client: TypedClient): Promise<string[]> {
  const lines: string[] = [];
  const originated = await client.send({
    Action: "Originate",
    Channel: "Local/100@default",
    Exten: "200",
    Context: "default",
    Priority: 1,
    Async: true,
    Variable: ["A=1", "B=2"],
  });
  lines.push(originated.Response);
  const { items } = await client.sendList({ Action: "CoreShowChannels" });
  for (const channel of items) lines.push(`${channel.Channel} ${channel.ChannelStateDesc}`);
  for await (const ev of client.events("Hangup")) {
    lines.push(`${ev.Channel} ${ev.Cause}`);
    if (lines.length > 10) break;
  }
  return lines;
}
