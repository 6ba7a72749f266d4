import { StorageError } from "../../server/s3/types.js";
import { describeStorageFailure } from "../storage-failure.js";
import { type CheckResult, type DoctorContext, PROBE_PREFIX, result } from "./types.js";

const TIMEOUT_MS = 10_000;

/** Any HTTP answer from the endpoint means it is reachable; its Date header feeds the clock check. */
export async function checkReachable(ctx: DoctorContext): Promise<CheckResult> {
  const endpoint = ctx.setup.storage.endpoint;
  const started = Date.now();
  try {
    const res = await fetch(endpoint, { redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
    await res.body?.cancel();
    const ended = Date.now();
    const date = Date.parse(res.headers.get("date") ?? "");
    // Date has whole seconds (truncated): its middle is half a second later.
    if (Number.isFinite(date)) ctx.clock = { remote: date + 500, local: (started + ended) / 2 };
    return result(
      "endpoint",
      "endpoint reachable",
      "pass",
      `${endpoint} answered HTTP ${res.status} in ${ended - started} ms`,
    );
  } catch (err) {
    const reason = describeStorageFailure(err);
    return result(
      "endpoint",
      "endpoint reachable",
      "fail",
      `no answer from ${endpoint}: ${reason}`,
      "check storage.endpoint (or UPGATE_STORAGE_ENDPOINT): scheme, host and port, and that the storage is running",
    );
  }
}

const CREDENTIAL_FIXES: Record<string, string> = {
  InvalidAccessKeyId:
    "the storage does not know this access key: set UPGATE_STORAGE_ACCESS_KEY to a key it issued",
  SignatureDoesNotMatch:
    "the secret key does not belong to this access key: set UPGATE_STORAGE_SECRET_KEY to the key's secret",
  AccessDenied:
    "the credentials may not list the bucket: grant s3:ListBucket (the sweeper lists it; see docs/production.md)",
  NoSuchBucket: "the bucket does not exist: create it, or fix storage.bucket (UPGATE_STORAGE_BUCKET)",
  RequestTimeTooSkewed: "this machine's clock is far off: sync it (NTP) and run doctor again",
  AuthorizationHeaderMalformed:
    "the region is wrong: set storage.region (UPGATE_STORAGE_REGION) to the bucket's region",
  PermanentRedirect:
    "the bucket is in another region or needs another endpoint: fix storage.region or storage.endpoint",
};

/** A signed ListObjectsV2 under the probe prefix: tells good credentials from unknown keys, wrong secrets and missing rights. */
export async function checkCredentials(ctx: DoctorContext): Promise<CheckResult> {
  try {
    await ctx.storage.listObjects(PROBE_PREFIX);
    const { accessKeyId } = await ctx.storage.credentials.get();
    return result(
      "credentials",
      "credentials valid",
      "pass",
      `access key ${accessKeyId} may list bucket ${ctx.setup.storage.bucket}`,
    );
  } catch (err) {
    const code = err instanceof StorageError ? err.code : "";
    return result(
      "credentials",
      "credentials valid",
      "fail",
      `listing bucket ${ctx.setup.storage.bucket} failed: ${describeStorageFailure(err)}`,
      CREDENTIAL_FIXES[code] ?? "check the storage credentials, bucket and region",
    );
  }
}

const WARN_SKEW_MS = 60_000;
const FAIL_SKEW_MS = 5 * 60_000;

/** The storage's Date header against this machine's clock: URL lifetimes are minutes long. */
export function checkClock(ctx: DoctorContext): CheckResult {
  if (!ctx.clock) {
    return result("clock", "clock skew", "skip", "the storage sent no Date header");
  }
  const skew = ctx.clock.local - ctx.clock.remote;
  const seconds = Math.round(Math.abs(skew) / 1000);
  const detail = `this machine is ${seconds} s ${skew >= 0 ? "ahead of" : "behind"} the storage`;
  const fix = "sync this machine's clock with NTP (for example: timedatectl set-ntp true)";
  if (Math.abs(skew) > FAIL_SKEW_MS) return result("clock", "clock skew", "fail", detail, fix);
  if (Math.abs(skew) > WARN_SKEW_MS) return result("clock", "clock skew", "warn", detail, fix);
  return result("clock", "clock skew", "pass", detail);
}
