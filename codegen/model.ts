/**
 * Builds the typed catalog's model from `data/ami.json` (Asterisk's
 * documentation, as a catalog) and `data/overlay.json` (hand-kept
 * corrections from the recordings). Pure: no I/O, so the generator and the
 * wire test share it.
 *
 * @module
 */

/** One documented field or parameter of the catalog. */
export interface CatalogField {
  /** The field's name. */
  name: string;
  /** Whether the documentation marks it required. */
  required?: boolean;
  /** The default value, for action parameters. */
  default?: string;
  /** The documented values. */
  enum?: string[];
}

/** One `<managerEventInstance>` of the catalog. */
export interface CatalogEventInstance {
  /** The event class, lower case. */
  class: string;
  /** The module that documents it. */
  module: string;
  /** The Asterisk versions it appeared in. */
  since: string[];
  /** Its fields, in order. */
  fields: CatalogField[];
}

/** One event of the catalog. */
export interface CatalogEvent {
  /** The name as documented. */
  name: string;
  /** The name as sent, when it differs. */
  wire_name?: string;
  /** The event classes. */
  classes: string[];
  /** The modules documenting it. */
  modules: string[];
  /** The Asterisk versions it appeared in. */
  since: string[];
  /** Every field, over all instances. */
  fields: CatalogField[];
  /** Each documented variant. */
  instances: CatalogEventInstance[];
  /** The actions whose answers list it. */
  listed_by?: { action: string; role: "item" | "complete" }[];
}

/** One action of the catalog. */
export interface CatalogAction {
  /** The action's name. */
  name: string;
  /** The module that provides it. */
  module: string;
  /** Every module variant that provides it. */
  modules?: string[];
  /** The Asterisk versions it appeared in. */
  since: string[];
  /** Its parameters, in order. */
  parameters: CatalogField[];
  /** The event list it answers with, as documented. */
  event_list?: { items: string[]; complete: string };
  /** The write permissions it needs; `null` when unknown. */
  privilege: string[] | null;
  /** What the recorded server reported. */
  live?: { registered: boolean };
}

/** `data/ami.json`. */
export interface Catalog {
  /** The Asterisk version documented. */
  asterisk_version: string;
  /** Lists seen in the recordings, by action. */
  observed_event_lists: Record<string, { items: string[]; complete: string }>;
  /** Every action. */
  actions: CatalogAction[];
  /** Every event. */
  events: CatalogEvent[];
}

/** A field added by the overlay. */
export interface OverlayField {
  /** The field's name, as sent. */
  name: string;
  /** The values seen or known. */
  enum?: string[];
  /** Whether it may be absent. */
  optional?: boolean;
}

/** `data/overlay.json`. */
export interface Overlay {
  /** Every event name in the recordings. */
  seen_on_wire: string[];
  /** Fields that may be absent wherever they occur. */
  optional_everywhere: { suffixes: string[]; by_class: Record<string, string[]> };
  /** Corrections and additions, by wire name. */
  events: Record<string, {
    note: string;
    new?: { classes: string[] };
    /** The class Asterisk really raises it with, where the documentation says otherwise. */
    classes?: string[];
    fields?: OverlayField[];
    optional?: string[];
  }>;
  /** Response fields, by action. */
  responses: Record<string, { fields: OverlayField[] }>;
  /** Other spellings of action names: alias → name. */
  action_aliases: { names: Record<string, string> };
  /** `Action.Param` enumerations that name no real values. */
  action_enums_without_values: { params: string[] };
}

/** Where a field's definition came from. */
export type Origin = "docs" | "overlay";

/** A field of the model. */
export interface Field {
  /** The name, as sent. */
  name: string;
  /** Whether every instance of the event carries it. */
  present: boolean;
  /** Known values; other values stay possible. */
  values: string[];
  /** Where it was defined. */
  origin: Origin;
  /** The snapshot it belongs to, if any: kind and prefix. */
  snapshot?: { kind: "channel" | "bridge"; prefix: string };
}

/** An event of the model. */
export interface EventModel {
  /** The name as sent. */
  name: string;
  /** The documentation's spelling, when it differs. */
  docName?: string;
  /** Event classes. */
  classes: string[];
  /** Modules that send it. */
  modules: string[];
  /** Versions it appeared in. */
  since: string[];
  /** Where it was defined. */
  origin: Origin;
  /** Whether the recordings hold it. */
  seenOnWire: boolean;
  /** The actions whose answers list it. */
  listedBy: { action: string; role: "item" | "complete" }[];
  /** Its fields, in order. */
  fields: Field[];
}

/** A parameter of an action. */
export interface Param {
  /** The header name; a pattern when `pattern` is set. */
  name: string;
  /** Whether the action fails without it. */
  required: boolean;
  /** The documented default. */
  default?: string;
  /** Documented values; other values stay possible. */
  values: string[];
  /** For numbered headers (`Action-000000`): the text before and after the number. */
  pattern?: { before: string; after: string };
}

