/**
 * Options of {@linkcode AmiPool}, and its state changes.
 *
 * @module
 */

import type { AmiStateChange } from "../client/state.ts";
import type { AmiConnectOptions } from "../client/options.ts";

/**
 * Where a PBX is: an `ami://` or `amis://` URL, or connect options.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiPoolTarget } from "@x/ami";
 * const target: AmiPoolTarget = { hostname: "10.0.0.2", username: "bridge", secret: "s3cret" };
 * assert.ok(typeof target === "object");
 * ```
 */
export type AmiPoolTarget = string | URL | AmiConnectOptions;

/**
 * Options of {@linkcode AmiPool}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiPoolOptions } from "@x/ami";
 * const options: AmiPoolOptions = {
 *   pbxs: { "pbx-a": "ami://bridge:s3cret@10.0.0.1", "pbx-b": "ami://bridge:s3cret@10.0.0.2" },
 *   defaults: { keepalive: { interval: 15_000 } },
 * };
 * assert.equal(Object.keys(options.pbxs ?? {}).length, 2);
 * ```
 */
export interface AmiPoolOptions {
  /** The PBXs, by name (1 to 64 letters, digits, `_` or `-`; see `checkPbxName`). */
  pbxs?: Readonly<Record<string, AmiPoolTarget>>;
  /**
   * Options for every PBX's client, under what each PBX's own URL or options
   * say. Reconnection is on unless a PBX turns it off.
   */
  defaults?: Partial<AmiConnectOptions>;
}

/**
 * A change of state of one PBX.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AmiPoolStateChange } from "@x/ami";
 * const change: AmiPoolStateChange = { pbx: "pbx-a", state: "connected", error: undefined };
 * assert.ok(change.pbx === "pbx-a");
 * ```
 */
export interface AmiPoolStateChange extends AmiStateChange {
  /** The PBX's name. */
  readonly pbx: string;
}
