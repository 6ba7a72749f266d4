import { parseCommandArgs } from "../args.js";
import { loadSetup, SETUP_OPTIONS, type Setup } from "../config/setup.js";
import { renderReport } from "../doctor/report.js";
import { runDoctor } from "../doctor/run.js";
import { upgateRun } from "../invocation.js";

export const DOCTOR_HELP = `Usage: upgate doctor [options]

Checks, against the real storage and ledger, what uploads depend on, and prints a pass/fail table
with a fix for each failure:
  endpoint reachable; where the credentials come from and how long they last (a warning when a
  route's URL lifetime is longer); credentials valid; a presigned write, read and delete of a
  probe object under .upgate-doctor/; write-once (if-none-match); clock skew against the storage's
  Date header;
  bucket CORS for every origin, method and signed header, with ETag exposed; a real CORS
  preflight (OPTIONS) from the first origin; POST uploads (only for routes with strategy "post");
  checksum enforcement (a PUT, and a multipart part, with a wrong x-amz-checksum-sha256 must be
  refused, else a warning); multipart write-once (Complete with if-none-match over an existing
  object must get 412, else a warning); unsigned ACLs (a PUT with an added x-amz-acl: public-read
  must be refused or leave the object private, else a warning naming storage.acl); the ledger and
  its migrations.

Options:
  --config <file>     gateway config (default ./upgate.config.*, if any)
  --endpoint <url>    storage endpoint (or UPGATE_STORAGE_ENDPOINT)
  --bucket <name>     bucket (or UPGATE_STORAGE_BUCKET)
  --region <name>     region (or UPGATE_STORAGE_REGION; default us-east-1)
  --path-style        path-style addressing (or UPGATE_STORAGE_PATH_STYLE=true)
  --origin <origin>   a browser origin that uploads (repeatable; default: the config's cors.origins)
  --header <name>     another request header browsers send to storage (repeatable)
  --ledger <url>      "sqlite:<path>" or "postgres://..." (or UPGATE_LEDGER)
  --json              print { ok, checks: [{ id, name, status, detail, fix? }] }
  -h, --help          show this help

Credentials come from the config, or UPGATE_STORAGE_ACCESS_KEY and UPGATE_STORAGE_SECRET_KEY; with
neither, from the AWS default chain (needs the optional package @aws-sdk/credential-providers).
Exits 1 when a check fails; warnings do not fail.`;

/** The `upgate cors apply` command with this setup's flags, for the CORS fix. */
function corsFixCommand(setup: Setup, values: { origin?: string[]; header?: string[] }): string {
  const args = setup.file
    ? [`--config ${setup.file}`]
    : [
        `--endpoint ${setup.storage.endpoint}`,
        `--bucket ${setup.storage.bucket}`,
        ...(setup.storage.region === "us-east-1" ? [] : [`--region ${setup.storage.region}`]),
        ...(setup.storage.forcePathStyle ? ["--path-style"] : []),
      ];
  for (const origin of values.origin ?? []) args.push(`--origin ${origin}`);
  for (const header of values.header ?? []) args.push(`--header ${header}`);
  return upgateRun(`cors apply ${args.join(" ")}`);
}

export async function runDoctorCommand(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values } = parseCommandArgs("doctor", argv, {
    ...SETUP_OPTIONS,
    header: { type: "string", multiple: true },
    ledger: { type: "string" },
    json: { type: "boolean" },
  });
  if (values.help) {
    console.log(DOCTOR_HELP);
    return 0;
  }
  const setup = await loadSetup("doctor", values, env);
  const results = await runDoctor(setup, {
    corsFix: corsFixCommand(setup, values),
    extraHeaders: values.header ?? [],
  });
  const ok = results.every((r) => r.status !== "fail");
  if (values.json) console.log(JSON.stringify({ ok, checks: results }));
  else console.log(renderReport(results));
  if (!ok) {
    const failed = results.filter((r) => r.status === "fail").map((r) => r.id);
    console.error(
      `upgate doctor: ${failed.length} check${failed.length === 1 ? "" : "s"} failed (${failed.join(", ")})`,
    );
  }
  return ok ? 0 : 1;
}
