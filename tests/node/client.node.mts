/**
 * The client core under Node.js, over an in-memory web stream pair to a
 * scripted peer: logins, actions matched by ActionID, event lists, CLI
 * commands, events, errors, timeouts and closing.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AmiActionError,
  AmiAuthenticationError,
  AmiClient,
  AmiConnectionError,
  AmiTimeoutError,
} from "../../mod.ts";
import { frame, memoryPeer, type ScriptedPeer } from "./support.mts";

async function loggedIn(setup: (peer: ScriptedPeer) => void = () => {}): Promise<{
  client: AmiClient;
  peer: ScriptedPeer;
}> {
  const { transport, peer } = memoryPeer();
  setup(peer);
  const client = new AmiClient(transport, { actionTimeout: 5_000 });
  await client.login({ username: "admin", secret: "amp111" });
  return { client, peer };
}

test("login by MD5 sends the challenge's key, never the secret", async () => {
  const { client, peer } = await loggedIn();
  try {
    assert.equal(client.banner, "Asterisk Call Manager/13.0.0");
    assert.equal(client.loggedIn, true);
    const [challenge, login] = peer.received;
    assert.equal(challenge?.get("Action"), "Challenge");
    assert.equal(login?.get("AuthType"), "MD5");
    assert.match(login?.get("Key") ?? "", /^[0-9a-f]{32}$/);
    assert.equal(login?.get("Secret"), undefined);
  } finally {
    await client.close();
  }
});

test("a plain login sends the secret and the Events value", async () => {
  const { transport, peer } = memoryPeer();
  const client = new AmiClient(transport);
  try {
    await client.login({ username: "admin", secret: "amp111", auth: "plain", events: false });
    const login = peer.received.find((action) => action.get("Action") === "Login");
    assert.equal(login?.get("Secret"), "amp111");
    assert.equal(login?.get("Events"), "off");
  } finally {
    await client.close();
  }
});

test("a refused login rejects with AmiAuthenticationError that names the user, not the secret", async () => {
  const { transport } = memoryPeer();
  const client = new AmiClient(transport);
  try {
    await assert.rejects(
      client.login({ username: "admin", secret: "wrong-secret" }),
      (error: unknown) => {
        assert.ok(error instanceof AmiAuthenticationError);
        assert.match(error.message, /"admin".*Authentication failed/);
        assert.doesNotMatch(error.message, /wrong-secret/);
        return true;
      },
    );
  } finally {
    await client.close();
  }
});

test("actions sent together are answered by ActionID, whatever the order of the answers", async () => {
  const held: string[] = [];
  const { client, peer } = await loggedIn((peer) => {
    peer.handle("Getvar", (action, self) => {
      held.push(frame({ Response: "Success", Value: action.get("Variable")! }, action));
      if (held.length === 3) { for (const text of held.reverse()) self.send(text); }
      return undefined;
    });
  });
  try {
    const answers = await Promise.all(
      ["A", "B", "C"].map((name) => client.send({ Action: "Getvar", Variable: name })),
    );
    assert.deepEqual(answers.map((answer) => answer.get("Value")), ["A", "B", "C"]);
    const ids = peer.received.filter((action) => action.get("Action") === "Getvar")
      .map((action) => action.get("ActionID"));
    assert.equal(new Set(ids).size, 3);
  } finally {
    await client.close();
  }
});

test("Response: Error rejects with AmiActionError holding the response", async () => {
  const { client } = await loggedIn();
  try {
    await assert.rejects(client.send({ Action: "Frobnicate" }), (error: unknown) => {
      assert.ok(error instanceof AmiActionError);
      assert.equal(error.action, "Frobnicate");
      assert.equal(error.response.get("Message"), "Invalid/unknown command");
      return true;
    });
  } finally {
    await client.close();
  }
});

test("sendList collects an event list, and streamList yields it item by item", async () => {
  const { client } = await loggedIn((peer) => {
    peer.handle("CoreShowChannels", () => [
      { Response: "Success", EventList: "start", Message: "Channels will follow" },
      { Event: "CoreShowChannel", Channel: "PJSIP/100-01" },
      { Event: "CoreShowChannel", Channel: "PJSIP/200-02" },
      { Event: "CoreShowChannelsComplete", EventList: "Complete", ListItems: "2" },
    ]);
  });
  try {
    const { items, complete } = await client.sendList({ Action: "CoreShowChannels" });
    assert.deepEqual(items.map((item) => item.get("Channel")), ["PJSIP/100-01", "PJSIP/200-02"]);
    assert.equal(complete?.get("ListItems"), "2");
    const streamed: string[] = [];
    for await (const item of client.streamList({ Action: "CoreShowChannels" })) {
      streamed.push(item.get("Channel") ?? "");
    }
    assert.deepEqual(streamed, ["PJSIP/100-01", "PJSIP/200-02"]);
  } finally {
    await client.close();
  }
});

test("command returns the output lines of both reply formats", async () => {
  const { client } = await loggedIn((peer) => {
    peer.handle(
      "Command",
      (action) =>
        action.get("Command") === "legacy"
          ? `Response: Follows\r\nPrivilege: Command\r\nActionID: ${action.get("ActionID")}\r\n` +
            "line one\nline two\n--END COMMAND--\r\n\r\n"
          : frame({
            Response: "Success",
            Message: "Command output follows",
            "Output": "line one",
            "output": "line two",
          }, action),
    );
  });
  try {
    assert.deepEqual(await client.command("modern"), ["line one", "line two"]);
    assert.deepEqual(await client.command("legacy"), ["line one", "line two"]);
  } finally {
    await client.close();
  }
});

test("events() yields the events its filter picks, in order", async () => {
  const { client, peer } = await loggedIn();
  try {
    const hangups = client.events({ Event: "Hangup", Channel: /^PJSIP\// });
    peer.send(frame({ Event: "Newchannel", Channel: "PJSIP/100-01" }));
    peer.send(frame({ Event: "Hangup", Channel: "IAX2/trunk-02" }));
    peer.send(frame({ Event: "Hangup", Channel: "PJSIP/100-01", Cause: "16" }));
    const first = await hangups.next();
    assert.equal(first.done, false);
    assert.equal(first.value?.get("Channel"), "PJSIP/100-01");
    assert.equal(first.value?.get("Cause"), "16");
    await hangups.return();
  } finally {
    await client.close();
  }
});

test("an action without an answer rejects with AmiTimeoutError", async () => {
  const { client } = await loggedIn((peer) => peer.handle("Slow", () => undefined));
  try {
    await assert.rejects(client.send({ Action: "Slow" }, { timeout: 20 }), AmiTimeoutError);
  } finally {
    await client.close();
  }
});

test("closing the client fails pending actions with AmiConnectionError and settles closed", async () => {
  const { client } = await loggedIn((peer) => peer.handle("Slow", () => undefined));
  const pending = client.send({ Action: "Slow" });
  await client.close();
  await assert.rejects(pending, AmiConnectionError);
  assert.equal(await client.closed, undefined);
  assert.equal(client.state, "closed");
});

test("logoff waits for Goodbye and closes the client", async () => {
  const { client, peer } = await loggedIn();
  await client.logoff();
  assert.equal(peer.received.at(-1)?.get("Action"), "Logoff");
  assert.equal(client.loggedIn, false);
  assert.equal(await client.closed, undefined);
});

test("the server closing the connection settles closed with AmiConnectionError", async () => {
  const { client, peer } = await loggedIn();
  peer.end();
  const reason = await client.closed;
  assert.ok(reason instanceof AmiConnectionError);
  assert.match(reason.message, /closed the connection/);
});
