/**
 * A real `nats-server` with JetStream for tests: on 127.0.0.1, on a port
 * the OS picked, with a store in a temporary directory; stopped by PID.
 */

import { connect } from "npm:@nats-io/transport-node@3.4.0";
import type { NatsConnection } from "../../src/nats/deps.ts";

/** A running nats-server. */
export class NatsServer implements AsyncDisposable {
  readonly port: number;
  readonly dir: string;
  readonly #config: string;
  #child: Deno.ChildProcess | undefined;

  private constructor(port: number, dir: string, config: string) {
    this.port = port;
    this.dir = dir;
    this.#config = config;
  }

  /** Starts a server; `authorization` is the config's authorization block, if any. */
  static async start(authorization = ""): Promise<NatsServer> {
    const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "ami-nats-" });
    const port = freePort();
    const config = `${dir}/nats.conf`;
    await Deno.writeTextFile(
      config,
      `listen: "127.0.0.1:${port}"\n` +
        `jetstream { store_dir: "${dir}/store", max_memory_store: 64MB, max_file_store: 4GB }\n` +
        authorization,
    );
    const server = new NatsServer(port, dir, config);
    await server.restart();
    return server;
  }

  /** `nats://127.0.0.1:<port>`. */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts the process (again, on the same port and store) and waits until it accepts. */
  async restart(): Promise<void> {
    if (this.#child !== undefined) throw new Error("nats-server is running already");
    this.#child = new Deno.Command("nats-server", {
      args: ["-c", this.#config],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    for (let attempt = 0;; attempt++) {
      try {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port: this.port });
        conn.close();
        return;
      } catch (error) {
        if (attempt > 200) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
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

/** A port that was free a moment ago: bound on port 0, read, released. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}
