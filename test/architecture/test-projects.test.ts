/**
 * Every test file runs in exactly one vitest project (vitest.config.ts), so `npm test` runs each
 * once and `npm run test:<project>` runs a real subset; and no file of the unit project, which
 * shares its module graph between files, mocks a module.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, matchesGlob, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECTS } from "../../vitest.config.js";
import { projectRoot } from "../support/cli.js";

const testFiles = ["src", "test"].flatMap((dir) =>
  readdirSync(join(projectRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.test\.tsx?$/.test(e.name))
    .map((e) => relative(projectRoot, join(e.parentPath, e.name)).split("\\").join("/")),
);

const projectsOf = (file: string) =>
  Object.entries(PROJECTS)
    .filter(
      ([, p]) => p.include.some((g) => matchesGlob(file, g)) && !p.exclude.some((g) => matchesGlob(file, g)),
    )
    .map(([name]) => name);

describe("the vitest projects", () => {
  it("take every test file exactly once", () => {
    expect(testFiles.length).toBeGreaterThan(200);
    const wrong = testFiles
      .map((file) => ({ file, projects: projectsOf(file) }))
      .filter((f) => f.projects.length !== 1);
    expect(wrong).toEqual([]);
  });

  it("run no module mock in the shared module graph of unit (isolate: false)", () => {
    const mocking = testFiles.filter(
      (file) =>
        projectsOf(file)[0] === "unit" &&
        /\bvi\.(mock|doMock|unmock|resetModules)\(/.test(readFileSync(join(projectRoot, file), "utf8")),
    );
    expect(mocking, "list these in UNIT_ISOLATED in vitest.config.ts").toEqual([]);
  });

  it("put the tests beside the sources in unit, and the Ceph RGW and fault suites in system", () => {
    expect(projectsOf("src/core/errors.test.ts")).toEqual(["unit"]);
    expect(projectsOf("src/store/backend/fs/blobs.test.ts")).toEqual(["unit-isolated"]);
    expect(projectsOf("src/cli/dev-stack.test.ts")).toEqual(["integration"]);
    expect(projectsOf("test/rgw/flow.test.ts")).toEqual(["system"]);
    expect(projectsOf("test/faults/gateway-kill.test.ts")).toEqual(["system"]);
    expect(projectsOf("test/big-bodies/single-put.test.ts")).toEqual(["system"]);
    expect(projectsOf("test/soak/stats.test.ts")).toEqual(["unit"]);
    expect(projectsOf("test/contract/memory.test.ts")).toEqual(["conformance"]);
    expect(projectsOf("test/a-new-folder/x.test.ts")).toEqual(["integration"]);
  });
});