/** An action of the model. */
export interface ActionModel {
  /** The action's name. */
  name: string;
  /** Other spellings it is typed under. */
  aliases: string[];
  /** Modules that provide it. */
  modules: string[];
  /** Versions it appeared in. */
  since: string[];
  /** Write permissions needed; `null` when unknown. */
  privilege: string[] | null;
  /** Whether the recorded server had it. */
  registered: boolean;
  /** Its parameters, in order. */
  params: Param[];
  /** The event list it answers with. */
  list?: { items: string[]; complete: string; origin: Origin };
  /** Fields of its success response beyond the common ones. */
  responseFields: Field[];
}

/** The whole model. */
export interface Model {
  /** The Asterisk version documented. */
  asteriskVersion: string;
  /** Events by wire name, sorted. */
  events: Map<string, EventModel>;
  /** Other names events are known by (documentation spellings): alias → wire name. */
  aliases: Map<string, string>;
  /** Actions by name, sorted. */
  actions: Map<string, ActionModel>;
}

/** The fields of a channel snapshot, in Asterisk's order, without prefix. */
export const CHANNEL_SNAPSHOT: readonly string[] = [
  "Channel",
  "ChannelState",
  "ChannelStateDesc",
  "CallerIDNum",
  "CallerIDName",
  "ConnectedLineNum",
  "ConnectedLineName",
  "Language",
  "AccountCode",
  "Context",
  "Exten",
  "Priority",
  "Uniqueid",
  "Linkedid",
];

/** The fields of a bridge snapshot, in Asterisk's order, without prefix. */
export const BRIDGE_SNAPSHOT: readonly string[] = [
  "BridgeUniqueid",
  "BridgeType",
  "BridgeTechnology",
  "BridgeCreator",
  "BridgeName",
  "BridgeNumChannels",
  "BridgeVideoSourceMode",
  "BridgeVideoSource",
];

// Enum entries that describe a value rather than name one (`<match_method>`, `system,call,log,...`).
const PLACEHOLDER_VALUE = /[<>|]|\.\.\./;
// Numbered headers: `Action-000000` and `UnitAmount(0)`.
const NUMBERED_PARAM = /^(.*?)(-0+|\(0\))$/;

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Marks which fields belong to a channel or bridge snapshot, by finding the
 * snapshot's field names in order, under one prefix.
 */
function markSnapshots(fields: Field[]): void {
  for (let i = 0; i < fields.length;) {
    let matched = 0;
    for (
      const [kind, template] of [["channel", CHANNEL_SNAPSHOT], [
        "bridge",
        BRIDGE_SNAPSHOT,
      ]] as const
    ) {
      const first = fields[i]!.name;
      if (!first.endsWith(template[0]!)) continue;
      const prefix = first.slice(0, first.length - template[0]!.length);
      // The bridge snapshot's last field is optional, so it may be missing from the docs too.
      let n = 0;
      while (n < template.length && fields[i + n]?.name === prefix + template[n]) n++;
      if (n >= template.length - (kind === "bridge" ? 1 : 0)) {
        for (let k = 0; k < n; k++) fields[i + k]!.snapshot = { kind, prefix };
        matched = n;
        break;
      }
    }
    i += matched > 0 ? matched : 1;
  }
}

/** Applies an overlay `optional` entry: a field name, `@channel:Prefix` or `@bridge:Prefix`. */
function markOptional(event: EventModel, entry: string): void {
  const snapshot = /^@(channel|bridge):(.*)$/.exec(entry);
  let hits = 0;
  for (const field of event.fields) {
    const match = snapshot
      ? field.snapshot !== undefined && field.snapshot.kind === snapshot[1] &&
        field.snapshot.prefix === snapshot[2]
      : field.name === entry;
    if (match) {
      field.present = false;
      hits++;
    }
  }
  if (hits === 0) throw new Error(`overlay: ${event.name} has no field ${entry}`);
}

/**
 * Builds the model: documented events and actions, merged with the overlay.
 *
 * @param catalog The parsed `data/ami.json`.
 * @param overlay The parsed `data/overlay.json`.
 * @returns The model.
 * @throws {Error} when the overlay names an event, field or action that does
 * not exist, so stale corrections are noticed.
 */
