// JSON Schema (draft-07) for bot and task files, generated from the key
// tables the validators use (bot-file-keys.ts, task-file-keys.ts). Editors
// with Taplo / Even Better TOML read it through the `#:schema` line at the top
// of a file. The schema checks shapes, ranges and key names; `seshet check`
// remains the full validator (time zones, rules, bot names, secrets set).
import { BOT_FILE_KEYS } from "./bot-file-keys.ts";
import type { KeySpec, KeyTable } from "./config-keys.ts";
import { TASK_FILE_KEYS, TASK_KEYS } from "./task-file-keys.ts";

export type SchemaKind = "bot" | "tasks";
export const SCHEMA_KINDS: readonly SchemaKind[] = ["bot", "tasks"];
/** Where the schemas are shipped in the repository and written by `seshet init`. */
export const SCHEMA_FILES: Readonly<Record<SchemaKind, string>> = { bot: "schema/bot.schema.json", tasks: "schema/tasks.schema.json" };

type Json = Record<string, unknown>;

const LOCAL_DATE_TIME: Json = { type: "string", format: "partial-date-time" };
const DURATION: Json = { type: "string", pattern: "^\\s*(\\d{1,6}[smhdw])+\\s*$" };

export function configSchema(kind: SchemaKind): Json {
  if (kind === "bot") {
    return {
      $schema: "http://json-schema.org/draft-07/schema#",
      title: "Seshet bot file (bots/NAME.toml)",
      description: "One IRC bot; the file's name is the bot's name. Validate fully with `seshet check`.",
      ...tableSchema(BOT_FILE_KEYS, false),
    };
  }
  const task = TASK_FILE_KEYS.task!;
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "Seshet task file (tasks/*.toml)",
    description: "Tasks, each under its own [[task]] header. Validate fully with `seshet check`.",
    type: "object",
    properties: { task: { type: "array", description: task.doc, items: tableSchema(TASK_KEYS, false) } },
    additionalProperties: false,
  };
}

/** The schema as shipped: stable key order, two-space indent, final newline. */
export function configSchemaText(kind: SchemaKind): string {
  return `${JSON.stringify(configSchema(kind), null, 2)}\n`;
}

function tableSchema(keys: KeyTable, upperToo: boolean): Json {
  const properties: Json = {};
  for (const [name, spec] of Object.entries(keys)) {
    properties[name] = keySchema(spec);
    if (upperToo) properties[name.toUpperCase()] = keySchema(spec);
  }
  const required = Object.entries(keys).filter(([, s]) => s.required).map(([k]) => k);
  return { type: "object", properties, ...(required.length > 0 && !upperToo ? { required } : {}), additionalProperties: false };
}

function keySchema(spec: KeySpec): Json {
  const own = { ...valueSchema(spec), ...(spec.default !== undefined ? { default: spec.default } : {}) };
  const forms = [own, ...(spec.alternatives ?? []).map(valueSchema)];
  const base = forms.length > 1 ? { anyOf: forms } : own;
  return { description: spec.doc, ...base };
}

function valueSchema(spec: KeySpec): Json {
  switch (spec.kind) {
    case "string":
      return { type: "string", ...choices(spec), ...(spec.pattern ? { pattern: spec.pattern } : {}) };
    case "integer":
      return { type: "integer", ...range(spec) };
    case "number":
      return { type: "number", ...range(spec) };
    case "boolean":
      return { type: "boolean" };
    case "strings":
      return { type: "array", items: { type: "string" }, ...maxItems(spec) };
    case "integers":
      return { anyOf: [{ type: "integer" }, { type: "array", items: { type: "integer" }, minItems: 1 }] };
    case "array":
      return { type: "array", ...maxItems(spec) };
    case "data":
      return { type: "object" };
    case "secret":
      return {
        type: "object",
        properties: { env: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$", description: "The environment variable holding the secret." } },
        required: ["env"],
        additionalProperties: false,
      };
    case "local-date-time":
      return LOCAL_DATE_TIME;
    case "local-date-times":
      return { type: "array", items: LOCAL_DATE_TIME, ...maxItems(spec) };
    case "duration":
      return DURATION;
    case "durations": {
      const item = spec.itemTable ? { anyOf: [DURATION, tableSchema(spec.itemTable, false)] } : DURATION;
      return { type: "array", items: item, ...maxItems(spec) };
    }
    case "table":
      // Case-insensitive keys (rule parts): the schema lists both spellings.
      return tableSchema(spec.keys ?? {}, spec.caseInsensitiveKeys === true);
  }
}

function choices(spec: KeySpec): Json {
  if (!spec.choices) return {};
  if (!spec.caseInsensitive) return { enum: [...spec.choices] };
  const alt = spec.choices.map((c) => [...c].map((ch) => (/[a-z]/i.test(ch) ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : ch)).join(""));
  return { pattern: `^(${alt.join("|")})$` };
}

function range(spec: KeySpec): Json {
  const out: Json = {};
  if (spec.min !== undefined) out[spec.minExclusive ? "exclusiveMinimum" : "minimum"] = spec.min;
  if (spec.max !== undefined) out.maximum = spec.max;
  return out;
}

function maxItems(spec: KeySpec): Json {
  return spec.maxItems !== undefined ? { maxItems: spec.maxItems } : {};
}
