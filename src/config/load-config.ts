// Reads the bots and tasks folders into validated definitions plus every issue found.
import { readdir, readFile } from "node:fs/promises";
import * as path from "node:path";
import type { BotConfig, ConfigIssue, TaskDefinition } from "./config-types.ts";
import { botNameOf, parseBotFile } from "./parse-bot-file.ts";
import { parseTaskFile } from "./parse-task-file.ts";
import type { Env } from "./secret-value.ts";
import { TaskNameRegistry } from "./task-name-registry.ts";

export interface LoadedConfig {
  bots: BotConfig[];
  /** In declaration order: files by name, then position. */
  tasks: TaskDefinition[];
  issues: ConfigIssue[];
  /** Task files with any issue: none of their tasks are in `tasks`, so a sync must leave what they declared before alone. */
  brokenTaskFiles: string[];
}

export interface LoadedTasks {
  tasks: TaskDefinition[];
  issues: ConfigIssue[];
  brokenTaskFiles: string[];
}

export async function loadConfig(opts: { botsDir: string; tasksDir: string; env: Env }): Promise<LoadedConfig> {
  const { bots, issues, botFiles } = await loadBots(opts.botsDir, opts.env);
  // Tasks are checked against every bot file, broken or not, so one bad bot file
  // does not also turn each of its tasks into an "unknown bot" error.
  const loaded = await loadTaskFiles(opts.tasksDir, botFiles.map(botNameOf));
  return {
    bots,
    tasks: loaded.tasks,
    issues: [...issues, ...loaded.issues],
    brokenTaskFiles: loaded.brokenTaskFiles,
  };
}

/** The bot files alone: what a bot started by the supervisor needs (its tasks come from the store). */
export async function loadBots(botsDir: string, env: Env): Promise<{ bots: BotConfig[]; issues: ConfigIssue[]; botFiles: string[] }> {
  const bots: BotConfig[] = [];
  const issues: ConfigIssue[] = [];
  const botFiles = await listToml(botsDir);
  if (botFiles === null) {
    issues.push(wholeFile(botsDir, "no such directory (it should hold one NAME.toml file per bot)"));
  } else if (botFiles.length === 0) {
    issues.push(wholeFile(botsDir, "no bot files: add one NAME.toml per bot (`seshet init` writes an example)"));
  }
  for (const file of botFiles ?? []) {
    const text = await readText(file, issues);
    if (text === undefined) continue;
    const result = parseBotFile(file, text, env);
    issues.push(...result.issues);
    if (result.bot) bots.push(result.bot);
  }
  return { bots, issues, botFiles: botFiles ?? [] };
}

/** `botNames`: the bots tasks may name, or `null` to accept any. A missing folder means no tasks. */
export async function loadTaskFiles(tasksDir: string, botNames: readonly string[] | null): Promise<LoadedTasks> {
  const files = (await listToml(tasksDir)) ?? [];
  const names = new TaskNameRegistry();
  const out: LoadedTasks = { tasks: [], issues: [], brokenTaskFiles: [] };
  for (const file of files) {
    const issues: ConfigIssue[] = [];
    const text = await readText(file, issues);
    const result = text === undefined ? { tasks: [], issues } : parseTaskFile(file, text, botNames, names);
    if (result.issues.length > 0) {
      out.issues.push(...result.issues);
      out.brokenTaskFiles.push(file);
    } else {
      out.tasks.push(...result.tasks);
    }
  }
  return out;
}

/** `*.toml` files of a folder sorted by name (code-unit order, the same everywhere); `null` if the folder is missing. */
async function listToml(dir: string): Promise<string[] | null> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isCode(err, "ENOENT") || isCode(err, "ENOTDIR")) return null;
    throw err;
  }
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.endsWith(".toml") && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => path.join(dir, name));
}

async function readText(file: string, issues: ConfigIssue[]): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    issues.push(wholeFile(file, `cannot read: ${err instanceof Error ? err.message : String(err)}`));
    return undefined;
  }
}

/** An issue about a file or folder as a whole has line and column 0. */
function wholeFile(file: string, message: string): ConfigIssue {
  return { file, line: 0, col: 0, message };
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === code;
}
