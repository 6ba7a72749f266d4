import type { CorsRule } from "../../core/s3/cors.js";
import { getBucketCors, putBucketCors } from "../../server/s3/bucket-cors.js";
import { createS3Transport } from "../../server/s3/transport.js";
import { parseCommandArgs } from "../args.js";
import { CliError } from "../cli-error.js";
import { loadSetup, SETUP_OPTIONS } from "../config/setup.js";
import { diffLines, rulesLines, sameRules } from "../cors/diff.js";
import { mergeRules, requiredHeaders, upgateRule } from "../cors/rules.js";
import { upgateRun } from "../invocation.js";
import { describeStorageFailure } from "../storage-failure.js";

export const CORS_HELP = `Usage: upgate cors show|apply [options]

Computes the bucket CORS rule the configured routes need (methods PUT, POST, GET, HEAD; the exact
headers the gateway signs; ExposeHeader ETag), shows the difference from the bucket's current
rules, and with "apply" writes it (PutBucketCors). The rule has the id "upgate": other rules on
the bucket are kept, after it.

Options:
  --config <file>     gateway config (default ./upgate.config.*, if any)
  --endpoint <url>    storage endpoint (or UPGATE_STORAGE_ENDPOINT)
  --bucket <name>     bucket (or UPGATE_STORAGE_BUCKET)
  --region <name>     region (or UPGATE_STORAGE_REGION; default us-east-1)
  --path-style        path-style addressing (or UPGATE_STORAGE_PATH_STYLE=true)
  --origin <origin>   a browser origin allowed to upload (repeatable; default: the config's cors.origins)
  --header <name>     another request header to allow, e.g. x-amz-meta-* for client metadata (repeatable)
  --json              print { bucket, changed, current, desired } as JSON
  -h, --help          show this help

Credentials come from the config, or UPGATE_STORAGE_ACCESS_KEY and UPGATE_STORAGE_SECRET_KEY; with
neither, from the AWS default chain (needs the optional package @aws-sdk/credential-providers).`;

export async function runCors(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseCommandArgs("cors", argv, {
    ...SETUP_OPTIONS,
    header: { type: "string", multiple: true },
    json: { type: "boolean" },
  });
  if (values.help) {
    console.log(CORS_HELP);
    return 0;
  }
  const action = positionals[0];
  if ((action !== "show" && action !== "apply") || positionals.length > 1) {
    throw new CliError(`upgate cors: say "show" or "apply" (see ${upgateRun("cors --help")})`, 2);
  }
  const setup = await loadSetup("cors", values, env);
  if (setup.origins === undefined) {
    throw new CliError(
      "upgate cors: no origins: pass --origin https://app.example.com (or set cors.origins in the config)",
      2,
    );
  }
  const desiredRule = upgateRule(
    setup.origins,
    requiredHeaders(setup.routes, values.header, setup.storage),
    setup.maxAgeSeconds,
  );
  const transport = createS3Transport(setup.storage, { timeoutMs: 15_000 });
  const storageCall = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      throw new CliError(`upgate cors: ${what} failed: ${describeStorageFailure(err)}`);
    }
  };
  const current = await storageCall("reading the bucket's CORS (GetBucketCors)", () =>
    getBucketCors(transport),
  );
  const desired = mergeRules(current, desiredRule);
  const changed = !sameRules(current, desired);
  if (action === "apply" && changed) {
    await storageCall("writing the bucket's CORS (PutBucketCors)", () => putBucketCors(transport, desired));
    const after = await storageCall("reading the CORS back", () => getBucketCors(transport));
    if (!sameRules(after, desired)) {
      throw new CliError(
        `upgate cors: the storage accepted the rules but returns different ones: it may not support bucket CORS`,
      );
    }
  }
  report(action, setup.storage.bucket, current, desired, changed, values.json === true);
  return 0;
}

function report(
  action: "show" | "apply",
  bucket: string,
  current: CorsRule[] | undefined,
  desired: CorsRule[],
  changed: boolean,
  json: boolean,
): void {
  if (json) {
    console.log(
      JSON.stringify({
        bucket,
        action,
        changed,
        applied: action === "apply" && changed,
        current: current ?? [],
        desired,
      }),
    );
    return;
  }
  if (!changed) {
    console.log(`bucket ${bucket}: CORS is up to date`);
    return;
  }
  console.log(
    `bucket ${bucket}: ${current ? "current rules (-) and the rules needed (+)" : "no CORS rules yet; needed (+)"}`,
  );
  for (const line of diffLines(rulesLines(current), rulesLines(desired))) console.log(line);
  console.log(
    action === "apply"
      ? `applied to bucket ${bucket}`
      : `run ${upgateRun("cors apply")} (same options) to write them`,
  );
}
