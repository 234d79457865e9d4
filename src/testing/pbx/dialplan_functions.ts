/**
 * The dialplan functions `GetVar` evaluates (`LEN()`, `CHANNEL()`,
 * `CALLERID()`), as lookup tables, and plain variable lookup.
 *
 * @module
 */

import type { Channel } from "./channel.ts";

/** What `CHANNEL(item)` reads. */
const CHANNEL_ITEMS: Readonly<Record<string, (channel: Channel) => string>> = {
  name: (channel) => channel.name,
  state: (channel) => channel.stateDesc,
  uniqueid: (channel) => channel.uniqueid,
  linkedid: (channel) => channel.linkedid,
};

/** What `CALLERID(item)` reads. */
const CALLERID_ITEMS: Readonly<Record<string, (channel: Channel) => string>> = {
  all: (channel) => channel.callerIdAll,
  num: (channel) => channel.callerIdNum,
  name: (channel) => channel.callerIdName,
};

/** A dialplan function: its argument and the channel it runs on give its value. */
type DialplanFunction = (argument: string, channel: Channel | undefined) => string;

function channelItem(items: Readonly<Record<string, (channel: Channel) => string>>) {
  return (argument: string, channel: Channel | undefined): string => {
    if (channel === undefined) return "";
    const read = Object.hasOwn(items, argument.toLowerCase())
      ? items[argument.toLowerCase()]
      : undefined;
    return read === undefined ? "" : read(channel);
  };
}

const FUNCTIONS: Readonly<Record<string, DialplanFunction>> = {
  LEN: (argument) => String([...argument].length),
  CHANNEL: channelItem(CHANNEL_ITEMS),
  CALLERID: channelItem(CALLERID_ITEMS),
};

/**
 * The value of a `GetVar` expression: a known function call, or a channel
 * variable, or a global one; `""` for anything unknown.
 */
export function evaluate(
  expression: string,
  channel: Channel | undefined,
  globals: ReadonlyMap<string, string>,
): string {
  const call = /^([A-Z_]+)\((.*)\)$/i.exec(expression);
  if (call !== null) {
    const name = call[1]!.toUpperCase();
    const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    return fn === undefined ? "" : fn(call[2]!, channel);
  }
  return channel?.variables.get(expression) ?? globals.get(expression) ?? "";
}
