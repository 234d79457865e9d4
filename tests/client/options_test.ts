import assert from "node:assert/strict";
import { parseAmiUrl } from "../../mod.ts";
import { endpointOf, reconnectSettings } from "../../src/client/options.ts";
import { backoffDelay } from "../../src/client/backoff.ts";

Deno.test("parseAmiUrl() reads user, secret, host, port and query options", () => {
  assert.deepEqual(
    parseAmiUrl("ami://admin:amp%40111@pbx.local:6000?events=call,system&auth=plain"),
    {
      hostname: "pbx.local",
      port: 6000,
      username: "admin",
      secret: "amp@111",
      events: "call,system",
      auth: "plain",
    },
  );
  const tls = parseAmiUrl("amis://u:s@[::1]");
  assert.equal(tls.hostname, "::1");
  assert.equal(tls.port, 5039);
  assert.equal(tls.tls, true);
  assert.equal(parseAmiUrl("ami://u:s@10.0.0.1").port, 5038);
});

Deno.test("parseAmiUrl() refuses other schemes, missing credentials and unknown auth, without echoing the secret", () => {
  for (
    const url of [
      "http://u:s@h",
      "ami://h:5038",
      "ami://u@h",
      "ami://u:topsecret@h?auth=sha1",
      "nonsense",
    ]
  ) {
    assert.throws(() => parseAmiUrl(url), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.doesNotMatch(error.message, /topsecret/);
      return true;
    });
  }
});

Deno.test("endpointOf() applies the default host and the TLS port", () => {
  assert.deepEqual(endpointOf({ username: "u", secret: "s" }), {
    hostname: "127.0.0.1",
    port: 5038,
  });
  assert.deepEqual(endpointOf({ username: "u", secret: "s", tls: true }), {
    hostname: "127.0.0.1",
    port: 5039,
    tls: true,
  });
});

Deno.test("backoffDelay() grows by the factor up to the cap, and jitter only shortens it", () => {
  const policy = reconnectSettings({ initialDelay: 100, factor: 2, maxDelay: 1000, jitter: 0 })!;
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(policy, n)), [
    100,
    200,
    400,
    800,
    1000,
    1000,
  ]);
  const jittered = reconnectSettings({
    initialDelay: 100,
    factor: 2,
    maxDelay: 1000,
    jitter: 0.5,
  })!;
  for (let i = 0; i < 200; i++) {
    const delay = backoffDelay(jittered, 3);
    assert.ok(delay >= 200 && delay <= 400, `delay ${delay}`);
  }
  assert.equal(reconnectSettings(false), undefined);
  assert.equal(reconnectSettings(true)?.maxLoginFailures, 3);
});
