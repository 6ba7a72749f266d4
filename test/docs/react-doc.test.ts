/**
 * docs/react.md shows examples/react's files (with package imports): each titled block is the file
 * of that name, whole, and every titled block is one of them. test/examples runs the app.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../support/cli.js";
import { asPublished, titledBlocks } from "../support/published.js";

const EXAMPLE = join(projectRoot, "examples/react");
const FILES = ["upgate.config.ts", "src/upgate.ts", "src/RouteUploader.tsx", "src/ResumeOffers.tsx"];

describe("docs/react.md's code blocks are the example's files", async () => {
  const blocks = titledBlocks(await readFile(join(projectRoot, "docs/react.md"), "utf8"));

  it.each(FILES)("%s", async (name) => {
    const file = join(EXAMPLE, name);
    expect(blocks.get(name), `update the ${name} block in docs/react.md`).toEqual([
      asPublished(await readFile(file, "utf8"), file),
    ]);
  });

  it("has no other titled block", () => {
    expect([...blocks.keys()].sort()).toEqual([...FILES].sort());
  });
});
