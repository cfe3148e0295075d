import { describe, expect, test } from "bun:test";
import { parse } from "smol-toml";
import { locateToml } from "../../src/config/toml-locate.ts";

/** Locates `text`, after checking it is valid TOML (the locator only ever sees valid TOML). */
function locate(text: string) {
  parse(text);
  return locateToml(text);
}

function at(text: string, path: string) {
  const loc = locate(text).get(path);
  if (!loc) throw new Error(`no location for ${path}`);
  return [loc.key.line, loc.key.col, loc.value.line, loc.value.col];
}

describe("locateToml", () => {
  test("top-level keys and values", () => {
    const text = 'nick = "seshet"\n  port=6667\n';
    expect(at(text, "nick")).toEqual([1, 1, 1, 8]);
    expect(at(text, "port")).toEqual([2, 3, 2, 8]);
  });

  test("strings holding = # [ ] and quotes do not confuse it", () => {
    const text = [
      'a = "x = 1 # not a comment [b]"  # real comment',
      "b = 'c:\\path [x] = # y'",
      'c = "esc \\" quote # = ]"',
      "[t]",
      "d = 2",
    ].join("\n");
    expect(at(text, "b")).toEqual([2, 1, 2, 5]);
    expect(at(text, "c")).toEqual([3, 1, 3, 5]);
    expect(at(text, "t")).toEqual([4, 1, 4, 1]);
    expect(at(text, "t.d")).toEqual([5, 1, 5, 5]);
    expect(locate(text).has("b.x")).toBe(false);
  });

  test("multi-line strings of both kinds, with quotes before the closing triple", () => {
    const text = [
      'a = """',
      "line = 1",
      "[not.a.table]",
      'two quotes ""',
      '"""',
      "b = '''",
      "# not a comment",
      "'''",
      'c = """ends with quotes"""""',
      "d = true",
    ].join("\n");
    expect(at(text, "a")).toEqual([1, 1, 1, 5]);
    expect(at(text, "b")).toEqual([6, 1, 6, 5]);
    expect(at(text, "c")).toEqual([9, 1, 9, 5]);
    expect(at(text, "d")).toEqual([10, 1, 10, 5]);
    const keys = [...locate(text).keys()];
    expect(keys).toEqual(["a", "b", "c", "d"]);
  });

  test("arrays of tables are numbered per array, and sub-tables follow the last entry", () => {
    const text = [
      "[[task]]",
      'name = "a"',
      "[[task]]",
      'name = "b"',
      "[task.rrule]",
      'freq = "daily"',
      "[[task]]",
      'name = "c"',
      "[task.rrule]",
      '  freq = "weekly"',
    ].join("\n");
    expect(at(text, "task.0")).toEqual([1, 1, 1, 1]);
    expect(at(text, "task.0.name")).toEqual([2, 1, 2, 8]);
    expect(at(text, "task.1.name")).toEqual([4, 1, 4, 8]);
    expect(at(text, "task.1.rrule")).toEqual([5, 1, 5, 1]);
    expect(at(text, "task.1.rrule.freq")).toEqual([6, 1, 6, 8]);
    expect(at(text, "task.2.rrule.freq")).toEqual([10, 3, 10, 10]);
  });

  test("nested arrays of tables restart their count under each parent entry", () => {
    const text = ["[[a]]", "[[a.b]]", "x = 1", "[[a.b]]", "x = 2", "[[a]]", "[[a.b]]", "x = 3"].join("\n");
    expect(at(text, "a.0.b.1.x")).toEqual([5, 1, 5, 5]);
    expect(at(text, "a.1.b.0.x")).toEqual([8, 1, 8, 5]);
  });

  test("dotted keys, quoted keys and spaces around dots", () => {
    const text = ['server . host = "h"', 'rrule."freq" = "daily"', "'odd key' = 1"].join("\n");
    expect(at(text, "server.host")).toEqual([1, 10, 1, 17]);
    expect(at(text, "server")).toEqual([1, 1, 1, 1]);
    expect(at(text, "rrule.freq")).toEqual([2, 7, 2, 16]);
    expect(at(text, "odd key")).toEqual([3, 1, 3, 13]);
  });

  test("inline tables, nested, and arrays with their elements", () => {
    const text = [
      "x = { a = 1, b = { c = 2 }, d = [1, { e = 3 }] }",
      "list = [",
      '  "#one",  # comment, with ] and ,',
      '  "#two",',
      "]",
      "pw = { env = \"X\" }",
    ].join("\n");
    expect(at(text, "x")).toEqual([1, 1, 1, 5]);
    expect(at(text, "x.a")).toEqual([1, 7, 1, 11]);
    expect(at(text, "x.b.c")).toEqual([1, 20, 1, 24]);
    expect(at(text, "x.d.0")).toEqual([1, 34, 1, 34]);
    expect(at(text, "x.d.1.e")).toEqual([1, 39, 1, 43]);
    expect(at(text, "list.0")).toEqual([3, 3, 3, 3]);
    expect(at(text, "list.1")).toEqual([4, 3, 4, 3]);
    expect(at(text, "pw.env")).toEqual([6, 8, 6, 14]);
  });

  test("dates with a space and CRLF line ends", () => {
    const text = "a = 1979-05-27 07:32:00 # c\r\nb = 2\r\n[t]\r\nc = 3";
    expect(at(text, "b")).toEqual([2, 1, 2, 5]);
    expect(at(text, "t.c")).toEqual([4, 1, 4, 5]);
  });

  test("an inline array of tables counts its elements", () => {
    const text = 'task = [\n  { name = "a" },\n  { name = "b" },\n]';
    expect(at(text, "task.1")).toEqual([3, 3, 3, 3]);
    expect(at(text, "task.1.name")).toEqual([3, 5, 3, 12]);
  });
});
