/**
 * The NATS subjects of the bridge: `ami.<pbx>.evt.<Event>`, `ami.<pbx>.gap`
 * and `ami.<pbx>.action.<Action>`, with names made safe as subject tokens.
 *
 * @module
 */

/** Characters a token keeps; everything else becomes `_`. */
const UNSAFE = /[^A-Za-z0-9_-]/g;

/**
 * A name as one NATS subject token: characters other than letters, digits,
 * `_` and `-` (such as `.`, `*`, `>` or spaces) become `_`; an empty name
 * becomes `_`.
 *
 * @param name An event or action name.
 * @returns A token that matches no wildcard and splits no subject.
 *
 * @example
 * ```ts
 * import { subjectToken } from "@x/ami/nats";
 * import assert from "node:assert/strict";
 * assert.equal(subjectToken("Newchannel"), "Newchannel");
 * assert.equal(subjectToken("Agent.Login *"), "Agent_Login__");
 * assert.equal(subjectToken(""), "_");
 * ```
 */
export function subjectToken(name: string): string {
  return name === "" ? "_" : name.replace(UNSAFE, "_");
}

/**
 * The subjects of one PBX under a prefix.
 *
 * @example
 * ```ts
 * import { amiSubjects } from "@x/ami/nats";
 * import assert from "node:assert/strict";
 * const subjects = amiSubjects("ami", "pbx-a");
 * assert.equal(subjects.event("Hangup"), "ami.pbx-a.evt.Hangup");
 * assert.equal(subjects.gap, "ami.pbx-a.gap");
 * assert.equal(subjects.actions, "ami.pbx-a.action.*");
 * ```
 */
export interface AmiSubjects {
  /** The subject of an event: `<prefix>.<pbx>.evt.<Event>`. */
  event(name: string): string;
  /** The subject of gap messages: `<prefix>.<pbx>.gap`. */
  readonly gap: string;
  /** The subscription for actions: `<prefix>.<pbx>.action.*`. */
  readonly actions: string;
}

/**
 * The subjects of one PBX.
 *
 * @param prefix The first token, `ami` by default.
 * @param pbx The PBX's name (already a safe token).
 * @returns Its subjects.
 *
 * @example
 * ```ts
 * import { amiSubjects } from "@x/ami/nats";
 * import assert from "node:assert/strict";
 * assert.equal(amiSubjects("ami", "b").event("Cdr"), "ami.b.evt.Cdr");
 * ```
 */
export function amiSubjects(prefix: string, pbx: string): AmiSubjects {
  const base = `${prefix}.${pbx}`;
  // Event names repeat; their tokens are remembered (bounded by the names Asterisk has).
  const tokens = new Map<string, string>();
  return {
    event(name) {
      let subject = tokens.get(name);
      if (subject === undefined) {
        subject = `${base}.evt.${subjectToken(name)}`;
        if (tokens.size < 4096) tokens.set(name, subject);
      }
      return subject;
    },
    gap: `${base}.gap`,
    actions: `${base}.action.*`,
  };
}
