import { expect, test } from "vitest";
import { describePostgres } from "../contract/ledger-postgres-env.js";
import { SOAK_INVARIANTS } from "./invariants.js";
import { MiB } from "./options.js";
import { runSoak, type SoakReport } from "./run.js";

/**
 * The short soak inside `npm test`: the same run as `npm run soak`, 3 gateway processes on one
 * Postgres ledger, but ~18 s, 20 users and files up to 12 MiB (still some multipart).
 */
describePostgres("scale-out soak (short)", (postgresUrl) => {
  let report: SoakReport;

  test("runs 20 users against 3 gateway processes on one ledger", { timeout: 240_000 }, async () => {
    report = await runSoak({
      postgresUrl,
      durationMs: 18_000,
      users: 20,
      instances: 3,
      maxFileSize: 12 * MiB,
      seed: 7,
      warmupMs: 6_000,
      abortRate: 0.1,
      gatewayFaultRate: 0.04,
    });
    expect(report.uploads.verified).toBeGreaterThan(20);
    expect(report.uploads.multipart).toBeGreaterThan(0);
    // The tight quota refused some creates, and users aborted some uploads part-way.
    expect(report.uploads.quotaRefused).toBeGreaterThan(0);
    expect(report.uploads.aborted).toBeGreaterThan(0);
    // Every instance took its share of requests, and faults really were injected.
    for (const count of report.faults.perInstance) expect(count).toBeGreaterThan(10);
    expect(report.faults.gatewayResetsBeforeForwarding + report.faults.gatewayAnswersLost).toBeGreaterThan(0);
    expect(report.uploads.retries).toBeGreaterThan(0);
  });

  test("the quota was sampled throughout", () => {
    expect(report.quota.samples).toBeGreaterThan(5);
  });

  test("every gateway process stayed bounded", () => {
    const gateways = report.resources.filter((p) => p.label.startsWith("gateway"));
    expect(gateways).toHaveLength(3);
    for (const gateway of gateways) {
      expect(gateway.samples).toBeGreaterThan(10);
      expect(gateway.rssMaxMb).toBeLessThan(400);
      expect(gateway.fdsMax).toBeLessThan(500);
    }
  });

  for (const [name, check] of SOAK_INVARIANTS) test(name, () => check(report));
});
