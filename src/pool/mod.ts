/**
 * The pool's public names, re-exported by `mod.ts` in one line.
 *
 * @module
 */

export { AmiPool } from "./pool.ts";
export type { AmiPoolOptions, AmiPoolStateChange, AmiPoolTarget } from "./options.ts";
export { type AmiPoolEvent, type AmiPoolEventsOptions, AmiPoolEventStream } from "./pool_events.ts";
export type { AmiPoolMemberStats } from "./member.ts";
export { checkPbxName } from "./names.ts";
