/**
 * The CLI's help texts. They name the `AMI_URL` variable but never show its
 * value or any other credential.
 *
 * @module
 */

import { BRIDGE_HELP } from "./bridge.ts";

const CONNECTION = `Connection (AMI_URL, or flags, which override its parts):
  AMI_URL=ami://user:secret@host:port   amis:// for TLS; ?auth=plain for a plain-text login
  --url <url>         the same as AMI_URL, from the command line
  --host <host>       default 127.0.0.1
  --port <port>       default 5038, or 5039 with --tls
  --user <name>       the manager user ([name] in manager.conf)
  --secret <secret>   its secret; other users may see command lines: prefer AMI_URL
  --tls               connect with TLS
  --plain             log in with the secret in plain text (default: MD5 challenge,
                      the secret never crosses the wire)
  --timeout <ms>      time to connect and log in, and for each action; default 10000

Output:
  --json              JSON instead of text (one JSON value per line)
  --verbose           trace every frame on stderr (secrets shown as ***)
  -h, --help          this help
  --version           print the version and exit`;

const EXIT_CODES = `Exit codes:
  0    done
  1    the action failed (Response: Error), or the CLI command failed
  2    usage error
  3    connection, login or timeout failure (one line on stderr, no stack trace)
  70   internal error (a bug: please report it)
  130  interrupted (Ctrl-C) while waiting`;

const HELP: Readonly<Record<string, string>> = {
  "": `ami: a command-line client for the Asterisk Manager Interface (AMI)

Usage:
  ami [options] <command> [arguments]
  deno run -A jsr:@x/ami/cli <command> [arguments]
  (least privilege: deno run --allow-net --allow-env=AMI_URL jsr:@x/ami/cli …)

Commands:
  events                      tail events (filters: --event, --match)
  action <Name> [Key=Value…]  send one action and print its response
  list <Name> [Key=Value…]    send an action that answers with an event list; print it
  command <CLI command…>      run an Asterisk CLI command and print its output
  ping                        check the connection and the login
  bridge --nats <url> --pbx <name>=<url>…   many PBXs to NATS JetStream (a daemon)
  help [command]              show help

Examples:
  export AMI_URL='ami://admin:amp111@127.0.0.1:5038'
  ami ping
  ami events --event Hangup --event Newchannel --match 'Channel=PJSIP/*'
  ami action Originate Channel=PJSIP/100 Exten=200 Context=default Priority=1 \\
      Variable=A=1 Variable=B=2
  ami list CoreShowChannels --fields Channel,State,Duration
  ami command "core show channels"

${CONNECTION}

${EXIT_CODES}

Run 'ami <command> --help' for a command's options.`,

  events: `ami events: tail events until Ctrl-C (or --count)

Usage:
  ami events [--event <Name>]… [--match <Key=Pattern>]… [--classes <list>] [--count <n>]

Logs in with events off, subscribes, then turns events on with the Events action
and prints "Tailing events" on stderr; from then on every matching event is
printed: one line each (time, name, Key=Value…), or one JSON object per line
with --json. Events lost because the output could not keep up, or while
reconnecting, are reported on stderr.

Options:
  --event <Name>        only events of this name (any case); repeat for several
  --match <Key=Pattern> only events whose Key matches Pattern: * matches any text,
                        ? one character, the rest is literal; repeating a Key
                        accepts any of its patterns, different Keys must all match
  --classes <list>      the event classes to ask for, comma-separated without
                        spaces, e.g. call,system (a class Asterisk does not know
                        is a usage error); default on (all the user may read), or
                        the URL's ?events=
  --count <n>           stop after n events
  --reconnect           reconnect when the connection drops, and go on

Example:
  ami events --event Hangup --match 'Channel=PJSIP/*' --json

${CONNECTION}

${EXIT_CODES}`,

  action: `ami action: send one action and print its response

Usage:
  ami action <Name> [Key=Value…]

Each argument is split at its first "=", so values may hold "=". A key given
more than once is sent once per value, in order (Variable=A=1 Variable=B=2).
The response is printed as Key: Value lines, or as one JSON object with --json.
An action known to answer with an event list (CoreShowChannels, Status, …) is
refused: 'ami list' prints its list.

Example:
  ami action Getvar Variable=GLOBAL(TRUNK)
  ami action Originate Channel=PJSIP/100 Application=Playback Data=demo-congrats \\
      Variable=A=1 Variable=B=2

${CONNECTION}

${EXIT_CODES}`,

  list: `ami list: send an action that answers with an event list, and print the list

Usage:
  ami list <Name> [Key=Value…] [--fields <Key,Key,…>]

Prints the items as a table, one column per key (one table per event name when
the list mixes several), or one JSON object per item with --json, as they arrive.
Arguments are as for 'ami action'.

Options:
  --fields <Key,…>   the columns to show (the keys with --json), in this order; a
                     key no item has is named on stderr and the exit code is 2

Example:
  ami list CoreShowChannels --fields Channel,State,Duration
  ami list PJSIPShowEndpoints --json

${CONNECTION}

${EXIT_CODES}`,

  command: `ami command: run an Asterisk CLI command and print its output

Usage:
  ami command <CLI command…>

The words after 'command' make the CLI command, so quoting is optional. The
output is printed as it is, or as {"command", "response", "output": [lines]}
with --json. A failed command (No such command, …) exits with 1.

Example:
  ami command "core show channels"
  ami command pjsip show endpoints

${CONNECTION}

${EXIT_CODES}`,

  ping: `ami ping: connect, log in, send Ping, and print the answer and the round trip

Usage:
  ami ping

Example:
  AMI_URL='ami://admin:amp111@127.0.0.1:5038' ami ping --json

${CONNECTION}

${EXIT_CODES}`,

  bridge: BRIDGE_HELP,
};

/**
 * The help text of the tool (`command` left out) or of a command.
 *
 * @param command A command's name.
 * @returns The text, ending in a newline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { helpText } from "./help.ts";
 * assert.ok(helpText("events").startsWith("ami events:"));
 * assert.ok(helpText().includes("Exit codes:"));
 * ```
 */
export function helpText(command?: string): string {
  return (HELP[command ?? ""] ?? HELP[""]!) + "\n";
}
