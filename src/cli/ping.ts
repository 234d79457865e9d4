/**
 * `ami ping`: connect, log in, send `Ping`, print the answer and the round trip.
 *
 * @module
 */

import { CliUsageError } from "./args.ts";
import type { CommandContext } from "./context.ts";
import { jsonLine } from "./format.ts";

/**
 * Runs `ami ping`.
 *
 * @param context The command's context.
 * @returns The exit code.
 *
 * @example
 * ```ts ignore
 * const code = await ping(context); // prints "Pong from 127.0.0.1:5038 (…) in 0.4 ms"
 * ```
 */
export async function ping(context: CommandContext): Promise<number> {
  if (context.positionals.length > 0) {
    throw new CliUsageError("The ping command takes no arguments", "ping");
  }
  const client = await context.connect();
  try {
    const started = performance.now();
    const response = await client.send({ Action: "Ping" }, context.sendOptions);
    const roundTripMs = Math.round((performance.now() - started) * 1000) / 1000;
    const answer = response.get("Ping") ?? response.get("Response") ?? "";
    if (context.json) {
      const { ActionID: _, ...fields } = response.toJSON();
      await context.output.out(
        jsonLine({ ...fields, address: context.address, banner: client.banner, roundTripMs }),
      );
    } else {
      await context.output.out(
        `${answer} from ${context.address} (${client.banner ?? "no banner"}) in ` +
          `${roundTripMs.toFixed(1)} ms\n`,
      );
    }
    return 0;
  } finally {
    await context.leave(client);
  }
}
