// Secrets (passwords) are written as `{ env = "NAME" }` and read from the
// environment, so a bot file can be shared or committed without leaking them.
import { FileChecker, isTable, tomlTypeName, type TomlPath, type TomlTable } from "./file-checker.ts";

export type Env = Record<string, string | undefined>;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The secret's value; `undefined` when absent or (reported) unusable. */
export function readSecret(ck: FileChecker, table: TomlTable, path: TomlPath, key: string, env: Env): string | undefined {
  const v = table[key];
  if (v === undefined) return undefined;
  const name = ck.name(path, key);
  const at = ck.valueAt([...path, key]);
  if (typeof v === "string") {
    ck.error(at, `${name} must be written as { env = "VARIABLE" }: secrets never in the file; put the value in an environment variable`);
    return undefined;
  }
  if (!isTable(v)) {
    ck.error(at, `${name} must be { env = "VARIABLE" }, got ${tomlTypeName(v)}`);
    return undefined;
  }
  ck.unknownKeys(v, [...path, key], ["env"], ` in ${name}`);
  const varName = v.env;
  if (varName === undefined) {
    ck.error(at, `${name} must be { env = "VARIABLE" }: the 'env' key is missing`);
    return undefined;
  }
  if (typeof varName !== "string" || !ENV_NAME.test(varName)) {
    ck.error(ck.valueAt([...path, key, "env"]), `${name}: env must name an environment variable (letters, digits, '_')`);
    return undefined;
  }
  const value = env[varName];
  if (value === undefined) {
    ck.error(ck.valueAt([...path, key, "env"]), `environment variable ${varName} is not set (it holds ${name})`);
    return undefined;
  }
  if (value === "") {
    ck.error(ck.valueAt([...path, key, "env"]), `environment variable ${varName} is empty (it holds ${name})`);
    return undefined;
  }
  return value;
}
