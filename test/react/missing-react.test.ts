/**
 * react is an optional peer dependency: importing upgate/react without it fails with one line
 * naming the package. Node runs the sources with react hidden (test/support/hide-packages.mjs makes
 * Node's own resolver fail for it); the installed tarball without react is tested in test/package.
 */
import { expect, it } from "vitest";
import { probeWithHidden } from "../support/ui-layer.js";

const PROBE = `try { await import("./src/react/index.ts"); console.log("loaded"); } catch (e) { console.log(e.message); }`;

it("without react, importing upgate/react fails with one line naming the package", async () => {
  expect(await probeWithHidden(PROBE, ["react"])).toBe("upgate/react needs react: npm install react@19\n");
});

it("with react, it loads", async () => {
  expect(await probeWithHidden(PROBE, [])).toBe("loaded\n");
});
