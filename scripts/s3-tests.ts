/**
 * `npm run test:s3-tests`: runs the ceph/s3-tests selection (test/peer/s3-tests-selection.txt) against
 * the embedded store and prints each test that did not pass, then "selected N, passed P, excluded E".
 * The same run is a vitest file (test/peer/s3-tests.test.ts); this script is for looking closer:
 *
 *   npm run test:s3-tests                      the selection, fs backend
 *   npm run test:s3-tests -- --backend memory  the selection, memory backend
 *   npm run test:s3-tests -- --group acl       an excluded group instead (exits 0 whatever fails)
 *   npm run test:s3-tests -- --write-docs      also writes the counts into docs/store.md
 */
import { parseArgs } from "node:util";
import {
  type BackendKind,
  collectSuite,
  missingPrerequisite,
  runSuite,
  startPeerStore,
} from "../test/peer/s3-tests/harness.js";
import { loadSelection, selectionTable } from "../test/peer/s3-tests/selection.js";
import { updateSection } from "./doc-sections.js";

const { values } = parseArgs({
  options: {
    backend: { type: "string", default: "fs" },
    group: { type: "string" },
    "write-docs": { type: "boolean", default: false },
  },
});
const backend = values.backend as BackendKind;
if (backend !== "fs" && backend !== "memory") {
  console.error(`--backend is fs or memory, not ${values.backend}`);
  process.exit(2);
}
const missing = missingPrerequisite();
if (missing) {
  console.error(missing);
  process.exit(2);
}

const selection = loadSelection();
const section = values.group ? selection.sections.find((s) => s.name === values.group) : undefined;
if (values.group && !section) {
  console.error(`no group ${values.group}; groups: ${selection.sections.map((s) => s.name).join(", ")}`);
  process.exit(2);
}
const wanted = new Set(section ? section.tests : selection.selected);
const tests = (await collectSuite()).filter((t) => wanted.has(t.name));
const store = await startPeerStore(backend);
const started = Date.now();
const result = await runSuite({ port: store.port, tests, timeoutSeconds: 60 });
await store.close();
const seconds = Math.round((Date.now() - started) / 1000);

let passed = 0;
for (const name of wanted) {
  const outcome = result.outcomes.get(name);
  if (outcome?.status === "passed") passed++;
  else console.log(`${outcome?.status ?? "not run"}: ${name}: ${outcome?.message.split("\n")[0] ?? ""}`);
}
const excluded = selection.sections
  .filter((s) => s.kind === "exclude")
  .reduce((n, s) => n + s.tests.length, 0);
const what = section ? `group ${section.name}` : "selected";
console.log(
  `\n${what} ${wanted.size}, passed ${passed}, excluded ${excluded} (${backend} backend, ${seconds} s)`,
);

if (values["write-docs"] && !section) {
  const status = passed === wanted.size ? "all pass" : `${passed} pass`;
  updateSection(
    "docs/store.md",
    "s3-tests",
    `${selectionTable(selection)}\n\nLast run: ${wanted.size} selected, ${status}, ${excluded} excluded (\`npm run test:s3-tests\`, ${backend} backend, ${seconds} s on the 2-core development VM).`,
  );
}
process.exit(section || passed === wanted.size ? 0 : 1);
