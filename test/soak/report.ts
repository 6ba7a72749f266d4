import type { QuotaOverrun } from "./ledger-view.js";
import type { Reconciliation } from "./reconcile.js";
import type { ResourceFigures } from "./resources.js";
import type { SoakQuota } from "./route.js";
import type { Tally } from "./tally.js";

export interface LatencyFigures {
  count: number;
  p50Ms: number;
  p99Ms: number;
}

export interface SoakReport {
  startedAt: string;
  settings: {
    durationMs: number;
    users: number;
    /** Users running several uploads at once (racing their own quota). */
    parallelUsers: number;
    instances: number;
    maxFileSize: number;
    seed: number;
    storage: string;
    quota: SoakQuota;
    gatewayFaultRate: number;
    storageFaultRate: number;
    abortRate: number;
    warmupMs: number;
  };
  /** The machine the figures came from: CPU count and 1-minute load average at start and end. */
  machine: { cpus: number; loadAtStart: number; loadAtEnd: number };
  /** From the first user starting to the last one finishing. */
  elapsedMs: number;
  uploads: Omit<Tally, "expected" | "latency">;
  throughput: { uploadsPerSecond: number; mibPerSecond: number };
  latency: { create: LatencyFigures; complete: LatencyFigures };
  faults: {
    gatewayResetsBeforeForwarding: number;
    gatewayAnswersLost: number;
    storageConnections: number;
    storageResets: number;
    /** Requests per gateway instance (round robin). */
    perInstance: number[];
  };
  quota: { samples: number; sampleErrors: number; overruns: QuotaOverrun[] };
  reconciliation: Reconciliation;
  /** Gateway processes first, then the store (when embedded) and the soak runner itself. */
  resources: ResourceFigures[];
  /** Lines gateways wrote to stderr (unexpected 500s and crashes). */
  gatewayErrors: string[];
  /** Every way the run broke a rule; empty when it passed. */
  problems: string[];
}

/**
 * Bounds for "stays flat": slopes after warm-up, and a ceiling for any gateway's RSS. A slope is only
 * asserted over at least `minWindowMs` after warm-up: over a few seconds it measures the heap
 * settling, not a leak.
 */
export const RESOURCE_BOUNDS = {
  rssSlopeMbPerMin: 30,
  fdsSlopePerMin: 30,
  maxRssMb: 400,
  minWindowMs: 45_000,
};

/** Whether the run was long enough after warm-up for its slopes to be asserted. */
export const slopesAsserted = (report: Pick<SoakReport, "elapsedMs" | "settings">) =>
  report.elapsedMs - report.settings.warmupMs >= RESOURCE_BOUNDS.minWindowMs;

export function findProblems(report: Omit<SoakReport, "problems">): string[] {
  const problems: string[] = [];
  const { uploads, reconciliation: r } = report;
  const list = (what: string, items: readonly unknown[]) => {
    if (items.length > 0) problems.push(`${items.length} ${what}: ${JSON.stringify(items.slice(0, 5))}`);
  };
  if (uploads.verified === 0) problems.push("no upload was verified");
  list("legitimate uploads failed", uploads.failures);
  list("quota refusals were wrong", uploads.wrongRefusals);
  list("quota overruns were sampled in the ledger", report.quota.overruns);
  list("objects did not match their sha256", uploads.sha256Mismatches);
  list("downloads failed", uploads.downloadFailures);
  if (uploads.deleteFailures > 0) problems.push(`${uploads.deleteFailures} deletes failed after retries`);
  list("verified keys are missing from the bucket", r.missingInBucket);
  list("objects are in the bucket but not verified in the ledger", r.extraInBucket);
  list("objects differ in size from the ledger", r.sizeMismatches);
  list("uploads are unexplained", r.unexplained);
  list("users store more than their quota", r.usersOverQuota);
  if (r.multipartUploadsLeft > 0)
    problems.push(`${r.multipartUploadsLeft} multipart uploads left after the sweep`);
  if (r.liveRowsLeft > 0)
    problems.push(`${r.liveRowsLeft} ledger rows still pending or uploaded after the sweep`);
  if (r.sweep.failed > 0) problems.push(`the final sweep had ${r.sweep.failed} failures`);
  list("gateway error lines", report.gatewayErrors);
  for (const proc of report.resources.filter((p) => p.label.startsWith("gateway"))) {
    if (!slopesAsserted(report)) {
      if (!(proc.rssMaxMb < RESOURCE_BOUNDS.maxRssMb))
        problems.push(`${proc.label} RSS reached ${proc.rssMaxMb.toFixed(0)} MB`);
      continue;
    }
    if (!(proc.rssSlopeMbPerMin < RESOURCE_BOUNDS.rssSlopeMbPerMin))
      problems.push(`${proc.label} RSS grows ${proc.rssSlopeMbPerMin.toFixed(1)} MB/min after warm-up`);
    if (!(proc.fdsSlopePerMin < RESOURCE_BOUNDS.fdsSlopePerMin))
      problems.push(`${proc.label} open fds grow ${proc.fdsSlopePerMin.toFixed(1)}/min after warm-up`);
    if (!(proc.rssMaxMb < RESOURCE_BOUNDS.maxRssMb))
      problems.push(`${proc.label} RSS reached ${proc.rssMaxMb.toFixed(0)} MB`);
  }
  return problems;
}
