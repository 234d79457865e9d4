/**
 * Generates `src/generated/catalog.ts`, the typed catalog of every AMI action
 * and event, from `data/ami.json` and `data/overlay.json`.
 *
 * ```sh
 * deno task generate          # rewrite src/generated/catalog.ts
 * deno task generate --check  # fail if the committed file is stale
 * ```
 *
 * The output goes through `deno fmt`, so it is byte-for-byte what the
 * formatter would keep.
 *
 * @module
 */

import {
  type ActionModel,
  BRIDGE_SNAPSHOT,
  buildModel,
  type Catalog,
  CHANNEL_SNAPSHOT,
  type EventModel,
  type Field,
  type Model,
  type Overlay,
  type Param,
} from "./model.ts";
import { renderEventLists } from "./render_lists.ts";

const ROOT = new URL("../", import.meta.url);
const OUTPUT = new URL("src/generated/catalog.ts", ROOT);
const LISTS_OUTPUT = new URL("src/generated/event_lists.ts", ROOT);

/** What common fields mean, in our words, without a snapshot prefix. */
const FIELD_NOTES: Record<string, string> = {
  Channel: "The channel's name, e.g. `PJSIP/100-00000001`.",
  ChannelState: "The channel's state as a number; see `ChannelStateDesc`.",
  ChannelStateDesc: "The channel's state as a word.",
  CallerIDNum: "The caller ID number.",
  CallerIDName: "The caller ID name.",
  ConnectedLineNum: "The number of the party this channel is connected to.",
  ConnectedLineName: "The name of the party this channel is connected to.",
  Language: "The channel's language, e.g. `en`.",
  AccountCode: "The channel's account code.",
  Context: "The dialplan context.",
  Exten: "The dialplan extension.",
  Priority: "The dialplan priority.",
  Uniqueid: "The channel's unique ID.",
  Linkedid: "The unique ID of the channel that started the call.",
  BridgeUniqueid: "The bridge's unique ID.",
  BridgeType: "The bridge's type, e.g. `basic`.",
  BridgeTechnology: "How the bridge moves media, e.g. `simple_bridge`.",
  BridgeCreator: "What created the bridge.",
  BridgeName: "The bridge's name.",
  BridgeNumChannels: "How many channels the bridge holds.",
  BridgeVideoSourceMode: "How the bridge picks the video it shows.",
  BridgeVideoSource: "The unique ID of the channel whose video the bridge shows.",
  EventList: "`Complete` on the event that ends a list.",
  ListItems: "How many items the list held.",
  Items: "How many items the list held.",
  Cause: "A Q.850 cause code.",
  "Cause-txt": "The cause code in words.",
  Queue: "The queue's name.",
  Variable: "A variable's name (or `name=value`).",
  Value: "The variable's value.",
  Application: "The dialplan application.",
  AppData: "The application's arguments.",
  Status: "A status code or word.",
  Device: "The device, e.g. `PJSIP/100` or `Custom:lamp1`.",
  State: "A state word.",
  Reason: "Why it happened.",
  Module: "The module concerned.",
  Key: "A key in Asterisk's database.",
  Val: "The value stored under the key.",
  Family: "A family in Asterisk's database.",
};

/** What common action parameters do, in our words. */
const PARAM_NOTES: Record<string, string> = {
  ActionID: "Echoed in the response and in the events it lists, to match them up.",
  Channel: "The name of an existing channel, e.g. `PJSIP/100-00000001`.",
  Context: "The dialplan context.",
  Exten: "The dialplan extension.",
  Priority: "The dialplan priority.",
};

/** Sample values for required parameters in examples. */
const SAMPLES: Record<string, string> = {
  Channel: "PJSIP/100",
  Context: "default",
  Exten: "100",
  Priority: "1",
  Mailbox: "100",
  Queue: "support",
  Interface: "PJSIP/100",
  Family: "family",
  Key: "key",
  Command: "core show uptime",
  Variable: "NAME",
  Value: "value",
  Filename: "extensions.conf",
  Endpoint: "100",
  Username: "admin",
  Secret: "secret",
};

function identifierFor(name: string): string {
  return name.replace(/[^A-Za-z0-9_]+/g, "");
}

/** The exported name of an event's interface. */
export function eventTypeName(name: string): string {
  return identifierFor(name) + "Event";
}

