/**
 * ceph/s3-tests, the peer suite Ceph runs against RGW, against the embedded store: the tests of
 * test/peer/s3-tests-selection.txt, on the fs and the memory backend, each reported as a test here.
 * Needs Debian's python3-boto3 and the other packages .ci/run installs: under CI=true a missing one
 * fails the run; elsewhere the suite is skipped, saying how to install them.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  APT_PACKAGES,
  type BackendKind,
  collectSuite,
  missingPrerequisite,
  type PeerStore,
  type RunResult,
  runSuite,
  SUITE_COMMIT,
  type SuiteTest,
  startPeerStore,
  unpinnedFiles,
} from "./s3-tests/harness.js";
import { compareWithSuite, loadSelection, selectionTable } from "./s3-tests/selection.js";

/** pytest-timeout for one test; the slowest selected test takes a few seconds. */
const PER_TEST_TIMEOUT_S = 60;
const RUN_TIMEOUT_MS = 8 * 60_000;

const missing = missingPrerequisite();
const selection = loadSelection();

describe("ceph/s3-tests selection in docs/store.md", () => {
  test("shows every area and excluded group with its count and reason", () => {
    const doc = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), "../../docs/store.md"), "utf8");
    const section =
      /<!-- generated:s3-tests -->\n([\s\S]*?)<!-- \/generated:s3-tests -->/.exec(doc)?.[1] ?? "";
    expect(section, "run npm run test:s3-tests -- --write-docs").toContain(selectionTable(selection));
  });
});

let collected: Promise<SuiteTest[]> | undefined;
const suiteTests = () => (collected ??= collectSuite());

if (missing && process.env.CI === "true") {
  describe("ceph/s3-tests", () => {
    test("can run (CI never skips it)", () => {
      throw new Error(`${missing}. CI=true: the peer suite never skips in CI.`);
    });
  });
} else if (missing) {
  describe.skip(`ceph/s3-tests (skipped: ${missing}; install with apt-get install -y ${APT_PACKAGES})`, () => {
    test("runs", () => {});
  });
} else {
  describe("ceph/s3-tests selection", () => {
    test(`reads the suite at its pinned commit ${SUITE_COMMIT.slice(0, 12)}`, () => {
      expect(unpinnedFiles()).toEqual([]);
    });

    test(
      "lists every test of the pinned suite exactly once",
      async () => {
        const names = (await suiteTests()).map((t) => t.name);
        expect(compareWithSuite(selection, names)).toEqual({ unlisted: [], missing: [] });
      },
      RUN_TIMEOUT_MS,
    );
  });

  describe.each<BackendKind>(["fs", "memory"])("ceph/s3-tests on the embedded store (%s backend)", (kind) => {
    let store: PeerStore | undefined;
    let result: RunResult;

    beforeAll(async () => {
      const wanted = new Set(selection.selected);
      const tests = (await suiteTests()).filter((t) => wanted.has(t.name));
      store = await startPeerStore(kind);
      result = await runSuite({ port: store.port, tests, timeoutSeconds: PER_TEST_TIMEOUT_S });
    }, RUN_TIMEOUT_MS);

    afterAll(async () => {
      await store?.close();
    });

    test.each(selection.selected)("%s", (name) => {
      const outcome = result.outcomes.get(name);
      if (!outcome) {
        throw new Error(`pytest reported nothing for ${name} (exit ${result.exitCode}):\n${result.tail}`);
      }
      expect(outcome.status, `${name}: ${outcome.message}\n${outcome.detail}`).toBe("passed");
    });
  });
}
