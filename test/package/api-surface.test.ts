/**
 * The public API, one snapshot per subpath export of package.json: the names a program gets at
 * runtime and the type names it can import. A change to either fails here with a diff of
 * test/package/api-surface/<subpath>.txt; when the change is meant, update the snapshots with
 * `npx vitest run test/package/api-surface.test.ts -u` and note it in CHANGELOG.md.
 * A new subpath in package.json gets a snapshot the first time this runs outside CI (CI=true
 * never writes one, so there it fails until the snapshot is committed).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../support/cli.js";
import { exportNames } from "./export-names.js";

interface Subpath {
  /** "upgate", "upgate/client", ... */
  specifier: string;
  /** The source file the export's JavaScript is built from. */
  source: string;
  /** The snapshot file. */
  snapshot: string;
}

function subpaths(): Subpath[] {
  const pkg = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as {
    name: string;
    exports: Record<string, string | Record<string, string>>;
  };
  const found: Subpath[] = [];
  for (const [key, target] of Object.entries(pkg.exports)) {
    const js = typeof target === "string" ? target : (target.default ?? target.import);
    if (!js?.endsWith(".js")) continue; // ./package.json
    const built = js.match(/^\.\/dist\/(.+)\.js$/);
    if (!built) throw new Error(`package.json exports["${key}"] is not a file in dist/: ${js}`);
    const candidates = [".ts", ".tsx"].map((ext) => join(projectRoot, "src", built[1]! + ext));
    const source = candidates.find((c) => existsSync(c));
    if (!source) throw new Error(`package.json exports["${key}"]: no source file ${candidates.join(" or ")}`);
    const specifier = key === "." ? pkg.name : `${pkg.name}/${key.slice(2)}`;
    const file = `${specifier.replace(/\//g, "-")}.txt`;
    found.push({ specifier, source, snapshot: join(projectRoot, "test/package/api-surface", file) });
  }
  return found;
}

describe("the public API", () => {
  it.each(subpaths().map((s) => [s.specifier, s] as const))(
    "%s exports what its snapshot lists",
    async (_, s) => {
      const names = exportNames(s.source);
      const values = [...names].filter(([, kind]) => kind.value).map(([name]) => name);
      const types = [...names].filter(([, kind]) => !kind.value).map(([name]) => name);
      // The statements read from the sources must agree with what the module really exports.
      const module = (await import(s.source)) as Record<string, unknown>;
      expect(sorted(values), "value exports read from the source vs the module's keys").toEqual(
        sorted(Object.keys(module)),
      );
      const relative = s.source.slice(projectRoot.length + 1);
      const text = [
        `# ${s.specifier} (${relative})`,
        "",
        `## Runtime exports (${values.length})`,
        "",
        ...sorted(values),
        "",
        `## Type exports (${types.length}; classes are listed above)`,
        "",
        ...sorted(types),
        "",
      ].join("\n");
      await expect(text).toMatchFileSnapshot(s.snapshot);
    },
  );
});

describe("the public API and the docs", () => {
  const pages = [
    "README.md",
    ...readdirSync(join(projectRoot, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`),
  ];
  const text = new Map(pages.map((p) => [p, readFileSync(join(projectRoot, p), "utf8")]));
  const exported = new Map(subpaths().map((s) => [s.specifier, exportNames(s.source)]));

  it("every name a page imports from a subpath is exported by it", () => {
    const missing: string[] = [];
    for (const [page, markdown] of text) {
      for (const m of markdown.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+"(upgate(?:\/[\w-]+)?)"/g)) {
        const names = exported.get(m[3]!);
        for (const specifier of m[2]!
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)) {
          const name = specifier.replace(/^type\s+/, "").split(/\s+as\s+/)[0]!;
          if (!names?.has(name)) missing.push(`${page}: ${name} from "${m[3]}"`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("every runtime export is named on a docs page (or the README)", () => {
    const all = [...text.values()].join("\n");
    const undocumented: string[] = [];
    for (const [specifier, names] of exported) {
      for (const [name, kind] of names) {
        if (kind.value && !new RegExp(`\\b${name}\\b`).test(all)) undocumented.push(`${specifier}: ${name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });
});

function sorted(names: string[]): string[] {
  return [...names].sort();
}
