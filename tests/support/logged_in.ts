import assert from "node:assert/strict";
import { AmiClient, type AmiClientOptions } from "../../mod.ts";
import type { AmiTestServer } from "../../testing.ts";

/**
 * A logged-in client over an in-memory link to `server`, past the
 * `FullyBooted` event that follows a login, so tests see only their events.
 */
export async function loggedIn(
  server: AmiTestServer,
  options: AmiClientOptions = {},
): Promise<AmiClient> {
  const client = new AmiClient(server.connect(), options);
  const booted = client.events("FullyBooted");
  await client.login({ username: "admin", secret: "amp111" });
  assert.equal((await booted.next()).value?.Event, "FullyBooted");
  await booted.return();
  return client;
}
