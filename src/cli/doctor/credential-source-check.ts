import { AWS_CHAIN_PACKAGE } from "../../server/s3/credentials/aws-chain.js";
import type { CurrentCredentials } from "../../server/s3/credentials/types.js";
import { describeStorageFailure } from "../storage-failure.js";
import { type CheckResult, type DoctorContext, result } from "./types.js";

const NAME = "credential source";

/** "2h 5m", "4m 10s", "12s". */
export function formatLeft(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/**
 * Where the storage credentials come from and how long they last: keys, a provider, or the AWS
 * default chain (naming the link that answered: environment, web identity, ECS, EC2 instance
 * metadata, SSO, profile). Warns when a route signs URLs that would outlive them: until they are
 * refreshed, such URLs are cut short to the credentials' remaining life.
 */
export async function checkCredentialSource(ctx: DoctorContext): Promise<CheckResult> {
  const source = ctx.storage.credentials;
  let credentials: CurrentCredentials;
  try {
    credentials = await source.get();
  } catch (err) {
    const message = describeStorageFailure(err);
    const fix = message.includes(`npm install ${AWS_CHAIN_PACKAGE}`)
      ? `npm install ${AWS_CHAIN_PACKAGE}`
      : "set UPGATE_STORAGE_ACCESS_KEY and UPGATE_STORAGE_SECRET_KEY, or run where the AWS default chain finds credentials (a role on ECS, EKS, EC2 or Lambda, AWS_PROFILE, AWS_ACCESS_KEY_ID)";
    return result("credential-source", NAME, "fail", `no credentials: ${message}`, fix);
  }
  const status = source.status();
  const key = `access key ${credentials.accessKeyId}`;
  if (credentials.expiration === undefined) {
    const lasting = credentials.sessionToken
      ? "a session token, expiry unknown"
      : "long-term keys, no expiry";
    return result("credential-source", NAME, "pass", `${status.source}: ${key} (${lasting})`);
  }
  const left = credentials.expiration.getTime() - Date.now();
  const detail = `${status.source}: ${key}, expires in ${formatLeft(left)} (${credentials.expiration.toISOString()})${source.refreshable ? ", refreshed before then" : ""}`;
  const outliving = [...ctx.setup.routes.values()].filter((r) => r.policy.expiresIn * 1000 > left);
  if (outliving.length === 0) return result("credential-source", NAME, "pass", detail);
  const routes = outliving
    .map((r) => `${r.policy.name} (${formatLeft(r.policy.expiresIn * 1000)})`)
    .join(", ");
  return result(
    "credential-source",
    NAME,
    "warn",
    `${detail}; URL lifetime of route ${routes} exceeds it: those URLs are cut to the credentials' life`,
    source.refreshable
      ? "give the role a longer session (or shorten the routes' expiresIn): URLs never outlive the credentials that signed them"
      : 'these credentials are not refreshed: use a provider or "aws" (docs/config.md), or shorten the routes\' expiresIn',
  );
}
