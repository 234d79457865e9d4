/**
 * The client against real Asterisk traffic: recorded sessions replayed by
 * the test server, answering the client's own ActionIDs.
 */
import assert from "node:assert/strict";
import { AmiActionError, AmiClient, type AmiMessage, type AmiProtocolError } from "../../mod.ts";
import { AmiFrameParser } from "../../src/wire/parser.ts";
import { AmiTestServer } from "../../testing.ts";
import { readClientBytes, readServerBytes, readTimeline } from "../support/fixtures.ts";

async function replay(name: string): Promise<{ server: AmiTestServer; actions: AmiMessage[] }> {
  const [serverBytes, clientBytes, timeline] = await Promise.all([
    readServerBytes(name),
    readClientBytes(name),
    readTimeline(name),
  ]);
  const server = AmiTestServer.replay(serverBytes, {
    timeline: timeline as never,
    client: clientBytes,
    closeAtEnd: false,
  });
  const actions = AmiFrameParser.parseAll(clientBytes, { banner: false });
  return { server, actions };
}

/** The recorded action's fields, without its ActionID: the client numbers its own. */
function fieldsOf(action: AmiMessage): { Action: string; [key: string]: string | string[] } {
  const fields: Record<string, string | string[]> = {};
  for (const [key, value] of action) {
    if (key === "ActionID") continue;
    const seen = fields[key];
    fields[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return fields as { Action: string; [key: string]: string | string[] };
}

Deno.test("replayed 02-login-md5-challenge: the client's MD5 key matches the one Asterisk accepted", async () => {
  const { server, actions } = await replay("02-login-md5-challenge");
  await using _ = server;
  const client = new AmiClient(server.connect());
  await client.login({ username: "admin", secret: "amp111" });
  const sent = server.received.find((action) => action.name === "Login");
  assert.equal(sent?.get("Key"), actions[1]?.get("Key"));
  assert.equal(client.banner, "Asterisk Call Manager/13.0.0");
  // The recording has no Logoff to replay: close without one.
  await client.close();
});

Deno.test("replayed 22-pipelining: nine pipelined actions of every kind each settle with their own answer", async () => {
  const { server, actions } = await replay("22-pipelining");
  await using _ = server;
  const errors: AmiProtocolError[] = [];
  await using client = new AmiClient(server.connect(), {
    onProtocolError: (error) => errors.push(error),
  });
  const seen: AmiMessage[] = [];
  const events = client.events();
  const [login, ...rest] = actions;
  await client.send(fieldsOf(login!));
  const results = rest.map((action) => {
    const fields = fieldsOf(action);
    switch (fields.Action) {
      case "Originate":
        return fields.Async === "true"
          ? client.originate({ ...fields, Action: "Originate", Channel: String(fields.Channel) })
          : client.send(fields);
      case "CoreShowChannels":
      case "Status":
        return client.sendList(fields);
      case "Command":
        return client.command(fields.Command as string);
      default:
        return client.send(fields);
    }
  });
  const settled = await Promise.all(results);
  const [originated, ping, syncOriginate, channels, output, status, getvar, setvar] = settled as [
    AmiMessage,
    AmiMessage,
    AmiMessage,
    { items: AmiMessage[] },
    string[],
    { items: AmiMessage[]; complete: AmiMessage },
    AmiMessage,
    AmiMessage,
  ];
  assert.equal(originated.get("Event"), "OriginateResponse");
  assert.equal(originated.get("Response"), "Success");
  assert.equal(ping.get("Ping"), "Pong");
  assert.equal(syncOriginate.get("Message"), "Originate successfully queued");
  assert.equal(channels.items.length, 10);
  assert.ok(channels.items.every((item) => item.name === "CoreShowChannel"));
  assert.match(output.join("\n"), /active channels?/);
  assert.equal(status.items.length, 10);
  assert.equal(status.complete.get("Items"), "10");
  assert.equal(getvar.get("Variable"), "AMITEST_GLOBAL");
  assert.equal(setvar.get("Response"), "Success");
  assert.deepEqual(errors, []);
  // Events flushed between the responses reached the event stream; list items did not.
  for (let n = 0; n < 5; n++) seen.push((await events.next()).value!);
  assert.ok(seen.every((ev) => ev.name !== "CoreShowChannel" && ev.name !== "Status"));
  await events.return();
});

Deno.test("replayed 12-astdb: DBGet lists, missing keys as errors, UTF-8 and trailing spaces intact", async () => {
  const { server, actions } = await replay("12-astdb");
  await using _ = server;
  await using client = new AmiClient(server.connect());
  const [login, ...rest] = actions;
  await client.send(fieldsOf(login!));
  const outcomes: string[] = [];
  const values: string[] = [];
  for (const action of rest) {
    const fields = fieldsOf(action);
    try {
      if (fields.Action === "DBGet" || fields.Action === "DBGetTree") {
        const { items } = await client.sendList(fields);
        for (const item of items) values.push(item.get("Val") ?? "");
        outcomes.push(`${fields.Action}:${items.length}`);
      } else {
        await client.send(fields);
        outcomes.push(`${fields.Action}:ok`);
      }
    } catch (error) {
      assert.ok(error instanceof AmiActionError);
      outcomes.push(`${fields.Action}:error`);
    }
  }
  assert.ok(outcomes.includes("DBGet:error"), outcomes.join());
  assert.ok(values.includes("grüße ☎ with spaces  "), values.join("|"));
  assert.ok(values.includes(""));
});
