/**
 * Benchmark input: the real burst recording, and a generator of realistic
 * synthetic events for runs larger than any recording.
 *
 * The synthetic events copy the shape of what Asterisk 23 sends during a
 * call flood (see `19-burst-originate`): about 500 bytes each, the channel
 * headers on every event, two `ChanVariable` lines (a repeated key), and
 * caller names with some UTF-8.
 *
 * @module
 */

/** Where the real 5.9 MB burst recording lives, relative to this file. */
export const BURST_RECORDING = new URL(
  "../tests/fixtures/asterisk-23/19-burst-originate.server.raw",
  import.meta.url,
);

/** The banner a server sends first, as Asterisk 23 does. */
export const BANNER = "Asterisk Call Manager/13.0.0\r\n";

const CALLER_NAMES = [
  "<unknown>",
  "Alice Martin",
  "José Müller",
  "Łukasz Żółć",
  "Søren Ærø",
  "山田 太郎",
  "Zoë Ångström",
  "Bob",
];

const STATES = [
  ["0", "Down"],
  ["4", "Ring"],
  ["5", "Ringing"],
  ["6", "Up"],
] as const;

/**
 * The text of one synthetic event, number `index` of a stream. Consecutive
 * indexes cycle through the event types of a call flood.
 *
 * @param index The event's place in the stream; it shapes the channel names and ids.
 * @returns One frame, closing empty line included.
 */
export function syntheticEvent(index: number): string {
  const call = Math.floor(index / 8);
  const leg = index % 2 === 0 ? 1 : 2;
  const [state, stateDesc] = STATES[index % STATES.length]!;
  const caller = CALLER_NAMES[call % CALLER_NAMES.length]!;
  const number = String(2000 + (call % 7000));
  const seconds = 1795490732 + Math.floor(index / 5000);
  const micros = String(index % 1_000_000).padStart(6, "0");
  const channel = `Local/answer@ami-test-${call.toString(16).padStart(8, "0")};${leg}`;
  const uniqueid = `amitest-${seconds}.${index}`;
  const common = `Privilege: call,all\r\n` +
    `Timestamp: ${seconds}.${micros}\r\n` +
    `SystemName: amitest\r\n` +
    `Channel: ${channel}\r\n` +
    `ChannelState: ${state}\r\n` +
    `ChannelStateDesc: ${stateDesc}\r\n` +
    `CallerIDNum: ${number}\r\n` +
    `CallerIDName: ${caller}\r\n` +
    `ConnectedLineNum: <unknown>\r\n` +
    `ConnectedLineName: <unknown>\r\n` +
    `Language: en\r\n` +
    `AccountCode: \r\n` +
    `Context: ami-test\r\n` +
    `Exten: answer\r\n` +
    `Priority: 1\r\n` +
    `Uniqueid: ${uniqueid}\r\n` +
    `Linkedid: amitest-${seconds}.${index - (index % 8)}\r\n` +
    `ChanVariable: AMITEST_TAG=burst${call % 100}\r\n` +
    `ChanVariable: AMITEST_UNSET=\r\n`;
  switch (index % 4) {
    case 0:
      return `Event: Newchannel\r\n${common}\r\n`;
    case 1:
      return `Event: VarSet\r\n${common}Variable: CALLERNAME\r\nValue: ${caller}\r\n\r\n`;
    case 2:
      return `Event: Newexten\r\n${common}Extension: answer\r\n` +
        `Application: Dial\r\nAppData: Local/callee@ami-test,30,tT\r\n\r\n`;
    default:
      return `Event: Hangup\r\n${common}Cause: 16\r\nCause-txt: Normal Clearing\r\n\r\n`;
  }
}

/**
 * A block of `count` synthetic events, as bytes, with the offset where
 * each one ends (so that a stream can be cut on event boundaries).
 *
 * @param count How many events.
 * @param first The index of the first event.
 * @returns The bytes and the end offsets.
 */
export function syntheticBlock(
  count: number,
  first = 0,
): { bytes: Uint8Array; ends: Uint32Array } {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const ends = new Uint32Array(count);
  let length = 0;
  for (let i = 0; i < count; i++) {
    const part = encoder.encode(syntheticEvent(first + i));
    parts.push(part);
    length += part.length;
    ends[i] = length;
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return { bytes, ends };
}

/**
 * Cuts `bytes` into chunks of about `size` bytes, as a socket would hand
 * them over: chunk boundaries fall anywhere, inside frames and inside UTF-8
 * sequences.
 *
 * @param bytes The whole stream.
 * @param size The chunk size.
 * @returns Views into `bytes`.
 */
export function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}
