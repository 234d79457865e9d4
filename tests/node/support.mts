/**
 * Helpers for the Node.js tests: the fixture recordings read with node:fs,
 * and a small scripted AMI peer that answers over an in-memory stream pair
 * or a node:net socket. The peer splits frames on its own, so the client's
 * parser is not checked against itself.
 */

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";

const FIXTURES = new URL("../fixtures/asterisk-23/", import.meta.url);

/** One scenario's entry in `index.json`. */
export interface Scenario {
  name: string;
  server_bytes: number;
  banner: string;
  messages: number;
}

/** One `recv()`/`send()` of a recording, or its end. */
export interface TimelineEntry {
  dir: "s2c" | "c2s";
  off?: number;
  len?: number;
  eof?: true;
}

/** The quirks file: examples of each quirk by file and offset. */
export interface Quirks {
  findings: Record<string, { examples: { file: string; offset: number }[] }>;
}

/** Reads a fixture file as bytes. */
export function fixtureBytes(file: string): Uint8Array {
  const buffer = readFileSync(new URL(file, FIXTURES));
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function fixtureJson<T>(file: string): T {
  return JSON.parse(new TextDecoder().decode(fixtureBytes(file))) as T;
}

/** The scenarios of `index.json`. */
export function scenarios(): Scenario[] {
  return fixtureJson<{ scenarios: Scenario[] }>("index.json").scenarios;
}

/** `quirks.json`. */
export function quirks(): Quirks {
  return fixtureJson<Quirks>("quirks.json");
}

/** The server's bytes of a scenario, split as they were read: one chunk per recorded `recv()`. */
export function recordedServerChunks(name: string): { bytes: Uint8Array; chunks: Uint8Array[] } {
  const bytes = fixtureBytes(`${name}.server.raw`);
  const timeline = new TextDecoder().decode(fixtureBytes(`${name}.timeline.jsonl`))
    .split("\n").filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as TimelineEntry);
  const chunks: Uint8Array[] = [];
  let expected = 0;
  for (const entry of timeline) {
    if (entry.dir !== "s2c" || entry.eof || entry.off === undefined || entry.len === undefined) {
      continue;
    }
    if (entry.off !== expected) throw new Error(`${name}: the timeline skips bytes at ${expected}`);
    chunks.push(bytes.subarray(entry.off, entry.off + entry.len));
    expected = entry.off + entry.len;
  }
  if (expected !== bytes.length) throw new Error(`${name}: the timeline covers ${expected} bytes`);
  return { bytes, chunks };
}

/** An action as the peer received it: its fields, in order. */
export class ReceivedAction {
  readonly fields: [string, string][];

  constructor(text: string) {
    this.fields = text.split("\r\n").map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon), line.slice(colon + 1).trimStart()] as [string, string];
    });
  }

  /** The first value of a key, ignoring case. */
  get(key: string): string | undefined {
    return this.fields.find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1];
  }

  /** Every value of a key, ignoring case. */
  getAll(key: string): string[] {
    return this.fields.filter(([name]) => name.toLowerCase() === key.toLowerCase())
      .map(([, value]) => value);
  }
}

/** What a handler answers: the frames to send (the reply first), as field lists or text. */
export type Reply = string | Record<string, string> | (string | Record<string, string>)[];

/** Answers one action: what to send, or `undefined` to stay silent (the handler may send later). */
export type Handler = (action: ReceivedAction, peer: ScriptedPeer) => Reply | undefined;

/** A frame from fields, ActionID copied from the action when it has one. */
export function frame(fields: Record<string, string>, action?: ReceivedAction): string {
  const entries = Object.entries(fields);
  const id = action?.get("ActionID");
  let text = "";
  entries.forEach(([key, value], index) => {
    text += `${key}: ${value}\r\n`;
    if (index === 0 && id !== undefined) text += `ActionID: ${id}\r\n`;
  });
  return text + "\r\n";
}

/**
 * A scripted AMI server for one connection: the banner, Challenge and Login
 * (MD5 or plain) for `admin`/`amp111`, Ping, Logoff, and whatever handlers
 * the test adds. Actions are answered in order.
 */