/** The exported name of an action's interface. */
export function actionTypeName(name: string): string {
  return identifierFor(name) + "Action";
}

function responseTypeName(name: string): string {
  return identifierFor(name) + "Response";
}

function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

function code(text: string): string {
  return "`" + text + "`";
}

function list(items: string[], last = "and"): string {
  if (items.length <= 1) return items.join("");
  return items.slice(0, -1).join(", ") + ` ${last} ` + items[items.length - 1];
}

function valuesType(values: string[]): string {
  return [...values.map((v) => JSON.stringify(v)), "AmiAnyString"].join(" | ");
}

function docComment(lines: string[], indent = ""): string {
  const single = `${indent}/** ${lines[0]} */`;
  if (lines.length === 1 && single.length <= 100) return single + "\n";
  const body = lines.map((l) => (l === "" ? `${indent} *` : `${indent} * ${l}`));
  return `${indent}/**\n${body.join("\n")}\n${indent} */\n`;
}

function example(lines: string[]): string[] {
  return ["@example", "```ts", ...lines, "```"];
}

function sinceText(since: string[]): string {
  if (since.length === 0) return "";
  return since.length === 1
    ? `since Asterisk ${since[0]}`
    : `since Asterisk ${list(since, "or")} (by branch)`;
}

function fieldDoc(field: Field): string {
  const parts: string[] = [];
  const prefix = field.snapshot?.prefix ?? "";
  const base = prefix !== "" && field.name.startsWith(prefix)
    ? field.name.slice(prefix.length)
    : field.name;
  const note = FIELD_NOTES[base] ?? FIELD_NOTES[field.name];
  if (note !== undefined) {
    parts.push(note);
    if (prefix !== "" && FIELD_NOTES[field.name] === undefined) {
      parts.push(`Of the ${code(prefix)} ${field.snapshot!.kind}.`);
    }
  } else {
    parts.push(`The ${code(field.name)} header.`);
  }
  if (field.values.length > 0) parts.push("Known values are listed; others may come.");
  if (!field.present) parts.push("Not always sent.");
  if (field.origin === "overlay") parts.push("Not in Asterisk's documentation.");
  return parts.join(" ");
}

function fieldLines(fields: Field[]): string {
  let out = "";
  for (const field of fields) {
    out += docComment([fieldDoc(field)], "  ");
    const type = field.values.length > 0 ? valuesType(field.values) : "string";
    out += `  readonly ${key(field.name)}${field.present ? "" : "?"}: ${type};\n`;
  }
  return out;
}

function eventSummary(event: EventModel, model: Model): string[] {
  const facts: string[] = [];
  if (event.classes.length > 0) {
    facts.push(`class ${list(event.classes.map(code))}`);
  }
  if (event.modules.length > 0) facts.push(`from ${list(event.modules.map(code), "or")}`);
  const since = sinceText(event.since);
  if (since !== "") facts.push(since);
  const lines = [
    `Fields of the ${code(event.name)} event` +
    (facts.length > 0 ? ` (${facts.join("; ")}).` : "."),
  ];
  for (const role of ["item", "complete"] as const) {
    const actions = event.listedBy.filter((l) => l.role === role).map((l) => code(l.action));
    if (actions.length === 0) continue;
    lines.push(
      role === "item"
        ? `An item of the list that ${list(actions, "or")} answers with.`
        : `Ends the list that ${list(actions, "or")} answers with.`,
    );
  }
  if (event.origin === "overlay") {
    lines.push("Missing from Asterisk's documentation; typed from the recordings.");
  }
  if (event.docName !== undefined) {
    lines.push(`The documentation spells it ${code(event.docName)}; Asterisk sends this spelling.`);
  }
  lines.push(
    event.seenOnWire
      ? "Checked against recorded traffic from Asterisk 23."
      : "Typed from the documentation; not in the recordings.",
  );
  const aliases = [...model.aliases].filter(([, wire]) => wire === event.name).map(([a]) => a);
  if (aliases.length > 0) {
    lines.push(`Also reachable as ${list(aliases.map((a) => code(`AmiEventOf<"${a}">`)))}.`);
  }
  return lines;
}

function eventExample(event: EventModel): string[] {
  const type = eventTypeName(event.name);
  const field = event.fields.find((f) => f.present && f.values.length === 0) ??
    event.fields.find((f) => f.present);
  const read = field === undefined ? "ev.Event" : `ev${propertyAccess(field.name)}`;
  return example([
    `import type { ${type} } from "@x/ami";`,
    `const read = (ev: ${type}): string => ${read};`,
  ]);
}

