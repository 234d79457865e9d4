/**
 * The simulated PBXs of `bench/nats/run.ts`, in a Worker of their own so
 * that writing the AMI frames does not share a thread with the bridge.
 * Messages in: `{ pbxs }` to start (answers `{ urls }`), `{ emit, from }`
 * to send `emit` events from each PBX (answers `{ emitted }`), `{ close }`.
 */

import { AmiTestServer } from "../../testing.ts";
import { eventFields } from "./events.ts";

const servers: AmiTestServer[] = [];
/** The worker's global scope, typed for what is used of it. */
const scope = self as unknown as {
  onmessage: (message: MessageEvent) => void;
  postMessage(message: unknown): void;
};

scope.onmessage = async (message: MessageEvent) => {
  const data = message.data;
  if (typeof data.pbxs === "number") {
    for (let i = 0; i < data.pbxs; i++) {
      const server = new AmiTestServer();
      server.listen({ hostname: "127.0.0.1", port: 0 });
      servers.push(server);
    }
    scope.postMessage({ urls: servers.map((server) => server.url) });
  } else if (typeof data.emit === "number") {
    for (let i = 0; i < data.emit; i++) {
      for (const server of servers) server.emit(eventFields(data.from + i));
      if (i % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    scope.postMessage({ emitted: data.emit });
  } else if (data.close === true) {
    await Promise.all(servers.map((server) => server.close()));
    scope.postMessage({ closed: true });
  }
};
