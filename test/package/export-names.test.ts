import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportNames } from "./export-names.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "upgate-export-names-"));
  const files: Record<string, string> = {
    "a.ts": [
      "export const one = 1;",
      "export async function two() {}",
      "export class Three {}",
      "export interface Four {",
      "  x: number;",
      "}",
      "export type Five =",
      '  | "a"',
      '  | "b";',
      "export enum Six {",
      "  A,",
      "}",
      "const hidden = 7;",
      "function alsoHidden() {}",
      "export { hidden as seven, alsoHidden };",
    ].join("\n"),
    "b.ts": "export interface Bee {\n  b: true;\n}\nexport const bee = 1;\nexport default bee;\n",
    "c.ts": "export type Sea = string;\nexport function sea() {}\n",
    "index.ts": [
      "/** An entry. */",
      "export {",
      "  one,",
      "  // a comment",
      "  type Three,",
      "  Four as Fourth,",
      '} from "./a.js";',
      'export * from "./b.js";',
      'export type * from "./c.js";',
      'export * as letters from "./a.js";',
      'import { seven } from "./a.js";',
      "export { seven };",
    ].join("\n"),
    "bad.ts": "export const { destructured } = { destructured: 1 };\n",
    "missing.ts": 'export { nothing } from "./a.js";\n',
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const kinds = (file: string) => Object.fromEntries(exportNames(join(dir, file)));

describe("exportNames", () => {
  it("reads declarations, local export lists and their kinds", () => {
    expect(kinds("a.ts")).toEqual({
      one: { value: true, type: false },
      two: { value: true, type: false },
      Three: { value: true, type: true },
      Four: { value: false, type: true },
      Five: { value: false, type: true },
      Six: { value: true, type: true },
      seven: { value: true, type: false },
      alsoHidden: { value: true, type: false },
    });
  });

  it("follows re-exports: lists, renames, type-only specifiers, export * (not default), export type *, namespaces, imports", () => {
    expect(kinds("index.ts")).toEqual({
      one: { value: true, type: false },
      Three: { value: false, type: true },
      Fourth: { value: false, type: true },
      Bee: { value: false, type: true },
      bee: { value: true, type: false },
      Sea: { value: false, type: true },
      sea: { value: false, type: true },
      letters: { value: true, type: true },
      seven: { value: true, type: false },
    });
  });

  it("throws on a statement it cannot read, and on a name the module does not export", () => {
    expect(() => exportNames(join(dir, "bad.ts"))).toThrow(/unrecognised export statement in .*bad\.ts/);
    expect(() => exportNames(join(dir, "missing.ts"))).toThrow(/"nothing" is not exported/);
  });
});