function propertyAccess(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** The shared snapshot shapes: field names without prefix, types and presence. */
interface SnapshotShapes {
  channel: Field[];
  bridge: Field[];
}

/** The snapshot shapes, from the first event that documents each whole. */
function snapshotShapes(model: Model): SnapshotShapes {
  const find = (kind: "channel" | "bridge", template: readonly string[]): Field[] => {
    for (const event of model.events.values()) {
      const group = event.fields.filter((f) =>
        f.snapshot?.kind === kind && f.snapshot.prefix === "" && f.origin === "docs"
      );
      if (
        group.length === template.length && group.every((f) => f.present || isAlwaysOptional(f))
      ) {
        return group;
      }
    }
    throw new Error(`no event documents a whole ${kind} snapshot`);
  };
  return { channel: find("channel", CHANNEL_SNAPSHOT), bridge: find("bridge", BRIDGE_SNAPSHOT) };
}

/** The bridge snapshot's video source is sent only sometimes, wherever it occurs. */
function isAlwaysOptional(field: Field): boolean {
  return field.name.endsWith("BridgeVideoSource");
}

const SNAPSHOT_TYPES = { channel: "AmiChannelSnapshot", bridge: "AmiBridgeSnapshot" } as const;

/**
 * Splits an event's fields into whole snapshots, written as
 * `AmiChannelSnapshot<"Prefix">` bases (wrapped in `Partial` when the
 * snapshot may be missing), and the fields left to write out.
 */
function factorSnapshots(event: EventModel, shapes: SnapshotShapes): {
  bases: string[];
  rest: Field[];
} {
  const bases: string[] = [];
  const factored = new Set<Field>();
  const groups = new Map<string, Field[]>();
  for (const field of event.fields) {
    if (field.snapshot === undefined) continue;
    const id = `${field.snapshot.kind}:${field.snapshot.prefix}`;
    groups.set(id, [...(groups.get(id) ?? []), field]);
  }
  for (const group of groups.values()) {
    const { kind, prefix } = group[0]!.snapshot!;
    const shape = shapes[kind];
    if (group.length !== shape.length) continue;
    const same = group.every((f, i) =>
      f.name === prefix + shape[i]!.name && f.values.join("|") === shape[i]!.values.join("|")
    );
    const allPresent = group.every((f) => f.present === shape[i(group, f)]!.present);
    const allAbsent = group.every((f) => !f.present);
    if (!same || (!allPresent && !allAbsent)) continue;
    const base = SNAPSHOT_TYPES[kind] + (prefix === "" ? "" : `<${JSON.stringify(prefix)}>`);
    bases.push(allPresent ? base : `Partial<${base}>`);
    for (const f of group) factored.add(f);
  }
  return { bases, rest: event.fields.filter((f) => !factored.has(f)) };
}

function i(group: Field[], field: Field): number {
  return group.indexOf(field);
}

function emitEvent(event: EventModel, model: Model, shapes: SnapshotShapes): string {
  const type = eventTypeName(event.name);
  const { bases, rest } = factorSnapshots(event, shapes);
  let out = docComment([...eventSummary(event, model), "", ...eventExample(event)]);
  out += `export interface ${type} extends ${["AmiEventFields", ...bases].join(", ")} {\n`;
  out += docComment(["The event's name."], "  ");
  out += `  readonly Event: ${JSON.stringify(event.name)};\n`;
  out += fieldLines(rest.filter((f) => f.name !== "Event"));
  out += "}\n\n";
  return out;
}

function emitSnapshots(shapes: SnapshotShapes): string {
  let out = "";
  for (const kind of ["channel", "bridge"] as const) {
    const fields = SNAPSHOT_TYPES[kind] + "Fields";
    const type = SNAPSHOT_TYPES[kind];
    const sampleField = shapes[kind][0]!.name;
    out += docComment([
      `The fields Asterisk writes for a ${kind} in many events, without prefix.`,
      "",
      ...example([
        `import type { ${fields} } from "@x/ami";`,
        `const read = (snapshot: ${fields}): string => snapshot.${sampleField};`,
      ]),
    ]);
    out += `export interface ${fields} {\n${fieldLines(shapes[kind])}}\n\n`;
    out += docComment([
      `The ${kind} snapshot fields under a prefix: \`${type}<"Dest">\` has`,
      `\`Dest${sampleField}\` and so on. An event that describes several ${kind}s has one`,
      "snapshot per prefix.",
      "",
      ...example([
        `import type { ${type} } from "@x/ami";`,
        `const read = (snapshot: ${type}<"Dest">): string => snapshot.Dest${sampleField};`,
      ]),
    ]);
    out += `export type ${type}<P extends string = ""> = {\n`;
    out += `  readonly [K in keyof ${fields} as \`\${P}\${K}\`]: ${fields}[K];\n};\n\n`;
  }
  return out;
}

/** `data/param_notes.json`: what parameters do, by `Action.Parameter`. */
export interface ParamNotes {
  /** The notes, by `Action.Parameter`. */
  params: Record<string, string>;
}

function paramDoc(action: ActionModel, param: Param, notes: ParamNotes): string {
  const parts: string[] = [];
  const note = notes.params[`${action.name}.${param.name}`] ?? PARAM_NOTES[param.name];
  if (note !== undefined) parts.push(note);
  if (param.pattern !== undefined) {
    parts.push(
      `Numbered: ${code(param.name)} is the first; the number goes between ${
        code(param.pattern.before)
      } and ${code(param.pattern.after || "the end")}.`,
    );
  }
  parts.push(param.required ? "Required." : "Optional.");
  if (param.required && param.pattern !== undefined) {
    parts.push(`(${action.name} needs at least one.)`);
  }
  if (param.default !== undefined) parts.push(`Defaults to ${code(param.default)}.`);
  if (param.values.length > 0) parts.push("Known values are listed; others are accepted.");
  return parts.join(" ");
}

function paramType(param: Param): string {
  return param.values.length > 0
    ? `AmiActionChoice<${param.values.map((v) => JSON.stringify(v)).join(" | ")}>`
    : "AmiActionValue";
}

function sample(param: Param): string {
  if (param.values.length > 0) return JSON.stringify(param.values[0]);
  return JSON.stringify(SAMPLES[param.name] ?? "value");
}

function emitAction(action: ActionModel, model: Model, notes: ParamNotes): string {
  const type = actionTypeName(action.name);
  const facts = [`from ${list(action.modules.map(code), "or")}`];
  const since = sinceText(action.since);
  if (since !== "") facts.push(since);
  if (action.privilege !== null) {
    facts.push(
      action.privilege.length === 0
        ? "no write permission needed"
        : `needs write permission ${list(action.privilege.map(code), "or")}`,
    );
  }
  const lines = [`Parameters of the ${code(action.name)} action (${facts.join("; ")}).`];
  if (action.list !== undefined) {
    const items = action.list.items.map((i) => code(i));
    lines.push(
      `Answers with a list of ${list(items, "or")} events, ended by ${code(action.list.complete)}` +
        (action.list.origin === "overlay" ? " (as recorded; the documentation omits it)." : "."),
    );
  }
  if (!action.registered) lines.push("Its module was not loaded on the recorded server.");
  if (action.aliases.length > 0) {
    lines.push(
      `Also typed as ${list(action.aliases.map(code), "and")}: Asterisk ignores the case.`,
    );
  }
  const required = action.params.filter((p) => p.required && p.pattern === undefined);
  const literal = [
    `Action: ${JSON.stringify(action.name)}`,
    ...required.map((p) => `${key(p.name)}: ${sample(p)}`),
  ].join(", ");
  lines.push(
    "",
    ...example([
      `import type { ${type} } from "@x/ami";`,
      `const action: ${type} = { ${literal} };`,
    ]),
  );
  let out = docComment(lines);
  out += `export interface ${type} extends AmiAction {\n`;
  out += docComment(["The action's name."], "  ");
  out += `  readonly Action: ${
    [action.name, ...action.aliases].map((n) => JSON.stringify(n)).join(" | ")
  };\n`;
  for (const param of action.params) {
    out += docComment([paramDoc(action, param, notes)], "  ");
    const type = paramType(param);
    if (param.pattern !== undefined) {
      const pattern = "`" + param.pattern.before + "${string}" + param.pattern.after + "`";
      out += `  readonly [header: ${pattern}]: ${type} | undefined;\n`;
    } else if (param.required) {
      out += `  readonly ${key(param.name)}: ${type};\n`;
    } else {
      out += `  readonly ${key(param.name)}?: ${type} | undefined;\n`;
    }
  }
  out += "}\n\n";
  void model;
  return out;
}

function emitResponse(action: ActionModel): string {
  const type = responseTypeName(action.name);
  const base = action.list !== undefined ? "AmiListResponseFields" : "AmiResponseFields";
  const field = action.responseFields.find((f) => f.present) ?? action.responseFields[0]!;
  const read = field.present
    ? `r${propertyAccess(field.name)}`
    : `r${propertyAccess(field.name)} ?? ""`;
  let out = docComment([
    `Fields of a successful response to ${code(action.name)}, as recorded from Asterisk 23.`,
    "",
    ...example([
      `import type { ${type} } from "@x/ami";`,
      `const read = (r: ${type}): string => ${read};`,
    ]),
  ]);
  out += `export interface ${type} extends ${base} {\n`;
  out += fieldLines(action.responseFields);
  out += "}\n\n";
  return out;
}

function responseOf(action: ActionModel): string {
  if (action.responseFields.length > 0) return responseTypeName(action.name);
  return action.list !== undefined ? "AmiListResponseFields" : "AmiResponseFields";
}

function itemsOf(action: ActionModel): string {
  if (action.list === undefined) return "AmiEventFields";
  return action.list.items.map(eventTypeName).join(" | ");
}

function completeOf(action: ActionModel): string {
  return action.list === undefined ? "AmiEventFields" : eventTypeName(action.list.complete);
}

/**
 * Renders the model as TypeScript (before formatting).
 *
 * @param model The model.
 * @returns The source text.
 */
export function render(model: Model, notes: ParamNotes = { params: {} }): string {
  const events = [...model.events.values()];
  const actions = [...model.actions.values()];
  const withResponse = actions.filter((a) => a.responseFields.length > 0);
  let out =
    `// Generated by codegen/generate.ts from data/ami.json and data/overlay.json. Do not edit:
// change the data or the generator, then run \`deno task generate\`.

/**
 * The typed catalog: an interface for every action's parameters and every
 * event's fields in Asterisk ${model.asteriskVersion}'s documentation (${actions.length} actions,
 * ${events.length} events), corrected and completed from recorded traffic.
 * Use it through \`AmiActionInput\`, \`AmiEventOf\`, \`AmiResponseOf\` and
 * \`AmiListItemOf\` (in \`src/types/maps.ts\`).
 *
 * @module
 */

import type { AmiAction } from "../wire/encoder.ts";
import type {
  AmiActionChoice,
  AmiActionSpec,
  AmiActionValue,
  AmiAnyString,
  AmiEventFields,
  AmiListResponseFields,
  AmiResponseFields,
} from "../types/fields.ts";

`;
  const shapes = snapshotShapes(model);
  out += emitSnapshots(shapes);
  for (const event of events) out += emitEvent(event, model, shapes);
  for (const action of actions) out += emitAction(action, model, notes);
  for (const action of withResponse) out += emitResponse(action);

  out += docComment([
    `Every event of the catalog by name (${events.length} names as sent, plus the documentation's`,
    "other spellings). {@linkcode AmiEventMap} extends it; prefer that one.",
    "",
    ...example([
      `import type { AmiCatalogEventMap } from "@x/ami";`,
      `const cause = (ev: AmiCatalogEventMap["Hangup"]): string => ev.Cause;`,
    ]),
  ]);
  out += "export interface AmiCatalogEventMap {\n";
  const entries: [string, string][] = events.map((e) => [e.name, e.name]);
  for (const [alias, wire] of model.aliases) entries.push([alias, wire]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, wire] of entries) {
    out += docComment(
      [
        name === wire
          ? `The ${code(name)} event.`
          : `The documentation's spelling of ${code(wire)}; events carry ${
            code(`Event: ${wire}`)
          }.`,
      ],
      "  ",
    );
    out += `  ${key(name)}: ${eventTypeName(wire)};\n`;
  }
  out += "}\n\n";

  out += docComment([
    `Every action of the catalog by name (${actions.length}): its parameters, its response, its`,
    "list items and the event that ends the list. {@linkcode AmiActionMap} extends it; prefer",
    "that one.",
    "",
    ...example([
      `import type { AmiCatalogActionMap } from "@x/ami";`,
      `const ping: AmiCatalogActionMap["Ping"]["params"] = { Action: "Ping" };`,
    ]),
  ]);
  out += "export interface AmiCatalogActionMap {\n";
  const actionEntries: [string, ActionModel][] = actions.flatMap((a) =>
    [a.name, ...a.aliases].map((n): [string, ActionModel] => [n, a])
  );
  actionEntries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, action] of actionEntries) {
    out += docComment(
      [
        name === action.name
          ? `The ${code(name)} action.`
          : `Another spelling of ${code(action.name)}.`,
      ],
      "  ",
    );
    out += `  ${key(name)}: AmiActionSpec<${actionTypeName(action.name)}, ${responseOf(action)}, ${
      itemsOf(action)
    }, ${completeOf(action)}>;\n`;
  }
  out += "}\n\n";

  out += docComment([
    "The fields of any event of the catalog: a union discriminated on `Event`. It is closed",
    "(an unknown event is none of them), so use it where the name was checked.",
    "",
    ...example([
      `import type { AmiKnownEventFields } from "@x/ami";`,
      "const describe = (ev: AmiKnownEventFields): string =>",
      `  ev.Event === "Hangup" ? ev.Cause : ev.Event;`,
    ]),
  ]);
  out += "export type AmiKnownEventFields =\n";
  out += events.map((e) => `  | ${eventTypeName(e.name)}`).join("\n") + ";\n\n";
  return out + emitEventClasses(events);
}

