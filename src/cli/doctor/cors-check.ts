import { getBucketCors } from "../../server/s3/bucket-cors.js";
import { corsProblems } from "../cors/evaluate.js";
import { requiredHeaders, requiredMethods } from "../cors/rules.js";
import { describeStorageFailure } from "../storage-failure.js";
import { type CheckResult, type DoctorContext, result } from "./types.js";

const ID = "cors";
const NAME = "bucket CORS";

/** The bucket's rules must let every configured origin send every method and signed header, and expose ETag. */
/** The fix: the command, run with keys that may set bucket CORS (the gateway's own may not). */
export const corsFixText = (command: string) =>
  `run ${command} with credentials allowed s3:PutBucketCORS (one-time setup keys, not the gateway's; community MinIO: mc admin config set <alias> api cors_allow_origin=<origins>)`;

export async function checkCors(ctx: DoctorContext, extraHeaders: readonly string[]): Promise<CheckResult> {
  const { origins, routes } = ctx.setup;
  if (origins === undefined) {
    return result(
      ID,
      NAME,
      "warn",
      "no browser origins configured, so nothing to check",
      "pass --origin https://app.example.com (or set cors.origins in the config) if browsers upload",
    );
  }
  let rules: Awaited<ReturnType<typeof getBucketCors>>;
  try {
    rules = await getBucketCors(ctx.transport);
  } catch (err) {
    return result(
      ID,
      NAME,
      "fail",
      `GetBucketCors failed: ${describeStorageFailure(err)}`,
      "grant s3:GetBucketCORS, or check the bucket's CORS by hand",
    );
  }
  if (!rules)
    return result(
      ID,
      NAME,
      "fail",
      "the bucket has no CORS rules: browsers cannot upload",
      corsFixText(ctx.corsFix),
    );
  const problems = corsProblems(
    rules,
    origins,
    requiredMethods(routes),
    requiredHeaders(routes, extraHeaders, ctx.setup.storage),
  );
  if (problems.length > 0) return result(ID, NAME, "fail", problems.join("; "), corsFixText(ctx.corsFix));
  const shown = origins === "*" ? "any origin" : origins.join(", ");
  return result(ID, NAME, "pass", `${shown}: every method and signed header allowed, ETag exposed`);
}