export function buildModel(catalog: Catalog, overlay: Overlay): Model {
  const seen = new Set(overlay.seen_on_wire);
  const events = new Map<string, EventModel>();
  const aliases = new Map<string, string>();

  for (const doc of catalog.events) {
    const name = doc.wire_name ?? doc.name;
    if (doc.wire_name !== undefined) aliases.set(doc.name, doc.wire_name);
    const instances = doc.instances.length;
    const fields: Field[] = doc.fields.map((f) => {
      // A field missing from one documented variant may be missing on the wire.
      const inAll = doc.instances.filter((i) => i.fields.some((g) => g.name === f.name)).length;
      return {
        name: f.name,
        present: inAll === instances,
        values: f.enum ?? [],
        origin: "docs",
      };
    });
    markSnapshots(fields);
    events.set(name, {
      name,
      ...(doc.wire_name !== undefined ? { docName: doc.name } : {}),
      classes: doc.classes,
      modules: doc.modules,
      since: doc.since,
      origin: "docs",
      seenOnWire: seen.has(name),
      listedBy: [...(doc.listed_by ?? [])],
      fields,
    });
  }

  for (const [name, fix] of Object.entries(overlay.events)) {
    let event = events.get(name);
    if (fix.new !== undefined) {
      if (event !== undefined) throw new Error(`overlay: ${name} is documented already`);
      event = {
        name,
        classes: fix.new.classes,
        modules: [],
        since: [],
        origin: "overlay",
        seenOnWire: seen.has(name),
        listedBy: [],
        fields: [],
      };
      events.set(name, event);
    }
    if (event === undefined) throw new Error(`overlay: unknown event ${name}`);
    if (fix.classes !== undefined) event.classes = fix.classes;
    for (const added of fix.fields ?? []) {
      if (event.fields.some((f) => f.name === added.name)) {
        throw new Error(`overlay: ${name}.${added.name} is documented already`);
      }
      event.fields.push({
        name: added.name,
        present: added.optional !== true,
        values: added.enum ?? [],
        origin: "overlay",
      });
    }
    if (fix.new !== undefined) markSnapshots(event.fields);
    for (const entry of fix.optional ?? []) markOptional(event, entry);
  }

  for (const event of events.values()) {
    const byClass = event.classes.flatMap((c) => overlay.optional_everywhere.by_class[c] ?? []);
    for (const field of event.fields) {
      if (overlay.optional_everywhere.suffixes.some((s) => field.name.endsWith(s))) {
        field.present = false;
      }
      if (byClass.includes(field.name)) field.present = false;
    }
  }
  for (const name of seen) {
    if (!events.has(name)) throw new Error(`overlay: ${name} is seen on the wire but has no type`);
  }

  const dropEnums = new Set(overlay.action_enums_without_values.params);
  const actions = new Map<string, ActionModel>();
  for (const doc of [...catalog.actions].sort((a, b) => byName(a.name, b.name))) {
    const params: Param[] = doc.parameters.map((p) => {
      const values = dropEnums.has(`${doc.name}.${p.name}`)
        ? []
        : (p.enum ?? []).filter((v) => !PLACEHOLDER_VALUE.test(v));
      const numbered = NUMBERED_PARAM.exec(p.name);
      const param: Param = { name: p.name, required: p.required === true, values };
      if (p.default !== undefined) param.default = p.default;
      if (numbered) {
        const suffix = numbered[2]!;
        param.pattern = suffix.startsWith("(")
          ? { before: numbered[1]! + "(", after: ")" }
          : { before: numbered[1]! + "-", after: "" };
      }
      return param;
    });
    const documented = doc.event_list;
    const observed = catalog.observed_event_lists[doc.name];
    let list: ActionModel["list"];
    if (documented !== undefined || observed !== undefined) {
      const items = [...new Set([...(documented?.items ?? []), ...(observed?.items ?? [])])];
      const complete = documented?.complete ?? observed!.complete;
      if (observed !== undefined && observed.complete !== complete) {
        throw new Error(`${doc.name}: documented and observed list ends differ`);
      }
      list = { items, complete, origin: documented !== undefined ? "docs" : "overlay" };
      for (const item of items) link(events, item, doc.name, "item");
      link(events, complete, doc.name, "complete");
    }
    actions.set(doc.name, {
      name: doc.name,
      aliases: [],
      modules: doc.modules ?? [doc.module],
      since: doc.since,
      privilege: doc.privilege,
      registered: doc.live?.registered ?? false,
      params,
      ...(list !== undefined ? { list } : {}),
      responseFields: [],
    });
  }

  for (const [alias, name] of Object.entries(overlay.action_aliases.names)) {
    const action = actions.get(name);
    if (action === undefined || actions.has(alias)) throw new Error(`overlay: bad alias ${alias}`);
    action.aliases.push(alias);
  }
  for (const [name, response] of Object.entries(overlay.responses)) {
    const action = actions.get(name);
    if (action === undefined) throw new Error(`overlay: unknown action ${name}`);
    action.responseFields = response.fields.map((f) => ({
      name: f.name,
      present: f.optional !== true,
      values: f.enum ?? [],
      origin: "overlay",
    }));
  }

  const sortedEvents = new Map([...events].sort(([a], [b]) => byName(a, b)));
  return { asteriskVersion: catalog.asterisk_version, events: sortedEvents, aliases, actions };
}

/** Records that `action` lists the event `name`, once. */
function link(
  events: Map<string, EventModel>,
  name: string,
  action: string,
  role: "item" | "complete",
): void {
  const event = events.get(name);
  if (event === undefined) throw new Error(`${action} lists ${name}, which has no definition`);
  if (!event.listedBy.some((l) => l.action === action && l.role === role)) {
    event.listedBy.push({ action, role });
  }
}
