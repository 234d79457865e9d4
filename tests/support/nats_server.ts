/**
 * A real `nats-server` with JetStream for tests: on 127.0.0.1, on a port
 * the OS picked, with a store in a temporary directory; stopped by PID.
 *
 * The server binds port 0 itself and reports the port in its ports file:
 * picking a free port here and handing it over would race with the other
 * test files running in parallel (a port freed here can be taken before
 * nats-server binds it, and the readiness probe then reaches the thief).
 */

import { connect } from "npm:@nats-io/transport-node@3.4.0";
import type { NatsConnection } from "../../src/nats/deps.ts";

/** A running nats-server. */
export class NatsServer implements AsyncDisposable {
  readonly dir: string;
  readonly #authorization: string;
  #port = -1;
  #child: Deno.ChildProcess | undefined;

  private constructor(dir: string, authorization: string) {
    this.dir = dir;
    this.#authorization = authorization;
  }

  /** Starts a server; `authorization` is the config's authorization block, if any. */
  static async start(authorization = ""): Promise<NatsServer> {
    const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "ami-nats-" });
    const server = new NatsServer(dir, authorization);
    await server.restart();
    return server;
  }

  /** The port the server listens on (the same after a restart). */
  get port(): number {
    return this.#port;
  }

  /** `nats://127.0.0.1:<port>`. */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /**
   * Starts the process (again, on the same port and store) and waits until
   * it listens: its ports file appears once the listener is bound. Fails if
   * the process exits first (for example because the port was taken).
   */
  async restart(): Promise<void> {
    if (this.#child !== undefined) throw new Error("nats-server is running already");
    const config = `${this.dir}/nats.conf`;
    await Deno.writeTextFile(
      config,
      `listen: "127.0.0.1:${this.#port}"\n` +
        `ports_file_dir: "${this.dir}"\n` +
        `jetstream { store_dir: "${this.dir}/store", max_memory_store: 64MB, max_file_store: 4GB }\n` +
        this.#authorization,
    );
    const child = new Deno.Command("nats-server", {
      args: ["-c", config],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    this.#child = child;
    let exited = false;
    child.status.then(() => exited = true);
    const portsFile = `${this.dir}/nats-server_${child.pid}.ports`;
    for (let attempt = 0; attempt < 1_000; attempt++) {
      if (exited) break;
      const url = await readPortsFile(portsFile);
      if (url !== undefined) {
        this.#port = Number(new URL(url).port);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await this.stop();
    throw new Error(`nats-server did not start listening (port ${this.#port})`);
  }

  /** Stops the process by its PID and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    this.#child = undefined;
    child.kill("SIGTERM");
    await child.status;
  }

  /** A client that reconnects quickly and forever. */
  connect(options: { user?: string; pass?: string } = {}): Promise<NatsConnection> {
    return connect({
      servers: `127.0.0.1:${this.port}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 50,
      ...options,
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
    await Deno.remove(this.dir, { recursive: true });
  }
}

/** The client URL in a nats-server ports file, once the file is whole. */
async function readPortsFile(path: string): Promise<string | undefined> {
  try {
    const ports = JSON.parse(await Deno.readTextFile(path)) as { nats?: string[] };
    return ports.nats?.[0];
  } catch {
    return undefined; // not written yet, or half written
  }
}
