/**
 * The field types every typed message and action is built from: open
 * records of string fields, the action specification and its values. The
 * generated catalog (`src/generated/catalog.ts`) builds on these; nothing
 * here exists at run time.
 *
 * @module
 */

import type { AmiAction } from "../wire/encoder.ts";
import type { AmiFieldValue } from "../wire/message.ts";
import type { AmiAnyString, AmiEventFields, AmiResponseFields } from "../wire/message_types.ts";

export type {
  AmiAnyString,
  AmiEvent,
  AmiEventFields,
  AmiFields,
  AmiListResponseFields,
  AmiParsedMessage,
  AmiResponse,
  AmiResponseFields,
} from "../wire/message_types.ts";

/**
 * A value an action header takes: a string, a number, a boolean, or an array
 * of those to repeat the header.
 *
 * @example
 * ```ts
 * import type { AmiActionValue } from "@x/ami";
 * import assert from "node:assert/strict";
 * const variables: AmiActionValue = ["A=1", "B=2"];
 * assert.ok(Array.isArray(variables));
 * ```
 */
export type AmiActionValue = AmiFieldValue | readonly AmiFieldValue[];

/**
 * A value for a header whose documented values are `V`: editors offer them,
 * and any other value is accepted too, as Asterisk may take more.
 *
 * @example
 * ```ts
 * import type { AmiActionChoice } from "@x/ami";
 * import assert from "node:assert/strict";
 * const events: AmiActionChoice<"on" | "off"> = "system,call";
 * assert.equal(events, "system,call");
 * ```
 */
export type AmiActionChoice<V extends string> =
  | V
  | AmiAnyString
  | number
  | boolean
  | readonly AmiFieldValue[];

/**
 * What the catalog knows of one action: the object `send` takes (`params`),
 * the fields of its successful response, and for an action that answers with
 * an event list, its items and the event that ends it.
 *
 * @example Typing a custom action by augmenting {@linkcode AmiActionMap}
 * ```ts ignore
 * import type { AmiAction, AmiActionSpec, AmiEventFields, AmiResponseFields } from "@x/ami";
 *
 * interface MyAction extends AmiAction {
 *   readonly Action: "MyAction";
 *   readonly Target: string;
 * }
 * declare module "@x/ami" {
 *   interface AmiActionMap {
 *     MyAction: AmiActionSpec<MyAction, AmiResponseFields, AmiEventFields, AmiEventFields>;
 *   }
 * }
 * ```
 */
export interface AmiActionSpec<
  P extends AmiAction,
  R extends AmiResponseFields,
  L extends AmiEventFields,
  C extends AmiEventFields,
> {
  /** The action object: `Action` and its parameters. */
  params: P;
  /** The fields of a successful response. */
  response: R;
  /** The fields of the list's items; generic when the action lists nothing. */
  list: L;
  /** The fields of the event that ends the list. */
  complete: C;
}
