/**
 * What upgate/uppy adds to a browser bundle over upgate/client: each bundled from source with
 * esbuild (minified, @uppy/core external, as an app that has Uppy anyway), gzipped. The figures
 * are printed; the plugin stays small (under 3 KB gzipped) and bundles nothing but client, core
 * and itself.
 */
import { expect, it } from "vitest";
import { layerCost } from "../support/ui-layer.js";

const BUDGET_GZ = 3 * 1024;

it("upgate/uppy adds at most 3 KB gzipped over upgate/client, and bundles nothing but client, core and itself", async () => {
  const { addedGz, foreignInputs } = await layerCost("uppy", ["@uppy/core"], BUDGET_GZ);
  expect(foreignInputs).toEqual([]);
  expect(addedGz).toBeGreaterThan(0);
  expect(addedGz).toBeLessThanOrEqual(BUDGET_GZ);
});
