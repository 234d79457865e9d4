/** Replay of a recorded Asterisk session by the test server to a client over TCP. */

import assert from "node:assert/strict";
import { AmiTestServer, parseTimeline } from "../../testing.ts";
import { readClientBytes, readFixtureBytes, readServerBytes } from "../support/fixtures.ts";
import { concat } from "../support/bytes.ts";
import { RawAmiClient } from "../support/raw_ami_client.ts";

Deno.test("a replay serves TCP clients too, with faults on top", async () => {
  const name = "01-login-plaintext";
  const recording = {
    server: await readServerBytes(name),
    client: await readClientBytes(name),
    timeline: parseTimeline(
      new TextDecoder().decode(await readFixtureBytes(`${name}.timeline.jsonl`)),
    ),
  };
  await using server = AmiTestServer.replay(recording.server, {
    timeline: recording.timeline,
    client: recording.client,
  });
  server.faults.chunkSize = 50;
  server.listen();
  const client = await RawAmiClient.tcp(server.port);
  await client.write(recording.client);
  await client.waitForBytes(recording.server.length);
  assert.deepEqual(concat(client.chunks), recording.server);
  assert.deepEqual(client.messages.map((m) => m.name), [
    "Success",
    "FullyBooted",
    "SuccessfulAuth",
  ]);
  await client.close();
});
