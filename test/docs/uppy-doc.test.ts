/**
 * docs/uppy.md shows examples/uppy's files (with package imports): each titled block is the file
 * of that name, whole, and every titled block is one of them. test/examples runs the app. Every
 * runtime export of upgate/uppy is named in the page.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Loaded by a computed path: its types pull in Preact's, which bring the DOM lib into this Node project
// (src/uppy is type-checked by tsconfig.web.json).
const uppy: Record<string, unknown> = await import(["../../src/uppy", "index.js"].join("/"));

import { projectRoot } from "../support/cli.js";
import { asPublished, titledBlocks } from "../support/published.js";

const EXAMPLE = join(projectRoot, "examples/uppy");
const FILES = ["upgate.config.ts", "src/uploader.ts", "src/main.ts"];

describe("docs/uppy.md's code blocks are the example's files", async () => {
  const markdown = await readFile(join(projectRoot, "docs/uppy.md"), "utf8");
  const blocks = titledBlocks(markdown);

  it.each(FILES)("%s", async (name) => {
    const file = join(EXAMPLE, name);
    expect(blocks.get(name), `update the ${name} block in docs/uppy.md`).toEqual([
      asPublished(await readFile(file, "utf8"), file),
    ]);
  });

  it("has no other titled block", () => {
    expect([...blocks.keys()].sort()).toEqual([...FILES].sort());
  });

  it("names every runtime export of upgate/uppy", () => {
    const exports = Object.keys(uppy);
    expect(exports.sort()).toEqual(["Upgate", "mergeRestrictions", "routeRestrictions"]);
    expect(exports.filter((name) => !markdown.includes(`\`${name}`))).toEqual([]);
  });
});
