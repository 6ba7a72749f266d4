import { describe, expect, it } from "vitest";
import { findProblems, type SoakReport } from "./report.js";
import type { ResourceFigures } from "./resources.js";
import { emptyTally } from "./tally.js";

type Base = Omit<SoakReport, "problems">;

function gateway(label: string, over: Partial<ResourceFigures> = {}): ResourceFigures {
  return {
    label,
    pid: 1,
    samples: 100,
    rssStartMb: 110,
    rssEndMb: 130,
    rssMaxMb: 150,
    rssSlopeMbPerMin: 1,
    fdsStart: 26,
    fdsEnd: 40,
    fdsMax: 60,
    fdsSlopePerMin: 2,
    ...over,
  };
}

/** A report of a clean 120 s run, which each case below breaks in one way. */
function passing(): Base {
  const { expected: _e, latency: _l, ...uploads } = emptyTally();
  return {
    startedAt: "2026-01-01T00:00:00.000Z",
    settings: {
      durationMs: 120_000,
      users: 200,
      parallelUsers: 20,
      instances: 3,
      maxFileSize: 50,
      seed: 1,
      storage: "embedded",
      quota: { bytes: 60, files: 3 },
      gatewayFaultRate: 0.02,
      storageFaultRate: 0.03,
      abortRate: 0.05,
      warmupMs: 30_000,
    },
    machine: { cpus: 2, loadAtStart: 1, loadAtEnd: 1 },
    elapsedMs: 130_000,
    uploads: { ...uploads, attempted: 10, verified: 8, downloads: 8 },
    throughput: { uploadsPerSecond: 1, mibPerSecond: 1 },
    latency: { create: { count: 1, p50Ms: 1, p99Ms: 1 }, complete: { count: 1, p50Ms: 1, p99Ms: 1 } },
    faults: {
      gatewayResetsBeforeForwarding: 1,
      gatewayAnswersLost: 1,
      storageConnections: 10,
      storageResets: 1,
      perInstance: [5, 5, 5],
    },
    quota: { samples: 100, sampleErrors: 0, overruns: [] },
    reconciliation: {
      sweep: { runs: 1, verified: 0, expired: 0, abortedMultipart: 0, deletedObjects: 0, failed: 0 },
      ledgerVerified: 8,
      bucketObjects: 8,
      missingInBucket: [],
      extraInBucket: [],
      sizeMismatches: [],
      multipartUploadsLeft: 0,
      liveRowsLeft: 0,
      unexplained: [],
      usersOverQuota: [],
    },
    resources: [gateway("gateway 1"), gateway("gateway 2"), gateway("store", { rssSlopeMbPerMin: 500 })],
    gatewayErrors: [],
  };
}

describe("findProblems", () => {
  it("finds none in a clean run (the store's slope is reported, not asserted)", () => {
    expect(findProblems(passing())).toEqual([]);
  });

  const cases: Array<[string, (r: Base) => void, RegExp]> = [
    [
      "nothing verified",
      (r) => {
        r.uploads.verified = 0;
      },
      /no upload was verified/,
    ],
    [
      "a failed upload",
      (r) => r.uploads.failures.push({ userId: "u", size: 1, code: "STORAGE", message: "x" }),
      /1 legitimate uploads failed/,
    ],
    [
      "a wrong refusal",
      (r) =>
        r.uploads.wrongRefusals.push({
          userId: "u",
          size: 1,
          refusedWith: { bytes: 0, files: 0 },
          ledger: { bytes: 0, files: 0 },
          known: { bytes: 0, files: 0 },
        }),
      /quota refusals were wrong/,
    ],
    [
      "an overrun",
      (r) => r.quota.overruns.push({ userId: "u", bytes: 61, files: 1, at: "" }),
      /quota overruns were sampled/,
    ],
    [
      "a sha256 mismatch",
      (r) => r.uploads.sha256Mismatches.push({ id: "i", expected: "a", got: "b", where: "download" }),
      /did not match their sha256/,
    ],
    ["an orphan", (r) => r.reconciliation.extraInBucket.push("k"), /in the bucket but not verified/],
    ["a missing object", (r) => r.reconciliation.missingInBucket.push("k"), /missing from the bucket/],
    [
      "a multipart upload left",
      (r) => {
        r.reconciliation.multipartUploadsLeft = 1;
      },
      /multipart uploads left/,
    ],
    [
      "a pending row left",
      (r) => {
        r.reconciliation.liveRowsLeft = 2;
      },
      /still pending or uploaded/,
    ],
    ["a gateway error line", (r) => r.gatewayErrors.push("gateway 1: boom"), /gateway error lines/],
    [
      "a growing gateway RSS",
      (r) => {
        r.resources[0] = gateway("gateway 1", { rssSlopeMbPerMin: 45 });
      },
      /gateway 1 RSS grows 45.0 MB\/min/,
    ],
    [
      "growing gateway fds",
      (r) => {
        r.resources[1] = gateway("gateway 2", { fdsSlopePerMin: 31 });
      },
      /gateway 2 open fds grow 31.0\/min/,
    ],
    [
      "a gateway over the RSS ceiling",
      (r) => {
        r.resources[0] = gateway("gateway 1", { rssMaxMb: 900 });
      },
      /gateway 1 RSS reached 900 MB/,
    ],
  ];
  for (const [name, breakIt, problem] of cases) {
    it(`reports ${name}`, () => {
      const report = passing();
      breakIt(report);
      const problems = findProblems(report);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(problem);
    });
  }

  it("does not assert slopes over a window too short after warm-up, but still the RSS ceiling", () => {
    const report = passing();
    report.elapsedMs = 20_000;
    report.settings.warmupMs = 6_000;
    report.resources[0] = gateway("gateway 1", { rssSlopeMbPerMin: 200 });
    expect(findProblems(report)).toEqual([]);
    report.resources[0] = gateway("gateway 1", { rssMaxMb: 500 });
    expect(findProblems(report)).toEqual(["gateway 1 RSS reached 500 MB"]);
  });
});
