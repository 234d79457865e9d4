/**
 * The catalog's action parameters carry what they do (data/param_notes.json),
 * not a bare "Optional.", and `Originate.Channel` is documented as a dial
 * string. Rendered in process from the data files (imported as JSON).
 */

import assert from "node:assert/strict";
import catalog from "../../data/ami.json" with { type: "json" };
import overlay from "../../data/overlay.json" with { type: "json" };
import notes from "../../data/param_notes.json" with { type: "json" };
import { render } from "../../codegen/generate.ts";
import { buildModel, type Catalog, type Overlay } from "../../codegen/model.ts";

const source = render(
  buildModel(catalog as unknown as Catalog, overlay as unknown as Overlay),
  notes,
);

/** The doc comment right above `readonly <param>` inside `interface <type>`. */
function paramComment(type: string, param: string): string {
  const body = source.slice(source.indexOf(`export interface ${type} `));
  const end = body.search(new RegExp(`readonly ${RegExp.escape(param)}\\??:`));
  assert.ok(end !== -1, `${type}.${param} is in the catalog`);
  const start = body.lastIndexOf("/**", end);
  return body.slice(start, end).replace(/\s*\n\s*\*?\s*/g, " ");
}

Deno.test("Originate.Channel is documented as a dial string, not as a channel's name", () => {
  const comment = paramComment("OriginateAction", "Channel");
  assert.match(comment, /dial string/);
  assert.match(comment, /Technology\/resource/);
  assert.match(comment, /Required\./);
});

Deno.test("every parameter with a note carries it; common ones are more than 'Optional.'", () => {
  for (const [key, note] of Object.entries(notes.params)) {
    const [action, param] = key.split(".") as [string, string];
    const type = `${action.replace(/[^A-Za-z0-9_]+/g, "")}Action`;
    const comment = paramComment(type, /^[A-Za-z_$][\w$]*$/.test(param) ? param : `"${param}"`);
    assert.ok(comment.includes(note.slice(0, 40)), `${key}: ${comment}`);
  }
  for (const param of ["Exten", "Context", "Timeout", "CallerID", "Variable", "Async"]) {
    assert.doesNotMatch(paramComment("OriginateAction", param), /^\/\*\* Optional\./);
  }
});
