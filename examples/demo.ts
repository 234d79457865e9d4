// deno-lint-ignore-file no-console -- examples print to the terminal
/**
 * The quick start, end to end: connect, ping, count the channels, and (when
 * asked) originate one call and follow it to the hangup: who dials whom, the
 * dial status, the hangup cause in words. Then log off.
 *
 * Without `AMI_URL` it starts a simulated PBX in this process, talks to it
 * over TCP on 127.0.0.1, and places the call. With `AMI_URL` set
 * (`ami://user:secret@host:5038`) it talks to that Asterisk and places no
 * call unless asked: `--call`, or `AMI_DEMO_CALL=1`. The call dials
 * `AMI_DEMO_CHANNEL` (default `Local/100@default`) and, once answered, goes to
 * extension `AMI_DEMO_EXTEN` (default `200`) in `AMI_DEMO_CONTEXT` (default
 * `default`). Failures print one line on stderr and exit with 1.
 *
 * Run: `deno task demo`, or `AMI_URL=ami://admin:amp111@pbx:5038 deno task demo -- --call`.
 *
 * @module
 */
import { AmiActionError, AmiClient, AmiGap } from "../mod.ts";
import type { AmiMessage } from "../mod.ts";
import { SimulatedPbx } from "../testing.ts";

/** The call the demo places, from the environment. */
interface CallPlan {
  dial: string;
  exten: string;
  context: string;
}

const USAGE =
  "usage: deno task demo [-- --call]  (AMI_URL=ami://user:secret@host:5038 for a real PBX)";

if (import.meta.main) Deno.exit(await main(Deno.args));

