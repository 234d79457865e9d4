/**
 * The wallboard in a real browser: headless Chromium (Debian's, driven by
 * puppeteer-core) loads the page of a wallboard following a simulated call
 * centre, a call is originated into a queue, and the page shows the caller
 * waiting, an agent answering and the caller leaving the queue, then the
 * call ending. Every step waits for the DOM; the PBX moves only when told.
 *
 * On the way it takes the screenshot README shows and checks it is a PNG of
 * the page's size; it writes it to the path in `WALLBOARD_SCREENSHOT`, if
 * set (`deno task wallboard:screenshot` writes docs/wallboard.png).
 */

import assert from "node:assert/strict";
import { AmiClient, createLiveView } from "../../mod.ts";
import { SimulatedPbx } from "../../testing.ts";
import { serveWallboard } from "../../examples/wallboard/server.ts";
import { Chromium } from "../support/chromium.ts";

/** A small call centre that moves only when the test says. */
function callCentre(): SimulatedPbx {
  const agent = (id: string, name: string) => ({ interface: `PJSIP/${id}`, name });
  return new SimulatedPbx({
    endpoints: ["100", "101", "102", "103", "201", "202", "203", "204", "205"],
    queues: {
      support: {
        strategy: "rrmemory",
        members: [
          agent("201", "Alice"),
          { ...agent("202", "Bob"), paused: true, pausedReason: "after call work" },
          { ...agent("203", "Carol"), paused: true, pausedReason: "lunch" },
        ],
      },
      sales: {
        strategy: "ringall",
        members: [
          agent("204", "Dave"),
          { ...agent("205", "Erin"), paused: true, pausedReason: "training" },
        ],
      },
    },
    callDurationMs: Infinity,
    queueRetryMs: 10,
  });
}

/** The width and height in a PNG's header, after checking its signature. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  assert.deepEqual([...bytes.subarray(0, 8)], signature, "not a PNG");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

Deno.test("The wallboard page in Chromium shows a queue caller waiting, answered by an agent and leaving", async () => {
  await using pbx = callCentre();
  pbx.server.listen();
  await using client = await AmiClient.connect(pbx.server.url);
  await using live = await createLiveView(client, { queues: true });
  await using board = await serveWallboard(live, { port: 0 });
  await using chromium = await Chromium.start();
  const page = await chromium.browser.newPage();
  await page.setViewport({ width: 1600, height: 900 });
  await page.goto(board.url);

  const support = 'article[data-queue="support"]';
  const member = (queue: string, iface: string) => `${queue} li[data-interface="${iface}"]`;
  const alice = member(support, "PJSIP/201");
  const bob = member(support, "PJSIP/202");
  await page.waitForSelector('#status[data-status="live"]');
  await page.waitForSelector(`${alice}[data-state="free"]`);
  assert.equal(await page.$eval(`${bob} .badge`, (e) => e.textContent), "Paused: after call work");

  // Frank's call takes Alice, the one free agent of support.
  await pbx.originate({
    Channel: "PJSIP/102",
    CallerID: '"Frank" <102>',
    Application: "Queue",
    Data: "support",
  });
  await page.waitForSelector(`${alice}[data-state="talking"]`);
  assert.equal(await page.$eval(`${alice} .badge`, (e) => e.textContent), "Talking");

  // Heidi and Grace wait: Alice talks, Bob and Carol are paused.
  const heidi = await pbx.originate({
    Channel: "PJSIP/100",
    CallerID: '"Heidi" <100>',
    Application: "Queue",
    Data: "support",
  });
  const grace = await pbx.originate({
    Channel: "PJSIP/101",
    CallerID: '"Grace" <101>',
    Application: "Queue",
    Data: "support",
  });
  const heidiRow = `${support} li.caller[data-uniqueid="${heidi.uniqueid}"]`;
  const graceRow = `${support} li.caller[data-uniqueid="${grace.uniqueid}"]`;
  await page.waitForSelector(heidiRow);
  await page.waitForSelector(graceRow);
  assert.match(await page.$eval(heidiRow, (e) => e.textContent!), /^1\. Heidi \d+:\d\d$/);
  assert.match(await page.$eval(graceRow, (e) => e.textContent!), /^2\. Grace \d+:\d\d$/);
  const heidiCall = (state: string) => `#calls tr[data-state="${state}"] ::-p-text(Heidi)`;
  await page.waitForSelector(heidiCall("queued"));
  assert.match(
    await page.$eval(`#calls tr[data-state="queued"]`, (e) => e.textContent!),
    /^Heidi PJSIP\/100Waiting: support\d+:\d\d$/,
  );

  const screenshot = await page.screenshot({ type: "png" });
  assert.deepEqual(pngSize(screenshot), { width: 1600, height: 900 });
  const screenshotPath = Deno.env.get("WALLBOARD_SCREENSHOT");
  if (screenshotPath) await Deno.writeFile(screenshotPath, screenshot);

  // Bob comes back: he answers Heidi, who leaves the queue; Grace moves up.
  pbx.pauseMember("PJSIP/202", false);
  await page.waitForSelector(`${bob}[data-state="talking"]`);
  await page.waitForSelector(heidiRow, { hidden: true });
  assert.match(await page.$eval(graceRow, (e) => e.textContent!), /^1\. Grace \d+:\d\d$/);
  await page.waitForSelector(heidiCall("up"));
  assert.match(
    await page.$eval(`#calls tr[data-state="up"] ::-p-text(Heidi)`, (e) => e.textContent!),
    /^Heidi PJSIP\/100 ↔ Bob PJSIP\/202$/,
  );

  // Grace gives up, then Heidi hangs up: the queue is empty, her call leaves the board and Bob
  // is free again, one call taken.
  assert.equal(pbx.hangup(grace.channel!), true);
  await page.waitForSelector(graceRow, { hidden: true });
  await page.waitForSelector(`${support} h3 ::-p-text(1 abandoned)`);
  assert.equal(pbx.hangup(heidi.channel!), true);
  await page.waitForSelector(`${bob}[data-state="free"]`);
  assert.match(await page.$eval(bob, (e) => e.textContent!), /Bob · 1 call\b/);
  await page.waitForSelector("#calls ::-p-text(Heidi)", { hidden: true });
  await page.close();
});
