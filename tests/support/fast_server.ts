import { AmiTestServer, type AmiTestServerOptions } from "../../testing.ts";

/** A test server whose refused logins answer after 1 ms instead of a second. */
export function fastServer(options: AmiTestServerOptions = {}): AmiTestServer {
  return new AmiTestServer({ authFailureDelayMs: 1, ...options });
}
