import { describe, expect, test } from "bun:test";
import { childReader, encode, MAX_LINE_BYTES, streamLines, supervisorReader } from "../../src/supervisor/control-channel.ts";

describe("control channel", () => {
  test("messages survive being split across chunks", () => {
    const got: unknown[] = [];
    const read = supervisorReader((m) => got.push(m), () => {});
    const line = encode({ type: "synced", added: 1, changed: 2, retired: 3, errors: 0 });
    read(line.slice(0, 7));
    read(line.slice(7) + encode({ type: "synced", added: 0, changed: 0, retired: 0, errors: 1 }));
    expect(got).toEqual([
      { type: "synced", added: 1, changed: 2, retired: 3, errors: 0 },
      { type: "synced", added: 0, changed: 0, retired: 0, errors: 1 },
    ]);
  });

  test("anything else is reported as bad, never acted on", () => {
    const got: unknown[] = [];
    const bad: string[] = [];
    const read = supervisorReader((m) => got.push(m), (l) => bad.push(l));
    read('{"type":"synced"}\nnot json\n{"type":"rebuild"}\n{"type":"synced","added":"1","changed":0,"retired":0,"errors":0}\n');
    expect(got).toEqual([]);
    expect(bad).toHaveLength(4);
    const toChild: unknown[] = [];
    childReader((m) => toChild.push(m))('{"type":"stop","extra":1}\n{"type":"synced"}\n');
    expect(toChild).toEqual([{ type: "stop" }]);
  });

  test("a runaway line without newline is cut, memory stays bounded", () => {
    const lines: string[] = [];
    const read = streamLines((l) => lines.push(l), 10);
    read("x".repeat(25));
    expect(lines).toEqual(["x".repeat(10), "x".repeat(10)]);
    read("y\n");
    expect(lines.at(-1)).toBe("xxxxxy");
    expect(MAX_LINE_BYTES).toBeGreaterThanOrEqual(4096);
  });
});
