import { expect } from "vitest";
import type { SoakReport } from "./run.js";

/**
 * What every soak run must hold whatever the bucket behind it (the embedded store in `npm test`,
 * Ceph RGW in test/rgw): one test each, named as given.
 */
export const SOAK_INVARIANTS: ReadonlyArray<readonly [name: string, check: (report: SoakReport) => void]> = [
  [
    "no legitimate upload failed and every refusal was right",
    (report) => {
      expect(report.uploads.failures).toEqual([]);
      expect(report.uploads.wrongRefusals).toEqual([]);
      expect(report.uploads.deleteFailures).toBe(0);
    },
  ],
  [
    "no quota overrun was sampled, and no user stores more than the quota",
    (report) => {
      expect(report.quota.overruns).toEqual([]);
      expect(report.reconciliation.usersOverQuota).toEqual([]);
    },
  ],
  [
    "every verified object downloads with the sha256 that was uploaded",
    (report) => {
      expect(report.uploads.downloads).toBe(report.uploads.verified);
      expect(report.uploads.sha256Mismatches).toEqual([]);
      expect(report.uploads.downloadFailures).toEqual([]);
    },
  ],
  [
    "after the final sweep the ledger and the bucket agree exactly",
    (report) => {
      const r = report.reconciliation;
      expect(r.ledgerVerified).toBeGreaterThan(0);
      expect(r.bucketObjects).toBe(r.ledgerVerified);
      expect(r.missingInBucket).toEqual([]);
      expect(r.extraInBucket).toEqual([]);
      expect(r.sizeMismatches).toEqual([]);
      expect(r.unexplained).toEqual([]);
      expect(r.multipartUploadsLeft).toBe(0);
      expect(r.liveRowsLeft).toBe(0);
      expect(r.sweep.failed).toBe(0);
    },
  ],
  [
    "gateways logged no errors and the run found no other problem",
    (report) => {
      expect(report.gatewayErrors).toEqual([]);
      expect(report.problems).toEqual([]);
    },
  ],
];
