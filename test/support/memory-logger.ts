// A logger that keeps its lines, for tests that assert what was logged.
import { createLogger, type Logger } from "../../src/log/logger.ts";

export function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ level: "debug", write: (l) => lines.push(l) }), lines };
}
