// `seshet schema bot|tasks`: the JSON Schema of bot files or task files, the
// same text as schema/*.schema.json in the repository (a test keeps them equal).
import { configSchemaText, SCHEMA_KINDS, type SchemaKind } from "../config/config-schema.ts";

export function runSchema(kind: string, out: (text: string) => void, err: (line: string) => void): number {
  if (!(SCHEMA_KINDS as readonly string[]).includes(kind)) {
    err(`seshet schema: unknown kind '${kind}'; use one of: ${SCHEMA_KINDS.join(", ")}`);
    return 2;
  }
  out(configSchemaText(kind as SchemaKind));
  return 0;
}
