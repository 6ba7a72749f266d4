import { describe, expect, it } from "vitest";
import { cycles, cycleThrough, type Graph, relativeImports } from "./module-graph.js";

describe("relativeImports", () => {
  it("finds static imports and re-exports, single- or multi-line, type-only too, and nothing else", () => {
    const source = [
      'import { a } from "./a.js";',
      'import type { B } from "../b.js";',
      "import {",
      "  c,",
      "  d,",
      '} from "./c.js";',
      'import "./side-effect.js";',
      'export * from "./e.js";',
      'export { f } from "./f.js";',
      'import { readFile } from "node:fs";',
      'const lazy = () => import("./lazy.js");',
      'export const path = "./not-an-import.js";',
      '  const text = `import x from "./in-a-template.js"`;',
    ].join("\n");
    expect(relativeImports(source)).toEqual([
      "./a.js",
      "../b.js",
      "./c.js",
      "./side-effect.js",
      "./e.js",
      "./f.js",
    ]);
  });
});

describe("cycles", () => {
  const graph: Graph = new Map([
    ["a", ["b"]],
    ["b", ["c"]],
    ["c", ["a", "d"]],
    ["d", []],
    ["e", ["e"]],
    ["f", ["d"]],
  ]);

  it("lists each strongly connected component of more than one node, and self-imports", () => {
    expect(cycles(graph)).toEqual([["a", "b", "c"], ["e"]]);
    expect(
      cycles(
        new Map([
          ["x", ["y"]],
          ["y", []],
        ]),
      ),
    ).toEqual([]);
  });

  it("shows one cycle as a chain", () => {
    expect(cycleThrough(graph, ["a", "b", "c"], "b")).toBe("b -> c -> a -> b");
  });
});
