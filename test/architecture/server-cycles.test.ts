import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cycles, moduleGraph } from "./import-cycles.js";

const SERVER = fileURLToPath(new URL("../../src/server", import.meta.url));

describe("src/server imports", () => {
  it("has no cycle between its folders (or the files beside gateway.ts)", () => {
    expect(cycles(moduleGraph(SERVER))).toEqual([]);
  });

  it("finds a cycle when there is one", () => {
    const graph = new Map([
      ["auth/", new Set(["config/"])],
      ["config/", new Set(["auth/", "ledger/"])],
      ["gateway.ts", new Set(["auth/"])],
    ]);
    expect(cycles(graph)).toEqual([["auth/", "config/"]]);
  });

  it("reads the graph at folder granularity, type-only imports included", () => {
    const graph = moduleGraph(SERVER);
    expect(graph.get("gateway.ts")).toContain("uploads/");
    expect(graph.get("handlers/")).toContain("context.ts");
  });
});
