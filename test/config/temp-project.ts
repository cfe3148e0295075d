// A throwaway project folder (bots/, tasks/) under the OS temp dir.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export interface TempProject {
  dir: string;
  botsDir: string;
  tasksDir: string;
  write(rel: string, text: string): string;
  remove(): void;
}

export function tempProject(files: Record<string, string> = {}): TempProject {
  const dir = mkdtempSync(path.join(tmpdir(), "seshet-config-"));
  const project: TempProject = {
    dir,
    botsDir: path.join(dir, "bots"),
    tasksDir: path.join(dir, "tasks"),
    write(rel, text) {
      const file = path.join(dir, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (const [rel, text] of Object.entries(files)) project.write(rel, text);
  return project;
}

export const MINIMAL_BOT = 'nick = "seshet"\n[server]\nhost = "irc.example.net"\n';
