// irc-framework's dependencies as the binary and `bun src/cli.ts` load them
// (src/platform/lean-modules.ts): each lean lodash function behaves as lodash
// does on the inputs irc-framework gives it, the lean iconv decodes as
// iconv-lite does, the lean grapheme splitter splits as grapheme-splitter
// does, and neither the bundle nor a source run loads lodash's internals,
// iconv-lite, socks, grapheme-splitter's tables or a browser polyfill.
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import realIconv from "iconv-lite";
import * as lean from "../../src/platform/lean-lodash.ts";
import * as leanIconv from "../../src/platform/lean-iconv.ts";
import LeanGraphemeSplitter from "../../src/platform/lean-grapheme.ts";
import RealGraphemeSplitter from "grapheme-splitter";
import { LEAN_LODASH, leanModulesPlugin } from "../../src/platform/lean-modules.ts";
import { ROOT } from "../support/seshet-process.ts";

type AnyFn = (...a: any[]) => any;
const lodash = (name: string) => require(`lodash/${name}`) as AnyFn;

/** [function, arguments] cases covering the shapes irc-framework passes (node_modules/irc-framework/src). */
const CASES: [string, () => unknown[]][] = [
  ["extend", () => [{ a: 1 }, { type: "privmsg", b: 2 }, null, Object.create({ inherited: 3 })]],
  ["extend", () => [{ a: 1 }, { a: undefined }]],
  ["find", () => [[{ nick: "a" }, { nick: "bob", x: 1 }], { nick: "bob" }]],
  ["find", () => [[{ mode: "o", symbol: "@" }], { mode: "v" }]],
  ["find", () => [["@", "+", "%"], (p: string) => p === "+"]],
  ["find", () => [{ x: { n: 1 }, y: { n: 2 } }, (v: { n: number }) => v.n === 2]],
  ["find", () => [undefined, { nick: "a" }]],
  ["find", () => [[1, 2, 3, 4], (v: number) => v > 1, 2]],
  ["find", () => [[{ a: { b: 1, c: 2 } }], { a: { b: 1 } }]],
  ["filter", () => [[{ nick: "a" }, { nick: "b" }], (u: { nick: string }) => u.nick !== "a"]],
  ["filter", () => [null, () => true]],
  ["map", () => [[{ mode: "o" }, { mode: "v" }], "mode"]],
  ["map", () => [["a!b@c", "d!e@f"], (m: string, i: number) => `${i}:${m.split("!")[0]}`]],
  ["map", () => [{ a: 1, b: 2 }, (v: number, k: string) => k + v]],
  ["map", () => [undefined, "x"]],
  ["reduce", () => [["@", "+"], (list: string[], p: string) => [...list, p + "!"], []]],
  ["reduce", () => [[1, 2, 3], (a: number, b: number) => a + b]],
  ["reduce", () => [{ a: 1, b: 2 }, (acc: string, v: number, k: string) => acc + k + v, ""]],
  ["uniq", () => [["a", "b", "a", NaN, NaN, 0, -0]]],
  ["uniq", () => [null]],
  ["intersection", () => [["sasl", "multi-prefix", "away-notify", "sasl"], ["multi-prefix", "sasl", "extended-join"]]],
  ["intersection", () => [["a"], null]],
  ["difference", () => [["a", "b", "c", "b"], ["b"], ["c"]]],
  ["difference", () => [null, ["a"]]],
  ["clone", () => [["#chan", "text", ":trailing"]]],
  ["clone", () => [{ time: "2026", account: "x" }]],
  ["clone", () => [undefined]],
  ["clone", () => [/(a)/.exec("xa")]],
];

describe("lean lodash behaves as lodash", () => {
  for (const [name, args] of CASES) {
    test(`${name}(${JSON.stringify(args(), (_, v) => (typeof v === "function" ? "fn" : v)) ?? "undefined"})`, () => {
      const expected = lodash(name)(...args());
      const actual = (lean as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args());
      expect(actual).toEqual(expected);
      if (name === "clone" && expected && typeof expected === "object") expect(Object.keys(actual as object)).toEqual(Object.keys(expected));
    });
  }

  test("each: arrays, arguments, objects, early exit with false, and the collection returned", () => {
    for (const impl of [lodash("each"), lean.each as (...a: unknown[]) => unknown]) {
      const seen: unknown[] = [];
      const args = (function (..._a: unknown[]) {
        return arguments;
      })("x", "y");
      const arr = [1, 2, 3];
      expect(impl(arr, (v: number, i: number) => (seen.push([v, i]), v < 2))).toBe(arr);
      impl(args, (v: string) => void seen.push(v));
      impl({ PRIVMSG: 1, NOTICE: 2 }, (v: number, k: string) => void seen.push(k + v));
      impl(null, () => seen.push("never"));
      expect(seen).toEqual([[1, 0], [2, 1], "x", "y", "PRIVMSG1", "NOTICE2"]);
    }
  });

  test("pull removes every occurrence in place; bind and partial keep this and the leading arguments", () => {
    const a = ["o", "v", "o", "h"];
    const b = ["o", "v", "o", "h"];
    expect(lean.pull(a, "o", "h")).toBe(a);
    lodash("pull")(b, "o", "h");
    expect(a).toEqual(b);
    const obj = { n: 2, f(this: { n: number }, x: number, y: number) { return this.n * x + y; } };
    expect(lean.bind(obj.f as never, obj, 10)(1)).toBe(lodash("bind")(obj.f, obj, 10)(1) as number);
    const say = (target: string, text: string) => `${target}:${text}`;
    expect(lean.partial(say as never, "#c")("hi")).toBe(lodash("partial")(say, "#c")("hi") as string);
  });

  test("defer calls later with the arguments", async () => {
    const got = await new Promise((resolve) => {
      lean.defer(resolve as never, { ok: 1 });
    });
    expect(got).toEqual({ ok: 1 });
  });
});

