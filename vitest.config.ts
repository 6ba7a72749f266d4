import { configDefaults, defineConfig } from "vitest/config";

/**
 * Four layers, from fast to slow; `vitest run` (npm test) runs them all, `--project <name>` one:
 * - unit (npm run test:unit): the tests beside the sources and the pure checks of the repository
 *   (API snapshot, import graph, report parsers). Its files share one module graph per worker
 *   (isolate: false), which makes the run several times faster; the few files that mock modules
 *   (vi.mock needs a fresh graph) run isolated as unit-isolated.
 * - conformance: SigV4 vectors and property tests, the differential presigner test, the contract
 *   suites every store backend and ledger runs, fuzzing samples (npm run test:conformance).
 * - integration: the store, gateway, client, CLI and adapters over real HTTP, the docs' examples,
 *   the attack catalogue (its gateway half runs each case on the embedded store and on Ceph RGW in
 *   one file), headless Chromium, the packed tarball (npm run test:integration); also the tests
 *   beside the sources that run a whole stack, big bodies or worker threads. It takes any test file
 *   no other project lists, so a new folder of tests always runs in npm test.
 * - system: kill and fault injection, the soaks, Ceph RGW and ceph/s3-tests, bodies of 128 MiB and more
 *   (npm run test:system).
 */
const UNIT = [
  "src/**/*.test.{ts,tsx}",
  "test/architecture/**/*.test.ts",
  "test/package/api-surface.test.ts",
  "test/package/export-names.test.ts",
  "test/peer/s3-tests-parsers.test.ts",
  "test/scripts/**/*.test.ts",
  "test/soak/{budget,report,stats}.test.ts",
  "test/fuzz/harness.test.ts",
];
/** Unit tests that mock a module. */
const UNIT_ISOLATED = [
  "src/store/backend/fs/blobs.test.ts",
  "src/server/ledger/wal-sync.test.ts",
  "src/core/util/crc-fallback.test.ts",
];
/** Tests beside the sources that are integration tests by their cost: seconds each, servers, workers. */
const SLOW_BESIDE_SOURCES = [
  "src/cli/dev-stack.test.ts",
  "src/cli/http/drain.test.ts",
  "src/store/body-large.test.ts",
  "src/store/hash-worker.test.ts",
];
const CONFORMANCE = [
  "test/conformance/**/*.test.ts",
  "test/property/**/*.test.ts",
  "test/differential/**/*.test.ts",
  "test/contract/**/*.test.ts",
  "test/fuzz/**/*.test.ts",
];
const SYSTEM = [
  "test/faults/**/*.test.ts",
  "test/soak/**/*.test.ts",
  "test/credentials-soak/**/*.test.ts",
  "test/rgw/**/*.test.ts",
  "test/peer/s3-tests.test.ts",
  "test/big-bodies/**/*.test.ts",
];

/** Which project runs which files: `include` minus `exclude` (test/architecture checks each file is in one). */
export const PROJECTS = {
  unit: { include: UNIT, exclude: [...UNIT_ISOLATED, ...SLOW_BESIDE_SOURCES], isolate: false },
  "unit-isolated": { include: UNIT_ISOLATED, exclude: [] as string[], isolate: true },
  conformance: { include: CONFORMANCE, exclude: UNIT, isolate: true },
  integration: {
    include: ["test/**/*.test.{ts,tsx}", ...SLOW_BESIDE_SOURCES],
    exclude: [...UNIT.filter((glob) => glob.startsWith("test/")), ...CONFORMANCE, ...SYSTEM],
    isolate: true,
  },
  system: { include: SYSTEM, exclude: UNIT, isolate: true },
};

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: Object.entries(PROJECTS).map(([name, files]) => ({
      extends: true,
      test: {
        name,
        include: files.include,
        exclude: [...configDefaults.exclude, ...files.exclude],
        isolate: files.isolate,
      },
    })),
  },
});
