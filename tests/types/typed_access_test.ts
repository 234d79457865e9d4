/**
 * Typed field access where users reach for it (issue 14): the messages the
 * parser hands on, `error.response` of a refused action or login,
 * `error.frame` of a protocol error, and `originate()` without `Action`.
 * The `expectType` checks and the `@ts-expect-error` lines are verified by
 * the type checker (`deno test` checks first): if a field went back to being
 * unreadable without a cast, or its type widened to `any`, this file would
 * stop compiling.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  AmiActionError,
  AmiAuthenticationError,
  AmiClient,
  AmiDecoderStream,
  AmiFrameParser,
  type AmiOriginateInput,
  type AmiParsedMessage,
  type AmiProtocolError,
  type AmiResponse,
} from "../../mod.ts";
import { AmiTestServer } from "../../testing.ts";
import { loggedIn } from "../support/logged_in.ts";

/** `true` when `A` and `B` are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true
  : false;

/** Compiles only when its type argument is `true`. */
function expectType<T extends true>(): T | undefined {
  return undefined;
}

const encoder = new TextEncoder();

Deno.test("AmiFrameParser callbacks read fields by name, typed string | undefined", () => {
  const channels: string[] = [];
  const parser = new AmiFrameParser((message) => {
    expectType<Equal<typeof message, AmiParsedMessage>>();
    expectType<Equal<typeof message.Event, string | undefined>>();
    if (message.Event === "Hangup") channels.push(message.Channel ?? "none");
    // @ts-expect-error a field is a string, never a number.
    const _count: number = message.Channel;
  }, { banner: false });
  parser.push(encoder.encode("Event: Newchannel\r\nChannel: A\r\n\r\n"));
  parser.push(encoder.encode("Event: Hangup\r\nChannel: PJSIP/100-01\r\n\r\n"));
  assert.deepEqual(channels, ["PJSIP/100-01"]);

  const [pong] = AmiFrameParser.parseAll("Response: Success\r\nPing: Pong\r\n\r\n", {
    banner: false,
  });
  const ping: string | undefined = pong?.Ping;
  assert.equal(ping, "Pong");
});

Deno.test("AmiDecoderStream yields messages whose fields read by name", async () => {
  const bytes = encoder.encode("Event: FullyBooted\r\nStatus: Fully Booted\r\n\r\n");
  const statuses: (string | undefined)[] = [];
  const stream = ReadableStream.from([bytes]).pipeThrough(new AmiDecoderStream({ banner: false }));
  for await (const message of stream) {
    expectType<Equal<typeof message.Status, string | undefined>>();
    statuses.push(message.Status);
  }
  assert.deepEqual(statuses, ["Fully Booted"]);
});

Deno.test("error.response of a refused action reads Message and Response without a cast", async () => {
  await using server = new AmiTestServer();
  server.handle("Getvar", () => {
    throw new Error("Permission denied");
  });
  await using client = await loggedIn(server);
  const error = await client.send({ Action: "Getvar", Variable: "X" }).then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.ok(error instanceof AmiActionError, String(error));
  expectType<Equal<typeof error.response, AmiResponse>>();
  const reason: string | undefined = error.response.Message;
  assert.equal(reason, "Permission denied");
  assert.equal(error.response.Response, "Error");
  // @ts-expect-error Response is a string, not a boolean.
  const _failed: boolean = error.response.Response;
});

Deno.test("error.response of a refused login reads its Message without a cast", async () => {
  await using server = new AmiTestServer({ users: { admin: "amp111" }, authFailureDelayMs: 0 });
  const client = new AmiClient(server.connect());
  const error = await client.login({ username: "admin", secret: "wrong", auth: "plain" }).then(
    () => undefined,
    (error: unknown) => error,
  );
  await client.close();
  assert.ok(error instanceof AmiAuthenticationError, String(error));
  expectType<Equal<typeof error.response, AmiResponse | undefined>>();
  assert.equal(error.response?.Response, "Error");
  assert.match(error.response?.Message ?? "", /Authentication failed/);
});

Deno.test("a protocol error's frame reads its fields by name", async () => {
  await using server = new AmiTestServer();
  const errors: AmiProtocolError[] = [];
  await using client = await loggedIn(server, { onProtocolError: (error) => errors.push(error) });
  const session = await server.waitForSession(1);
  await session.send("Response: Success\r\nActionID: nobody-asked\r\n\r\n");
  await client.send({ Action: "Ping" });
  const unroutable = errors.find((error) => error.kind === "unroutable-response");
  assert.ok(unroutable, errors.map((error) => error.message).join("; "));
  expectType<Equal<typeof unroutable.frame, AmiParsedMessage | undefined>>();
  const actionId: string | undefined = unroutable.frame?.ActionID;
  assert.equal(actionId, "nobody-asked");
});

Deno.test("originate() takes the call's parameters without Action and sends Action: Originate", async () => {
  await using server = new AmiTestServer();
  server.handle("Originate", (action, session) => {
    session.emit({
      Event: "OriginateResponse",
      ActionID: action.actionId!,
      Response: "Success",
      Uniqueid: "1.1",
    });
    return { Message: "Originate successfully queued" };
  });
  await using client = await loggedIn(server);
  const call: AmiOriginateInput = { Channel: "PJSIP/100", Application: "Wait", Data: "1" };
  const answered = await client.originate(call);
  assert.equal(answered.Uniqueid, "1.1");
  const sent = server.received.find((message) => message.name === "Originate");
  assert.equal(sent?.get("Action"), "Originate");
  assert.equal(sent?.get("Channel"), "PJSIP/100");
  assert.equal(sent?.get("Async"), "true");
  // Writing Action is still allowed, as long as it names Originate.
  const again = await client.originate({ Action: "Originate", Channel: "PJSIP/101" });
  assert.equal(again.Uniqueid, "1.1");

  const _typeOnly = () => {
    // @ts-expect-error Channel is required.
    client.originate({ Exten: "200", Context: "default", Priority: 1 });
    // @ts-expect-error originate() sends Originate, nothing else.
    client.originate({ Action: "Hangup", Channel: "PJSIP/100" });
    // @ts-expect-error a documented parameter keeps its type.
    client.originate({ Channel: "PJSIP/100", Priority: { at: 1 } });
  };
});
