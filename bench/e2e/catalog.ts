/**
 * Every client the loopback benchmark runs, and how: the reference rows
 * (the machine's limit and the floors), @x/ami, and the npm peers.
 *
 * @module
 */

/** One way of running a client against the server. */
export interface Driver {
  /** The row's label. */
  label: string;
  /** The script, in `drivers/`. */
  file: string;
  /** Arguments for the script. */
  args: string[];
  /**
   * `limit` and `floor` rows are references; `ami` rows are the client under
   * test; `peer` rows are npm clients. A lost event or a failure fails the
   * run for every kind but `peer`, whose losses are shown in its row.
   */
  kind: "limit" | "floor" | "ami" | "peer";
  /** Extra permissions for deno. */
  flags?: string[];
}

/** An npm AMI client, by package and exact version, with its driver. */
export interface Peer {
  name: string;
  version: string;
  file: string;
}

/** Every npm peer: each driver imports `npm:<name>@<version>` itself. */
export const PEERS: Peer[] = [
  { name: "yana", version: "0.3.0", file: "yana.ts" },
  { name: "asterisk-manager", version: "0.2.0", file: "asterisk_manager.ts" },
  { name: "ami-io", version: "1.2.1", file: "ami_io.ts" },
  { name: "asterisk.io", version: "0.1.1", file: "asterisk_io.ts" },
  { name: "asterisk-ami", version: "0.1.0", file: "asterisk_ami.ts" },
  { name: "@ipcom/asterisk-ami", version: "0.1.0", file: "ipcom_asterisk_ami.ts" },
  { name: "nami", version: "0.7.2", file: "nami.ts" },
  { name: "asterisk-ami-client", version: "1.1.5", file: "asterisk_ami_client.ts" },
  { name: "asterisk-ami-connector", version: "1.1.6", file: "asterisk_ami_connector.ts" },
];

/** Node's compatibility layer reads the environment (the `debug` package) and the OS. */
const PEER_FLAGS = ["--allow-env", "--allow-sys"];

/** The stream drivers, in table order; each gets `--events=N`. */
export function streamDrivers(peers: Peer[]): Driver[] {
  return [
    {
      label: "raw Deno.connect, counting bytes (the limit)",
      file: "raw_events.ts",
      args: [],
      kind: "limit",
    },
    {
      label: "decode and cut frames (TextDecoder + CRLFCRLF, the floor)",
      file: "frames_events.ts",
      args: [],
      kind: "floor",
    },
    { label: "@x/ami, one field", file: "ami_events.ts", args: ["--fields=one"], kind: "ami" },
    { label: "@x/ami, every field", file: "ami_events.ts", args: ["--fields=all"], kind: "ami" },
    {
      label: "@x/ami, realistic consumer",
      file: "ami_events.ts",
      args: ["--fields=consumer"],
      kind: "ami",
    },
    ...peers.map((peer): Driver => ({
      label: `${peer.name}@${peer.version}, realistic consumer`,
      file: peer.file,
      args: ["--mode=stream"],
      kind: "peer",
      flags: PEER_FLAGS,
    })),
  ];
}

/** The ping drivers, in table order; each gets `--pings` and `--warmup`. */
export function pingDrivers(peers: Peer[]): Driver[] {
  const own = (inflight: number): Driver[] => [
    { label: "raw socket", file: "raw_pings.ts", args: [`--inflight=${inflight}`], kind: "limit" },
    { label: "@x/ami", file: "ami_pings.ts", args: [`--inflight=${inflight}`], kind: "ami" },
    {
      label: "minimal promise-per-action client",
      file: "minimal_pings.ts",
      args: [`--inflight=${inflight}`],
      kind: "floor",
    },
  ];
  return [
    ...own(1),
    ...peers.map((peer): Driver => ({
      label: `${peer.name}@${peer.version}`,
      file: peer.file,
      args: ["--mode=pings", "--inflight=1"],
      kind: "peer",
      flags: PEER_FLAGS,
    })),
    ...own(100),
  ];
}

/** The peers the options name. */
export function choosePeers(names: Set<string> | "all"): Peer[] {
  if (names === "all") return PEERS;
  for (const name of names) {
    if (!PEERS.some((peer) => peer.name === name)) {
      throw new Error(
        `no peer named "${name}"; known: ${PEERS.map((peer) => peer.name).join(", ")}`,
      );
    }
  }
  return PEERS.filter((peer) => names.has(peer.name));
}
