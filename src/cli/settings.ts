/**
 * Where the CLI connects and as whom: the `AMI_URL` environment variable,
 * or flags, which override its parts. Errors name the source, never the
 * credentials.
 *
 * @module
 */

import { type AmiConnectOptions, parseAmiUrl } from "../client/options.ts";
import { CliUsageError } from "./args.ts";

/** The options that say where to connect and how long to wait. */
export interface ConnectionFlags {
  url?: string | undefined;
  host?: string | undefined;
  port?: string | undefined;
  user?: string | undefined;
  secret?: string | undefined;
  tls?: boolean | undefined;
  plain?: boolean | undefined;
  timeout?: string | undefined;
}

/**
 * Works out the connect options from `AMI_URL` and the flags. `--url`
 * replaces `AMI_URL`; `--host`, `--port`, `--user`, `--secret`, `--tls` and
 * `--plain` override the URL's parts; without any URL, `--user` and
 * `--secret` are required.
 *
 * @param flags The connection flags given.
 * @param amiUrl The `AMI_URL` environment variable, if set.
 * @returns Connect options (timeouts included when `--timeout` is given).
 * @throws {CliUsageError} when something is missing or malformed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { connectOptionsFrom } from "./settings.ts";
 * const options = connectOptionsFrom({ port: "6038", plain: true }, "ami://admin:amp111@pbx.local");
 * assert.equal(options.hostname, "pbx.local");
 * assert.equal(options.port, 6038);
 * assert.equal(options.auth, "plain");
 * ```
 */
export function connectOptionsFrom(
  flags: ConnectionFlags,
  amiUrl: string | undefined,
): AmiConnectOptions {
  const url = flags.url ?? (amiUrl === "" ? undefined : amiUrl);
  const source = flags.url !== undefined ? "--url" : "AMI_URL";
  let options: AmiConnectOptions;
  if (url !== undefined) {
    try {
      options = parseAmiUrl(url);
    } catch (error) {
      // parseAmiUrl's messages describe the expected form, never the URL given.
      throw new CliUsageError(`${source}: ${error instanceof Error ? error.message : error}`);
    }
  } else {
    if (flags.user === undefined || flags.secret === undefined) {
      throw new CliUsageError(
        "No server given: set AMI_URL=ami://user:secret@host:port, or pass --url, " +
          "or --user and --secret (with --host and --port)",
      );
    }
    options = { username: flags.user, secret: flags.secret };
  }
  if (flags.host !== undefined) {
    if (flags.host === "") throw new CliUsageError("The --host option must not be empty");
    options.hostname = flags.host;
  }
  if (flags.user !== undefined) options.username = flags.user;
  if (flags.secret !== undefined) options.secret = flags.secret;
  if (options.username === "") throw new CliUsageError("The user name must not be empty");
  if (options.secret === "") throw new CliUsageError("The secret must not be empty");
  refuseLineBreaks(
    options.username,
    `The user name (${flags.user !== undefined ? "--user" : source})`,
  );
  refuseLineBreaks(
    options.secret,
    `The secret (${flags.secret !== undefined ? "--secret" : source})`,
  );
  if (options.hostname !== undefined) {
    refuseLineBreaks(
      options.hostname,
      `The host (${flags.host !== undefined ? "--host" : source})`,
    );
  }
  if (flags.tls === true) options.tls = true;
  if (flags.plain === true) options.auth = "plain";
  if (flags.port !== undefined) options.port = parsePort(flags.port);
  if (flags.timeout !== undefined) {
    const ms = Number(flags.timeout);
    if (flags.timeout.trim() === "" || !Number.isFinite(ms) || ms <= 0) {
      throw new CliUsageError("The --timeout option must be a positive number of milliseconds");
    }
    options.connectTimeout = ms;
    options.actionTimeout = ms;
  }
  return options;
}

/**
 * `host:port` of connect options, for messages.
 *
 * @param options Connect options.
 * @returns The address, IPv6 addresses in brackets.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addressOf } from "./settings.ts";
 * assert.equal(addressOf({ username: "a", secret: "b", tls: true }), "127.0.0.1:5039");
 * ```
 */
export function addressOf(options: AmiConnectOptions): string {
  const hostname = options.hostname ?? "127.0.0.1";
  const port = options.port ?? (options.tls === undefined || options.tls === false ? 5038 : 5039);
  return `${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
}

/** A value that would split a line on the wire is refused before connecting; the message never shows it. */
function refuseLineBreaks(value: string, what: string): void {
  if (/[\r\n\0]/.test(value)) throw new CliUsageError(`${what} must not hold CR, LF or NUL`);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new CliUsageError("The --port option must be a whole number from 1 to 65535");
  }
  return port;
}
