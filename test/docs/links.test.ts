import { access, readdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../support/cli.js";

const docs = join(projectRoot, "docs");

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe("the docs", () => {
  it("index every page in docs/README.md, and the README links the index", async () => {
    const index = await readFile(join(docs, "README.md"), "utf8");
    const pages = (await readdir(docs)).filter((f) => f.endsWith(".md") && f !== "README.md");
    for (const page of pages) expect(index, page).toContain(`](${page})`);
    expect(await readFile(join(projectRoot, "README.md"), "utf8")).toContain("](docs/README.md)");
  });

  it("link only to files that exist", async () => {
    const files = [
      join(projectRoot, "README.md"),
      ...(await readdir(docs)).filter((f) => f.endsWith(".md")).map((f) => join(docs, f)),
    ];
    const broken: string[] = [];
    for (const file of files) {
      const text = await readFile(file, "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!) || target!.startsWith("#")) continue;
        const path = resolve(dirname(file), target!.split("#")[0]!);
        if (!(await exists(path))) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