describe("lean iconv", () => {
  const samples = [Buffer.from("PRIVMSG #c :héllo ☃ 🎉\r\n"), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0xc3]), Buffer.from([0xe2, 0x82])];
  test("decodes UTF-8, valid or not, exactly as iconv-lite", () => {
    for (const s of samples) expect(leanIconv.decode(s, "utf8")).toBe(realIconv.decode(s, "utf8"));
    expect(leanIconv.decode(samples[1]!, "utf8")).toBe("caf\uFFFD \uFFFD\uFFFD");
  });
  test("encodes as iconv-lite, and refuses an encoding it does not carry (irc-framework then keeps UTF-8)", () => {
    for (const enc of ["utf8", "latin1"]) expect(leanIconv.encode("TEST\r\ntest é", enc)).toEqual(realIconv.encode("TEST\r\ntest é", enc));
    expect(() => leanIconv.encode("x", "shift_jis")).toThrow(/shift_jis.*not supported/);
  });
});

describe("lean grapheme splitter", () => {
  // What irc-framework's linebreak.js cuts long words with: combining marks, emoji with skin tones and ZWJ, flags, Hangul, CRLF.
  const samples = ["héllo wörld", "e\u0301\u0301x", "👍🏽👨‍👩‍👧‍👦🇩🇪🇫🇷", "한국어 ㅎㅏㄴ", "a\r\nb", "", "x".repeat(600)];
  test("splits, iterates and counts as grapheme-splitter does", () => {
    const real = new RealGraphemeSplitter();
    const lean = new LeanGraphemeSplitter();
    for (const s of samples) {
      expect(lean.splitGraphemes(s)).toEqual(real.splitGraphemes(s));
      expect([...lean.iterateGraphemes(s)]).toEqual([...real.iterateGraphemes(s)]);
      expect(lean.countGraphemes(s)).toBe(real.countGraphemes(s));
    }
  });
});

const FORBIDDEN = /[\\/]node_modules[\\/](core-js|regenerator-runtime|buffer|util|stream-browserify|iconv-lite[\\/]encodings|socks[\\/]build[\\/](client|common)|ip-address|smart-buffer|lodash[\\/]_)/;

describe("what gets loaded", () => {
  test("the bundle holds only the lodash files irc-framework names, and no iconv-lite tables, socks or polyfill", async () => {
    const r = await Bun.build({ entrypoints: [join(ROOT, "src/cli.ts")], target: "bun", plugins: [leanModulesPlugin], metafile: true } as Bun.BuildConfig);
    expect(r.success).toBe(true);
    const inputs = Object.keys((r as unknown as { metafile: { inputs: Record<string, unknown> } }).metafile.inputs);
    expect(inputs.some((p) => p.includes("irc-framework"))).toBe(true);
    expect(inputs.filter((p) => FORBIDDEN.test(p))).toEqual([]);
    expect(inputs.filter((p) => /node_modules[\\/]lodash[\\/]/.test(p)).length).toBe(LEAN_LODASH.length);
    // grapheme-splitter's file is replaced in place (its path stays an input): its code must not be in the output.
    const text = (await Promise.all(r.outputs.map((o) => o.text()))).join("");
    expect(text).toContain("Intl.Segmenter");
    expect(text).not.toContain("getGraphemeBreakProperty");
  });

  test("from source, once useLeanModules() ran, importing irc-framework loads none of them either", () => {
    const script = `
      const { useLeanModules } = await import(${JSON.stringify(join(ROOT, "src/platform/lean-modules.ts"))});
      useLeanModules();
      const IRC = (await import("irc-framework")).default;
      new IRC.Client();
      console.log(JSON.stringify(Object.keys(require.cache)));`;
    const r = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", timeout: 20_000 });
    expect(r.stderr).toBe("");
    const loaded = JSON.parse(r.stdout.trim().split("\n").pop()!) as string[];
    expect(loaded.some((p) => p.includes("irc-framework"))).toBe(true);
    expect(loaded.filter((p) => FORBIDDEN.test(p))).toEqual([]);
    expect(loaded.some((p) => p.endsWith("lean-lodash.ts"))).toBe(true);
    expect(loaded.some((p) => p.endsWith("lean-grapheme.ts"))).toBe(true);
  });
});
