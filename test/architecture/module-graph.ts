/**
 * The import graph of src/: every non-test source file and the files its relative imports and
 * re-exports name (`import type` included: a type-only cycle still ties two modules together).
 * Dynamic `import()` is left out: it is how optional parts are loaded lazily.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export type Graph = Map<string, string[]>;

/** Paths are relative to `root` (the project), with `/`. */
export function importGraph(root: string, dir = "src"): Graph {
  const graph: Graph = new Map();
  for (const file of sourceFiles(join(root, dir))) {
    const from = relative(root, file);
    graph.set(
      from,
      relativeImports(readFileSync(file, "utf8")).map((spec) => resolveImport(root, from, spec)),
    );
  }
  return graph;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** The specifiers of static `import … from "./x"`, `import "./x"` and `export … from "./x"`. */
export function relativeImports(source: string): string[] {
  const found: string[] = [];
  const statement = /^(?:(?:import|export)\b[^;"'`]*?\bfrom|import)\s*["'](\.{1,2}\/[^"']+)["']/gm;
  for (const m of source.matchAll(statement)) found.push(m[1]!);
  return found;
}

function resolveImport(root: string, from: string, specifier: string): string {
  const base = join(dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, ".ts"), base.replace(/\.js$/, ".tsx"), base]) {
    if (existsSync(join(root, candidate))) return candidate.split("\\").join("/");
  }
  throw new Error(`${from}: cannot resolve the import "${specifier}"`);
}

/** The strongly connected components with more than one file (or a file importing itself): the cycles. */
export function cycles(graph: Graph): string[][] {
  // Tarjan's algorithm, iterative so a deep graph cannot overflow the stack.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = (graph.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) found.push(component.sort());
      }
    }
  }
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** One shortest cycle through `start` inside `component`, as a readable chain `a -> b -> a`. */
export function cycleThrough(graph: Graph, component: string[], start: string): string {
  const inside = new Set(component);
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const to of graph.get(node) ?? []) {
      if (!inside.has(to)) continue;
      if (to === start) {
        const chain = [start];
        for (let at = node; at !== start; at = previous.get(at)!) chain.splice(1, 0, at);
        return [...chain, start].join(" -> ");
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return component.join(", ");
}
