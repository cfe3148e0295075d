// The one validator for module names and task `func`s.
import { describe, expect, test } from "bun:test";
import { FUNC_REF_MAX, functionPathProblem, moduleNameProblem, parseFuncRef } from "../../src/config/func-ref.ts";

describe("func references", () => {
  test("module:function and the dotted module:class.class.function parse into module and path", () => {
    expect(parseFuncRef("core:say")).toEqual({ module: "core", path: ["say"] });
    expect(parseFuncRef("news:digest.weekly")).toEqual({ module: "news", path: ["digest", "weekly"] });
    expect(parseFuncRef("my-plugin:A.B.$run_2")).toEqual({ module: "my-plugin", path: ["A", "B", "$run_2"] });
  });

  test("anything else is refused with a message naming the expected form", () => {
    for (const bad of ["say", "core:", ":say", "core:say.", "core:.say", "core:a..b", "core:1st", "co re:say", "core:say now", "core:a:b", "1core:say"]) {
      expect(parseFuncRef(bad)).toMatch(/^must be 'module:function' or 'module:object.function'/);
    }
    expect(parseFuncRef(`m:${"a".repeat(FUNC_REF_MAX)}`)).toBe(`is longer than ${FUNC_REF_MAX} characters`);
  });

  test("a path never names an object's machinery", () => {
    for (const bad of ["m:__proto__.x", "m:a.constructor", "m:A.prototype.run"]) expect(typeof parseFuncRef(bad)).toBe("string");
    expect(functionPathProblem("a.constructor")).toBe("'constructor' cannot be part of a function name");
  });

  test("module names: a word starting with a letter, at most 64 characters", () => {
    expect(moduleNameProblem("remind")).toBeUndefined();
    expect(moduleNameProblem("my_plugin-2")).toBeUndefined();
    expect(moduleNameProblem("2fast")).toMatch(/must be a word/);
    expect(moduleNameProblem("a.b")).toMatch(/must be a word/);
    expect(moduleNameProblem("a".repeat(65))).toMatch(/longer than 64/);
  });
});
