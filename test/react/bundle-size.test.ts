/**
 * What upgate/react adds to a browser bundle over upgate/client: each bundled from source with
 * esbuild (minified, react external, as an app that has react anyway), gzipped. The budget is
 * 5 KB; the figures are printed. test/package measures the same from the packed tarball.
 */
import { expect, it } from "vitest";
import { layerCost } from "../support/ui-layer.js";

const BUDGET_GZ = 5 * 1024;

it("upgate/react adds at most 5 KB gzipped over upgate/client, and bundles nothing but client, core and itself", async () => {
  const { addedGz, foreignInputs } = await layerCost("react", ["react", "react-dom"], BUDGET_GZ);
  expect(foreignInputs).toEqual([]);
  expect(addedGz).toBeGreaterThan(0);
  expect(addedGz).toBeLessThanOrEqual(BUDGET_GZ);
});
