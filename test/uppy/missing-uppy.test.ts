/**
 * @uppy/core is an optional peer dependency: importing upgate/uppy without it fails with one line
 * naming the package. Node runs the sources with @uppy/core hidden (test/support/hide-packages.mjs
 * makes Node's own resolver fail for it); the installed tarball is tested in test/package.
 */
import { expect, it } from "vitest";
import { probeWithHidden } from "../support/ui-layer.js";

const PROBE = `try { const m = await import("./src/uppy/index.ts"); console.log(typeof m.Upgate); } catch (e) { console.log(e.message); }`;

it("without @uppy/core, importing upgate/uppy fails with one line naming the package", async () => {
  expect(await probeWithHidden(PROBE, ["@uppy/core"])).toBe(
    "upgate/uppy needs @uppy/core: npm install @uppy/core@6\n",
  );
});

it("with @uppy/core, it loads", async () => {
  expect(await probeWithHidden(PROBE, [])).toBe("function\n");
});