export class ScriptedPeer {
  readonly received: ReceivedAction[] = [];
  readonly handlers = new Map<string, Handler>();
  readonly #send: (text: string) => void;
  readonly #end: () => void;
  #buffer = "";
  #challenge = "";
  #ended = false;
  loggedIn = false;

  constructor(send: (text: string) => void, end: () => void) {
    this.#send = send;
    this.#end = end;
    send("Asterisk Call Manager/13.0.0\r\n");
  }

  /** Adds a handler for an action name (any case). */
  handle(name: string, handler: Handler): this {
    this.handlers.set(name.toLowerCase(), handler);
    return this;
  }

  /** Sends raw text to the client (an event, say). */
  send(text: string): void {
    if (!this.#ended) this.#send(text);
  }

  /** Ends the connection. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#end();
  }

  /** Feeds bytes from the client. */
  receive(text: string): void {
    this.#buffer += text;
    let at: number;
    while ((at = this.#buffer.indexOf("\r\n\r\n")) !== -1) {
      const frameText = this.#buffer.slice(0, at);
      this.#buffer = this.#buffer.slice(at + 4);
      const action = new ReceivedAction(frameText);
      this.received.push(action);
      this.#answer(action);
    }
  }

  #answer(action: ReceivedAction): void {
    const name = (action.get("Action") ?? "").toLowerCase();
    const reply = (fields: Record<string, string>) => this.send(frame(fields, action));
    switch (name) {
      case "challenge":
        this.#challenge = "417582730";
        reply({ Response: "Success", Challenge: this.#challenge });
        return;
      case "login": {
        const key = action.get("Key");
        const accepted = action.get("Username") === "admin" &&
          (key === undefined
            ? action.get("Secret") === "amp111"
            : key === createHash("md5").update(this.#challenge + "amp111").digest("hex"));
        if (!accepted) {
          reply({ Response: "Error", Message: "Authentication failed" });
          this.end();
          return;
        }
        this.loggedIn = true;
        reply({ Response: "Success", Message: "Authentication accepted" });
        return;
      }
      case "logoff":
        reply({ Response: "Goodbye", Message: "Thanks for all the fish." });
        this.end();
        return;
    }
    if (!this.loggedIn) {
      reply({ Response: "Error", Message: "Permission denied" });
      return;
    }
    const handler = this.handlers.get(name);
    if (handler !== undefined) {
      const answer = handler(action, this);
      if (answer === undefined) return;
      for (const part of Array.isArray(answer) ? answer : [answer]) {
        this.send(typeof part === "string" ? part : frame(part, action));
      }
      return;
    }
    if (name === "ping") {
      reply({ Response: "Success", Ping: "Pong", Timestamp: "1700000000.000000" });
      return;
    }
    reply({ Response: "Error", Message: "Invalid/unknown command" });
  }
}

/** A client's stream pair to a scripted peer, in memory. */
export function memoryPeer(): {
  transport: { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
  peer: ScriptedPeer;
} {
  const toClient = new TransformStream<Uint8Array, Uint8Array>();
  const toServer = new TransformStream<Uint8Array, Uint8Array>();
  const writer = toClient.writable.getWriter();
  const encoder = new TextEncoder();
  const peer = new ScriptedPeer(
    (text) => void writer.write(encoder.encode(text)).catch(() => {}),
    () => void writer.close().catch(() => {}),
  );
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of toServer.readable) peer.receive(decoder.decode(chunk));
    } catch {
      // The client went away.
    }
    peer.end();
  })();
  return { transport: { readable: toClient.readable, writable: toServer.writable }, peer };
}

/** A node:net server on 127.0.0.1 (any port) with a scripted peer per connection. */
export async function listeningPeer(setup: (peer: ScriptedPeer) => void = () => {}): Promise<{
  server: Server;
  port: number;
  peers: ScriptedPeer[];
  close: () => Promise<void>;
}> {
  const peers: ScriptedPeer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.setEncoding("utf8");
    const peer = new ScriptedPeer((text) => void socket.write(text), () => void socket.end());
    setup(peer);
    peers.push(peer);
    socket.on("data", (text: string) => peer.receive(text));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return {
    server,
    port: address.port,
    peers,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nobody listens on: bound, noted, and closed again. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}
