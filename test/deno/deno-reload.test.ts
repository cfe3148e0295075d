// !reload with Seshet running from source under Deno.
import { reloadScenario } from "../support/reload-scenario.ts";
import { DENO_SESHET, requireDeno } from "./deno-cli.ts";

reloadScenario("Deno", "denoreload", () => (requireDeno(), DENO_SESHET));
