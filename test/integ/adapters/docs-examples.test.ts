import { readdir, readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const examplesDir = resolve(root, "docs/examples");
const page = resolve(root, "docs/server-frameworks.md");

/** The examples import the sources by path; the docs show the package's public entry points. */
const PUBLIC_IMPORTS: Record<string, string> = {
  "../../src/server/node.js": "upgate/node",
  "../../src/server/index.js": "upgate/server",
  "../../src/server/webhook/index.js": "upgate/server",
};

function asPublished(source: string): string {
  return source.replace(/from "([^"]+)"/g, (whole, specifier: string) => {
    const published = PUBLIC_IMPORTS[specifier];
    if (published) return `from "${published}"`;
    if (specifier.startsWith("../")) throw new Error(`no public entry point for ${specifier}`);
    return whole;
  });
}

/** Code blocks written as ```ts title="name.ts", by title. */
function titledBlocks(markdown: string): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  for (const match of markdown.matchAll(/^```ts title="([^"]+)"\n([\s\S]*?)^```$/gm)) {
    const [, title, code] = match as unknown as [string, string, string];
    blocks.set(title, [...(blocks.get(title) ?? []), code]);
  }
  return blocks;
}

describe("docs/server-frameworks.md shows the tested examples verbatim", async () => {
  const markdown = await readFile(page, "utf8");
  const blocks = titledBlocks(markdown);
  const files = (await readdir(examplesDir)).filter((name) => name.endsWith(".ts")).sort();

  it("has a titled block for each example file and nothing else", () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
    expect([...blocks.keys()].sort()).toEqual(files);
    expect(markdown.match(/^```(ts|typescript|js)\b(?! title=)/gm) ?? []).toEqual([]);
  });

  it.each(files)("%s matches its file, with package imports", async (name) => {
    const expected = asPublished(await readFile(resolve(examplesDir, name), "utf8"));
    expect(blocks.get(name), `update the ${name} block in docs/server-frameworks.md`).toEqual([expected]);
  });
});
