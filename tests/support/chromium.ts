/**
 * A real headless Chromium for browser tests: Debian's `chromium` from the
 * PATH, driven by puppeteer-core (pinned) over the DevTools protocol, with
 * its own profile in a temporary directory; stopped by PID.
 *
 * Chromium binds its DevTools port itself (`--remote-debugging-port=0`) and
 * reports it in the `DevToolsActivePort` file of its profile, as nats-server
 * reports its port in a ports file: no port is picked here and handed over.
 *
 * The flags keep it off the network (this machine's network is closed:
 * without them Chromium tries Google's hosts at every start) and let it run
 * as root without a GPU.
 */

import puppeteer, { type Browser } from "npm:puppeteer-core@25.16.0";

/** Chromium's command line, but for the profile and the DevTools port. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  "--hide-scrollbars",
  "--mute-audio",
];

/** A running Chromium and the puppeteer-core connection to it. */
export class Chromium implements AsyncDisposable {
  readonly #child: Deno.ChildProcess;
  readonly #profile: string;
  #browser: Browser | undefined;

  private constructor(child: Deno.ChildProcess, profile: string) {
    this.#child = child;
    this.#profile = profile;
  }

  /** Starts Chromium and connects to it once its DevTools port is open. */
  static async start(): Promise<Chromium> {
    const profile = await Deno.makeTempDir({ dir: "/tmp", prefix: "ami-chromium-" });
    const child = new Deno.Command("chromium", {
      args: [...FLAGS, `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const chromium = new Chromium(child, profile);
    try {
      const endpoint = await chromium.#devToolsEndpoint();
      chromium.#browser = await puppeteer.connect({
        browserWSEndpoint: endpoint,
        defaultViewport: null,
      });
      return chromium;
    } catch (error) {
      await chromium[Symbol.asyncDispose]();
      throw error;
    }
  }

  /** The connected browser. */
  get browser(): Browser {
    if (this.#browser === undefined) throw new Error("Chromium is not connected");
    return this.#browser;
  }

  /** Waits for the `DevToolsActivePort` file; fails if Chromium exits first. */
  async #devToolsEndpoint(): Promise<string> {
    let exited = false;
    this.#child.status.then(() => exited = true);
    for (let attempt = 0; attempt < 3_000 && !exited; attempt++) {
      const endpoint = await readActivePort(`${this.#profile}/DevToolsActivePort`);
      if (endpoint !== undefined) return endpoint;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(exited ? "Chromium exited before it listened" : "Chromium did not listen");
  }

  /** Disconnects, stops the process by its PID, waits for it and removes the profile. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#browser?.disconnect();
    this.#browser = undefined;
    try {
      this.#child.kill("SIGTERM");
    } catch { /* it exited already */ }
    await this.#child.status;
    await removeProfile(this.#profile);
  }
}

/**
 * Removes the profile. Chromium's helper processes (GPU, utility) outlive the
 * browser process by a moment and may still write into it: try again until
 * they are gone.
 */
async function removeProfile(path: string): Promise<void> {
  for (let attempt = 1;; attempt++) {
    try {
      await Deno.remove(path, { recursive: true });
      return;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      if (attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** `ws://127.0.0.1:<port><path>` from a whole `DevToolsActivePort` file (port, then path). */
async function readActivePort(path: string): Promise<string | undefined> {
  try {
    const [port, browserPath] = (await Deno.readTextFile(path)).split("\n");
    if (!/^\d+$/.test(port ?? "") || !browserPath?.startsWith("/devtools/")) return undefined;
    return `ws://127.0.0.1:${port}${browserPath}`;
  } catch {
    return undefined; // not written yet
  }
}