/** The run-time table of each event's class, for choosing the smallest event mask. */
function emitEventClasses(events: EventModel[]): string {
  let out = docComment([
    'The class of every event of the catalog, by the name Asterisk sends (`""` for events',
    "Asterisk only writes in answers to actions, which no mask or filter holds back).",
    "",
    ...example([
      `import { AMI_EVENT_CLASS_BY_NAME } from "./catalog.ts";`,
      `if (AMI_EVENT_CLASS_BY_NAME.Newchannel !== "call") throw new Error("wrong class");`,
    ]),
  ]);
  out += "export const AMI_EVENT_CLASS_BY_NAME: Readonly<Record<string, string>> = {\n";
  for (const event of [...events].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (event.classes.length > 1) throw new Error(`${event.name} has several classes`);
    out += `  ${key(event.name)}: "${event.classes[0] ?? ""}",\n`;
  }
  return out + "};\n";
}

async function format(source: string): Promise<string> {
  const child = new Deno.Command("deno", {
    args: ["fmt", "--ext=ts", "-"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(source));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) throw new Error("deno fmt failed:\n" + new TextDecoder().decode(stderr));
  return new TextDecoder().decode(stdout);
}

/** Reads the data files and returns each generated file's formatted source, by URL. */
export async function generate(): Promise<Map<URL, string>> {
  const catalog = JSON.parse(await Deno.readTextFile(new URL("data/ami.json", ROOT))) as Catalog;
  const overlay = JSON.parse(
    await Deno.readTextFile(new URL("data/overlay.json", ROOT)),
  ) as Overlay;
  const notes = JSON.parse(
    await Deno.readTextFile(new URL("data/param_notes.json", ROOT)),
  ) as ParamNotes;
  const model = buildModel(catalog, overlay);
  for (const key of Object.keys(notes.params)) {
    const [action, param] = key.split(".");
    if (!model.actions.get(action!)?.params.some((p) => p.name === param)) {
      throw new Error(`data/param_notes.json: ${key} is not a parameter of the catalog`);
    }
  }
  return new Map([
    [OUTPUT, await format(render(model, notes))],
    [LISTS_OUTPUT, await format(renderEventLists(model))],
  ]);
}

/** Reports on stderr (the project bans `console`). */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(line + "\n"));
}

/** A generated file's path in the repository, for messages. */
function shown(url: URL): string {
  return url.pathname.slice(ROOT.pathname.length);
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  let stale = false;
  for (const [url, source] of await generate()) {
    if (check) {
      let current = "";
      try {
        current = await Deno.readTextFile(url);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      if (current !== source) {
        say(`${shown(url)} is out of date: run \`deno task generate\` and commit it.`);
        stale = true;
      } else {
        say(`${shown(url)} is up to date.`);
      }
    } else {
      await Deno.mkdir(new URL("src/generated/", ROOT), { recursive: true });
      await Deno.writeTextFile(url, source);
      say(`wrote ${shown(url)}`);
    }
  }
  if (stale) Deno.exit(1);
}
