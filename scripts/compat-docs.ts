/**
 * npm run docs:compat
 *
 * Renders the storage compatibility matrix again from the last measured run
 * (test/rgw/compat/measured.json, written by npm run test:rgw) and test/rgw/compat/known-stores.json,
 * into docs/production.md, docs/security.md and docs/reliability.md. Run it after editing
 * known-stores.json; measuring again needs Ceph RGW (npm run test:rgw).
 */
import { readMeasured, renderCompatibilityDocs } from "../test/rgw/compat/matrix.js";

renderCompatibilityDocs(readMeasured());
console.log(
  "rendered the compatibility matrix into docs/production.md, docs/security.md and docs/reliability.md",
);
