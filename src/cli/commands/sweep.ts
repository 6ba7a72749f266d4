import { createGateway } from "../../server/gateway.js";
import type { SweepReport } from "../../server/sweep/types.js";
import { parseCommandArgs } from "../args.js";
import { CliError } from "../cli-error.js";
import { commandFailure } from "../command-failure.js";
import { loadConfig, type UpgateConfig, withConfigErrors } from "../config/gateway-config.js";
import { flagsAsEnv } from "../config/setup.js";

export const SWEEP_HELP = `Usage: upgate sweep [options]

Runs the gateway's sweeper once. An upload nobody completed whose URLs have lapsed is completed
if its object (or every part of a multipart upload) is stored: verified as complete would (the
route's hook and webhook run, told completedBy "sweeper"), or rejected and removed. One with
nothing stored is marked expired once past its expiry plus the grace period, and its multipart
upload removed. Objects and multipart uploads under the routes' key prefixes that no upload owns
are removed. Nothing outside the prefixes is touched. upgate serve and upgate dev also sweep on
an interval (the config's sweep.interval).

Options:
  --config <file>   gateway config (default ./upgate.config.*)
  --dry-run         report what would be done, change nothing
  --limit <n>       at most n actions, then print the cursor to continue from (default: run to the end)
  --cursor <c>      continue a limited run
  --ledger <url>    "sqlite:<path>" or "postgres://..." (or UPGATE_LEDGER)
  --json            print the sweep report as JSON
  -h, --help        show this help

Credentials come from the config, or UPGATE_STORAGE_ACCESS_KEY and UPGATE_STORAGE_SECRET_KEY; with
neither, from the AWS default chain (needs the optional package @aws-sdk/credential-providers).`;

const BATCH = 1000;

function merge(into: SweepReport | undefined, next: SweepReport): SweepReport {
  if (!into) return next;
  const out: SweepReport = {
    ...next,
    verified: [...into.verified, ...next.verified],
    rejected: [...into.rejected, ...next.rejected],
    expired: [...into.expired, ...next.expired],
    abortedMultipart: [...into.abortedMultipart, ...next.abortedMultipart],
    deletedObjects: [...into.deletedObjects, ...next.deletedObjects],
    failed: [...into.failed, ...next.failed],
    scanned: {
      objects: into.scanned.objects + next.scanned.objects,
      multipartUploads: into.scanned.multipartUploads + next.scanned.multipartUploads,
    },
  };
  out.counts = {
    verified: out.verified.length,
    rejected: out.rejected.length,
    expired: out.expired.length,
    abortedMultipart: out.abortedMultipart.length,
    deletedObjects: out.deletedObjects.length,
    failed: out.failed.length,
  };
  return out;
}

function print(report: SweepReport): void {
  const would = report.dryRun ? "would " : "";
  const c = report.counts;
  console.log(
    `sweep${report.dryRun ? " (dry run)" : ""}: ${would}verify ${c.verified} and ${would}reject ${c.rejected} upload(s) nobody completed, ${would}expire ${c.expired} upload(s), ${would}abort ${c.abortedMultipart} multipart upload(s), ${would}delete ${c.deletedObjects} object(s); scanned ${report.scanned.objects} object(s) and ${report.scanned.multipartUploads} multipart upload(s)`,
  );
  for (const v of report.verified)
    console.log(`  verify  ${v.key}  (upload ${v.id}, route ${v.route}, user ${v.userId})`);
  for (const r of report.rejected)
    console.log(`  reject  ${r.key}  (${r.code}; upload ${r.id}, route ${r.route}, user ${r.userId})`);
  for (const e of report.expired)
    console.log(`  expire  ${e.key}  (upload ${e.id}, route ${e.route}, user ${e.userId})`);
  for (const a of report.abortedMultipart)
    console.log(`  abort   ${a.key}  (${a.reason}, multipart ${a.uploadId})`);
  for (const d of report.deletedObjects) console.log(`  delete  ${d.key}  (${d.reason})`);
  for (const f of report.failed) console.log(`  FAILED  ${f.action} ${f.key}: ${f.message}`);
  if (!report.complete) console.log(`stopped at the limit: continue with --cursor ${report.next}`);
}

export async function runSweep(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseCommandArgs("sweep", argv, {
    config: { type: "string" },
    "dry-run": { type: "boolean" },
    limit: { type: "string" },
    cursor: { type: "string" },
    ledger: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    console.log(SWEEP_HELP);
    return 0;
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
    throw new CliError(`--limit must be a whole number of 1 or more, got ${JSON.stringify(values.limit)}`, 2);
  }
  const { file, config } = await loadConfig({
    command: "sweep",
    file: values.config,
    env: flagsAsEnv(values, env),
    required: true,
    serving: false,
  });
  const gateway = withConfigErrors("sweep", file, () => createGateway(config as unknown as UpgateConfig));
  let report: SweepReport | undefined;
  try {
    let cursor = values.cursor;
    do {
      const next = await gateway.sweep({
        dryRun: values["dry-run"] === true,
        limit: limit ?? BATCH,
        ...(cursor === undefined ? {} : { cursor }),
      });
      report = merge(report, next);
      cursor = next.next;
    } while (limit === undefined && !report.complete);
  } catch (err) {
    throw commandFailure("sweep", err);
  } finally {
    await gateway.close();
  }
  if (values.json) console.log(JSON.stringify(report));
  else print(report);
  if (report.counts.failed > 0) {
    console.error(`upgate sweep: ${report.counts.failed} storage call(s) failed; the next run tries again`);
    return 1;
  }
  return 0;
}
