/**
 * The shape of src/: no import cycles (between files, or between folders neither of which is
 * inside the other), and no module importing a public entry point (the files package.json's
 * `exports` point at) instead of the module that defines what it needs; only the CLI, which
 * composes the modules as an application would, uses the entry points.
 */
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../support/cli.js";
import { KNOWN_FILE_CYCLES, KNOWN_FOLDER_CYCLES } from "./known-cycles.js";
import { cycles, cycleThrough, type Graph, importGraph } from "./module-graph.js";

const files = importGraph(projectRoot);

/** Folder -> the folders its files import, leaving out imports between a folder and its own subfolders. */
function folderGraph(graph: Graph): Graph {
  const nested = (a: string, b: string) => a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
  const folders: Graph = new Map();
  for (const [file, imports] of graph) {
    const from = posix.dirname(file);
    const to = folders.get(from) ?? [];
    folders.set(from, to);
    for (const target of imports.map((i) => posix.dirname(i))) {
      if (target !== from && !nested(from, target) && !to.includes(target)) to.push(target);
    }
  }
  return folders;
}

/** The cycles no known entry covers, and the known entries that cover no cycle any more. */
function compare(graph: Graph, known: string[][]): { unknown: string[]; gone: string[] } {
  const found = cycles(graph);
  const covers = (entry: string[], cycle: string[]) => cycle.every((node) => entry.includes(node));
  return {
    unknown: found
      .filter((cycle) => !known.some((entry) => covers(entry, cycle)))
      .map((cycle) => `${cycle.join(", ")}\n  e.g. ${cycleThrough(graph, cycle, cycle[0]!)}`),
    gone: known
      .filter((entry) => !found.some((cycle) => covers(entry, cycle)))
      .map(
        (entry) => `${entry.join(", ")}: no longer a cycle, remove it from test/architecture/known-cycles.ts`,
      ),
  };
}

describe("src/ imports", () => {
  it("read every source file", () => {
    // A sanity floor: the graph reader found the sources and their imports.
    expect(files.size).toBeGreaterThan(100);
    expect(files.get("src/server/index.ts")).toContain("src/server/gateway.ts");
  });

  it("have no cycle between files (but the known ones)", () => {
    expect(compare(files, KNOWN_FILE_CYCLES)).toEqual({ unknown: [], gone: [] });
  });

  it("have no cycle between folders (but the known ones)", () => {
    expect(compare(folderGraph(files), KNOWN_FOLDER_CYCLES)).toEqual({ unknown: [], gone: [] });
  });

  // The CLI composes the public modules; the React and Uppy layers are built on upgate/client as an
  // app would be, so they may import its entry point (and nothing else public).
  const composers: Record<string, string[]> = {
    "src/cli/": [],
    "src/react/": ["src/client/index"],
    "src/uppy/": ["src/client/index"],
  };

  it("reach a public entry point only from the CLI, or upgate/client from the UI layers", () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as {
      exports: Record<string, string | Record<string, string>>;
    };
    const entries = new Set(
      Object.values(pkg.exports)
        .map((target) => (typeof target === "string" ? target : (target.default ?? target.import ?? "")))
        .filter((js) => js.startsWith("./dist/") && js.endsWith(".js"))
        .map((js) => `src/${js.slice("./dist/".length, -".js".length)}`),
    );
    const through: string[] = [];
    for (const [file, imports] of files) {
      const composer = Object.keys(composers).find((folder) => file.startsWith(folder));
      if (composer === "src/cli/") continue;
      for (const target of imports) {
        const entry = target.replace(/\.tsx?$/, "");
        if (composer && composers[composer]!.includes(entry)) continue;
        if (entries.has(entry)) through.push(`${file} -> ${target}`);
      }
    }
    expect(entries.size).toBeGreaterThanOrEqual(6);
    expect(through).toEqual([]);
  });
});
