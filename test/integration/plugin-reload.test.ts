// !reload under the compiled binary (Bun caches a module by path, even with a new query string).
import { ensureBinary } from "../support/seshet-process.ts";
import { reloadScenario } from "../support/reload-scenario.ts";

reloadScenario("compiled binary", "binreload", () => [ensureBinary()]);
