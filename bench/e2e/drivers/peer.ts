/**
 * What every npm peer driver shares: its arguments, and the two things it
 * is run for. `--mode=stream` runs the realistic consumer on the event
 * stream; `--mode=pings` sends `--pings` `Ping` actions one at a time after
 * `--warmup` more. Each peer file says how its client connects, reads the
 * six fields and sends a ping, through its own documented API.
 *
 * @module
 */

import { RealisticConsumer } from "../consumer.ts";
import { argument, inFlight, measurePings, watchStream } from "../measure.ts";

/** How a peer client is driven. */
export interface PeerClient {
  /**
   * Connects and logs in with events on, then calls `onEvent` with each
   * event as that client hands it over.
   */
  connect(onEvent: (event: unknown) => void): Promise<void> | void;
  /** Calls the consumer with the six readings of one event. */
  read(event: unknown, consumer: RealisticConsumer): void;
  /** Sends one `Ping` and resolves with its answer, checked. */
  ping(): Promise<void>;
}

/** Runs `client` as the command line asks. */
export async function drivePeer(client: PeerClient): Promise<void> {
  if (Deno.args.includes("--mode=pings")) {
    await client.connect(() => {});
    const pings = argument("pings");
    const ping = () => withTimeout(client.ping(), PING_TIMEOUT_MS);
    await measurePings(
      (count, deadline) => inFlight(count, 1, ping, deadline),
      pings,
      argument("warmup", 0),
    );
    return;
  }
  const consumer = new RealisticConsumer();
  const watch = watchStream(argument("events"), consumer);
  await client.connect((event) => {
    client.read(event, consumer);
    watch.seen();
  });
}

/** How long a peer may take to answer one ping before its run fails. */
const PING_TIMEOUT_MS = 10_000;

/** `promise`, or a rejection once `ms` have passed without it settling. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`a ping got no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The port of the bench server. */
export const PORT: number = argument("port");

/** Fails unless `answer` is a `Pong`, wherever the client keeps its fields. */
export function checkPong(answer: unknown): void {
  const fields = answer as Record<string, unknown> | undefined;
  const ping = fields?.Ping ?? fields?.ping;
  if (ping !== "Pong") throw new Error(`not a Pong: ${JSON.stringify(answer)?.slice(0, 200)}`);
}
