/**
 * The pool's public names, re-exported by `mod.ts` in one line.
 *
 * @module
 */

export {
  AmiPool,
  type AmiPoolOptions,
  type AmiPoolStateChange,
  type AmiPoolTarget,
} from "./pool.ts";
export { type AmiPoolEvent, type AmiPoolEventsOptions, AmiPoolEventStream } from "./pool_events.ts";
export type { AmiPoolMemberStats } from "./member.ts";
export { checkPbxName } from "./names.ts";
