import { readFileSync } from "node:fs";
import { beforeAll, expect, test } from "vitest";
import { updateSection } from "../../scripts/doc-sections.js";
import { describePostgres } from "../contract/ledger-postgres-env.js";
import { reportMarkdown } from "../soak/format.js";
import { SOAK_INVARIANTS } from "../soak/invariants.js";
import { MiB } from "../soak/options.js";
import { runSoak, type SoakReport } from "../soak/run.js";
import { RELIABILITY_DOC, REPRODUCE } from "./compat/matrix.js";
import { createRgwBucket, describeRgw } from "./env.js";

/**
 * The reduced soak against Ceph RGW: the same run as `npm run soak` (gateway processes on one
 * Postgres ledger behind a faulty proxy, the real client, a final sweep and reconciliation), with
 * RGW as the bucket: ~20 s, 10 users, files up to 12 MiB (above 8 MiB multipart).
 */
const COMMAND = REPRODUCE;

describeRgw("scale-out soak against Ceph RGW (short)", (rgw) => {
  describePostgres("on the Postgres ledger", (postgresUrl) => {
    let report: SoakReport;
    beforeAll(async () => {
      const storage = await createRgwBucket(rgw, "soak");
      report = await runSoak({
        postgresUrl,
        storage: {
          endpoint: storage.endpoint,
          region: storage.region,
          bucket: storage.bucket,
          accessKeyId: storage.credentials.accessKeyId,
          secretAccessKey: storage.credentials.secretAccessKey,
          forcePathStyle: true,
        },
        durationMs: 20_000,
        users: 10,
        instances: 2,
        maxFileSize: 12 * MiB,
        seed: 11,
        warmupMs: 6_000,
        abortRate: 0.1,
      });
    }, 300_000);

    test("users uploaded through both instances, multipart included", () => {
      expect(report.uploads.verified).toBeGreaterThan(10);
      expect(report.uploads.multipart).toBeGreaterThan(0);
      for (const count of report.faults.perInstance) expect(count).toBeGreaterThan(5);
    });

    for (const [name, check] of SOAK_INVARIANTS) test(name, () => check(report));

    test("writes its figures into docs/reliability.md", () => {
      const markdown = reportMarkdown(report, COMMAND).replace(
        "## Scale-out soak",
        "## Scale-out soak against Ceph RGW",
      );
      updateSection(RELIABILITY_DOC, "rgw-soak", markdown);
      expect(readFileSync(RELIABILITY_DOC, "utf8")).toContain(`Reproduce with \`${COMMAND}\``);
    });
  });
});
