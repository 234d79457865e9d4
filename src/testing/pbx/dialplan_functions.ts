/**
 * The dialplan functions `GetVar` evaluates (`LEN()`, `CHANNEL()`,
 * `CALLERID()`, `GLOBAL()`, `DEVICE_STATE()`), as lookup tables, and plain
 * variable lookup.
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

/** What a dialplan function may read besides its argument. */
export interface DialplanScope {
  readonly channel: Channel | undefined;
  readonly globals: ReadonlyMap<string, string>;
  deviceState(device: string): string;
}

/** A dialplan function: its argument and the scope give its value. */
type DialplanFunction = (argument: string, scope: DialplanScope) => string;

function channelItem(items: Readonly<Record<string, (channel: Channel) => string>>) {
  return (argument: string, { channel }: DialplanScope): string => {
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
  GLOBAL: (argument, scope) => scope.globals.get(argument) ?? "",
  DEVICE_STATE: (argument, scope) => scope.deviceState(argument),
};

/**
 * The value of a `GetVar` expression: a known function call, or a channel
 * variable, or a global one; `""` for anything unknown.
 */
export function evaluate(expression: string, scope: DialplanScope): string {
  const call = /^([A-Z_]+)\((.*)\)$/i.exec(expression);
  if (call !== null) {
    const name = call[1]!.toUpperCase();
    const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    return fn === undefined ? "" : fn(call[2]!, scope);
  }
  return scope.channel?.variables.get(expression) ?? scope.globals.get(expression) ?? "";
}
