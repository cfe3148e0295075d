// The suite runner: lanes balanced by weight, and one summary added up from bun's.
import { expect, test } from "bun:test";
import { combinedSummary, lanesFor } from "./run-suite.ts";

test("the slowest files start first, each on the least loaded lane; every file runs once", () => {
  const files = ["test/a.test.ts", "test/integration/fleet.test.ts", "test/store/task-store.test.ts", "test/irc/irc-transport.test.ts", "test/b.test.ts"];
  const lanes = lanesFor(files, 3);
  expect(lanes).toEqual([
    ["test/store/task-store.test.ts"],
    ["test/irc/irc-transport.test.ts"],
    ["test/integration/fleet.test.ts", "test/a.test.ts", "test/b.test.ts"],
  ]);
  expect(lanesFor(files, 1)).toHaveLength(1);
  expect([...lanesFor(files, 1)[0]!].sort()).toEqual([...files].sort());
  expect(lanesFor(files, 10).length).toBe(5);
});

test("the summary adds up the lanes' counts and lists every failure", () => {
  const a = " 3 pass\n 1 skip\n 0 fail\n 7 expect() calls\nRan 4 tests across 2 files. [1.00s]\n";
  const b = "(fail) x > y [2ms]\n\n1 tests failed:\n(fail) x > y [2ms]\n\n 2 pass\n 0 skip\n 1 fail\n 5 expect() calls\nRan 3 tests across 1 file. [2.00s]\n";
  expect(combinedSummary([a, b], 2.5)).toEqual([
    "",
    "1 tests failed:",
    "(fail) x > y [2ms]",
    "",
    " 5 pass",
    " 1 skip",
    " 1 fail",
    " 12 expect() calls",
    "Ran 7 tests across 3 files. [2.50s]",
    "suite: 5 passed, 1 failed, 1 skipped",
  ]);
});
