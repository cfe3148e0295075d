// `npm install` stays quiet and keeps working when npm blocks unapproved
// install scripts: every installed package with one is reviewed in
// package.json's allowScripts (Bun's and Deno's allowed, core-js's denied).
import { expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import pkg from "../../package.json" with { type: "json" };
import { ROOT } from "../support/seshet-process.ts";

test("no installed package has an install script that allowScripts does not decide", () => {
  const r = spawnSync("npm", ["install-scripts", "ls", "--json"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ allowScripts: [] });
});

test("the scripts that fetch Bun and Deno are allowed; core-js's donation message is not", () => {
  expect(pkg.allowScripts).toEqual({ bun: true, deno: true, "core-js": false });
});