async function main(args: string[]): Promise<number> {
  const unknown = args.filter((arg) => arg !== "--call");
  if (unknown.length > 0) {
    console.error(`demo: unknown argument ${JSON.stringify(unknown[0])}; ${USAGE}`);
    return 2;
  }
  try {
    await demo(args.includes("--call") || env("AMI_DEMO_CALL") === "1");
    return 0;
  } catch (error) {
    console.error(`demo: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    return 1;
  }
}

async function demo(callAsked: boolean): Promise<void> {
  const given = env("AMI_URL");
  await using pbx = given === undefined
    ? new SimulatedPbx({ callDurationMs: 300, ringMs: 100 })
    : undefined;
  pbx?.server.listen({ hostname: "127.0.0.1", port: 0 });
  const url = given ?? pbx!.server.url;
  const plan: CallPlan = {
    dial: env("AMI_DEMO_CHANNEL") ?? "Local/100@default",
    exten: env("AMI_DEMO_EXTEN") ?? "200",
    context: env("AMI_DEMO_CONTEXT") ?? "default",
  };
  const where = new URL(url).host;
  console.log(pbx ? `Started a simulated PBX on ${where}` : `Connecting to ${where} (AMI_URL)`);

  await using client = await AmiClient.connect(url);
  console.log(`Connected: ${client.banner}`);
  const started = performance.now();
  const pong = await client.send({ Action: "Ping" });
  console.log(`Ping: ${pong.Ping} in ${(performance.now() - started).toFixed(1)} ms`);
  const { items } = await client.sendList({ Action: "CoreShowChannels" });
  console.log(`Channels up: ${items.length}`);

  const describe = `dial ${plan.dial}, and when it answers send it to extension ${plan.exten} ` +
    `in context ${plan.context}`;
  if (pbx === undefined && !callAsked) {
    console.log(`No call placed. With --call (or AMI_DEMO_CALL=1) the demo would ${describe}.`);
  } else {
    console.log(`Placing one call: ${describe}; following only that call's events.`);
    await placeAndFollow(client, plan);
  }
  console.log("Done; logging off.");
}

/** Originates the call and prints its events until its channels have hung up. */
async function placeAndFollow(client: AmiClient, plan: CallPlan): Promise<void> {
  // Asterisk gives the originated channel this Uniqueid; the simulated PBX picks its own.
  const channelId = `ami-demo-${crypto.randomUUID()}`;
  const stop = new AbortController();
  const events = client.events(
    ["Newchannel", "DialBegin", "DialEnd", "BridgeEnter", "Hangup"],
    { gaps: true, signal: AbortSignal.any([stop.signal, AbortSignal.timeout(120_000)]) },
  );
  const following = follow(events, plan.dial, channelId);
  try {
    const answered = await client.originate({
      Channel: plan.dial,
      Context: plan.context,
      Exten: plan.exten,
      Priority: 1,
      CallerID: "Demo <100>",
      Timeout: 30_000,
      ChannelId: channelId,
    });
    console.log(`  answered   ${answered.Channel}`);
  } catch (error) {
    if (!(error instanceof AmiActionError)) throw error;
    // The channel's hangup (with its cause) may still be on its way: wait briefly for it.
    setTimeout(() => stop.abort(), 1_000);
    await following.catch(() => {});
    const reason = error.response.get("Reason");
    throw new Error(`the call failed: ${originateReason(reason)}`);
  }
  await following;
}

/** Prints the events of our call (found by its first channel, then by Linkedid). */
async function follow(
  events: AsyncIterable<AmiMessage | AmiGap>,
  dial: string,
  channelId: string,
): Promise<void> {
  let linkedid: string | undefined;
  const up = new Set<string>();
  for await (const ev of events) {
    if (ev instanceof AmiGap) {
      console.log("  (some events were lost; the call may have changed meanwhile)");
      continue;
    }
    const name = ev.get("Event");
    if (linkedid === undefined) {
      const ours = ev.get("Uniqueid") === channelId || ev.get("Channel")?.startsWith(`${dial}-`);
      if (name !== "Newchannel" || !ours) continue;
      linkedid = ev.get("Linkedid") ?? ev.get("Uniqueid");
    }
    if (ev.get("Linkedid") !== linkedid) continue;
    const channel = ev.get("Channel") ?? "?";
    if (name === "Newchannel") {
      up.add(channel);
      console.log(`  new        ${channel} (${ev.get("ChannelStateDesc") ?? "?"})`);
    } else if (name === "DialBegin") {
      const from = ev.get("Channel") ?? "Asterisk";
      console.log(`  dials      ${from} → ${ev.get("DestChannel")} (${ev.get("DialString")})`);
    } else if (name === "DialEnd") {
      console.log(`  dial end   ${ev.get("DestChannel")}: ${ev.get("DialStatus")}`);
    } else if (name === "BridgeEnter") {
      console.log(`  bridged    ${channel}`);
    } else if (name === "Hangup") {
      up.delete(channel);
      console.log(`  hangup     ${channel}: ${hangupCause(ev.get("Cause"), ev.get("Cause-txt"))}`);
      if (up.size === 0) return;
    }
  }
}

/** Common Q.850 causes, for servers that send no `Cause-txt`. */
const CAUSES: Readonly<Record<string, string>> = {
  "1": "Unallocated (unassigned) number",
  "16": "Normal Clearing",
  "17": "User busy",
  "18": "No user responding",
  "19": "User alerting, no answer",
  "21": "Call Rejected",
  "34": "Circuit/channel congestion",
  "38": "Network out of order",
};

function hangupCause(code: string | undefined, text: string | undefined): string {
  const words = text !== undefined && text !== "" ? text : CAUSES[code ?? ""] ?? "unknown cause";
  return `${words} (cause ${code ?? "?"})`;
}

/** The `Reason` of a failed `OriginateResponse`, in words. */
function originateReason(reason: string | undefined): string {
  const words: Record<string, string> = {
    "0": "no such channel, or it could not be dialled",
    "1": "hung up before answering",
    "3": "no answer",
    "5": "busy",
    "8": "congestion",
  };
  return `${words[reason ?? ""] ?? "unknown reason"} (reason ${reason ?? "?"})`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/** An environment variable, or `undefined` when unset or not permitted. */
function env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}
