/**
 * A {@linkcode LiveSource} driven by hand: the test pushes events and gaps,
 * sets the connection state, and holds or fails the snapshot lists, so that
 * the moments between a drop, the link's return and a resync can be looked
 * at one by one.
 *
 * @module
 */

import type { AmiEventStream } from "../../src/events/event_stream.ts";
import { AmiGap } from "../../src/events/gap.ts";
import type { LiveSource } from "../../src/live/source.ts";
import type { AmiEvent } from "../../src/types/maps.ts";
import { AmiMessage } from "../../src/wire/message.ts";

type Item = AmiEvent | AmiGap;

/** The view's event consumer: a queue the test fills. */
class HandStream implements AmiEventStream<Item> {
  reconnectGaps = 0;
  readonly #queue: Item[] = [];
  #waiter: ((result: IteratorResult<Item, undefined>) => void) | undefined;
  #done = false;

  get buffered(): number {
    return this.#queue.length;
  }

  push(item: Item): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter !== undefined) waiter({ value: item, done: false });
    else this.#queue.push(item);
  }

  next(): Promise<IteratorResult<Item, undefined>> {
    const item = this.#queue.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#waiter = resolve);
  }

  return(): Promise<IteratorResult<Item, undefined>> {
    this.#done = true;
    this.#queue.length = 0;
    this.#waiter?.({ value: undefined, done: true });
    this.#waiter = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }
}

/** A list answer the test decides: its items, or an error. */
type ListAnswer = readonly Record<string, string>[] | Error;

/** A source whose events, state and lists the test controls. */
export class HandLiveSource implements LiveSource {
  state = "connected";
  readonly stream = new HandStream();
  /** `CoreShowChannels` items (or an error) for the next snapshots. */
  channels: ListAnswer = [];
  /** The event names the view asked for. */
  asked: readonly string[] = [];
  #seq = 0;
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;

  events(filter: readonly string[]): AmiEventStream<Item> {
    this.asked = filter;
    return this.stream;
  }

  send(): Promise<AmiMessage> {
    return Promise.resolve(
      this.#message([["Response", "Success"], ["CoreStartupDate", "2026-12-04"], [
        "CoreStartupTime",
        "10:00:00",
      ]]),
    );
  }

  async sendList(
    action: { Action: string },
  ): Promise<{ readonly response: AmiMessage; readonly items: readonly AmiMessage[] }> {
    await this.#held;
    const answer: ListAnswer = action.Action === "CoreShowChannels" ? this.channels : [];
    if (answer instanceof Error) throw answer;
    const response = this.#message([["Response", "Success"], ["EventList", "start"]]);
    const items = answer.map((fields) => this.#message(Object.entries(fields)));
    return { response, items };
  }

  /** An event, numbered after everything so far. */
  push(fields: Record<string, string>): void {
    this.stream.push(this.#message(Object.entries(fields)) as unknown as AmiEvent);
  }

  /** Lists wait until {@linkcode HandLiveSource.release}. */
  hold(): void {
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#held = promise;
    this.#release = resolve;
  }

  release(): void {
    this.#held = undefined;
    this.#release?.();
  }

  #message(pairs: [string, string][]): AmiMessage {
    return new AmiMessage(pairs, Date.now(), ++this.#seq);
  }
}

/** A `CoreShowChannel` item of an answered channel. */
export function listedChannel(uniqueid: string, name: string): Record<string, string> {
  return {
    Event: "CoreShowChannel",
    Channel: name,
    ChannelState: "6",
    ChannelStateDesc: "Up",
    Uniqueid: uniqueid,
    Linkedid: uniqueid,
    Duration: "00:00:01",
  };
}

/** A `Newchannel` event of a ringing channel. */
export function newChannel(uniqueid: string, name: string): Record<string, string> {
  return {
    Event: "Newchannel",
    Channel: name,
    ChannelState: "4",
    ChannelStateDesc: "Ring",
    Uniqueid: uniqueid,
    Linkedid: uniqueid,
  };
}

/** A gap: lost events (`overflow`) or a reconnect. */
export function gap(reason: "overflow" | "reconnect"): AmiGap {
  return new AmiGap(reason);
}
