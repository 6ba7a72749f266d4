import { CredentialsError } from "./errors.js";
import type { StorageCredentials } from "./types.js";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

/**
 * The four fields the gateway uses, from whatever a provider returned: the AWS SDK's objects carry
 * more ($source, accountId, credentialScope, ...), which are left behind here so nothing logs them.
 * Throws a CredentialsError naming the field (never its value) when the shape is wrong.
 */
export function normalizeCredentials(value: unknown, from: string): StorageCredentials {
  if (!isObject(value)) throw new CredentialsError(`${from} returned no credentials object`);
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = value;
  const missing = (field: string) =>
    new CredentialsError(`${from} returned credentials without ${field} (a non-empty string)`);
  if (typeof accessKeyId !== "string" || accessKeyId === "") throw missing("accessKeyId");
  if (typeof secretAccessKey !== "string" || secretAccessKey === "") throw missing("secretAccessKey");
  if (sessionToken !== undefined && sessionToken !== null && typeof sessionToken !== "string") {
    throw new CredentialsError(`${from} returned a sessionToken that is not a string`);
  }
  const out: StorageCredentials = { accessKeyId, secretAccessKey };
  if (typeof sessionToken === "string" && sessionToken !== "") out.sessionToken = sessionToken;
  if (expiration !== undefined && expiration !== null) {
    const date = expiration instanceof Date ? expiration : new Date(expiration as string);
    if (Number.isNaN(date.getTime())) {
      throw new CredentialsError(`${from} returned an expiration that is not a date`);
    }
    out.expiration = date;
  }
  return out;
}

/** The AWS SDK's credential feature ids ($source) and where they mean the credentials came from. */
const SDK_SOURCES: ReadonlyArray<[string[], string]> = [
  [
    [
      "CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN",
      "CREDENTIALS_STS_ASSUME_ROLE_WEB_ID",
      "CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN",
    ],
    "web identity token (STS AssumeRoleWithWebIdentity)",
  ],
  [["CREDENTIALS_HTTP"], "container credentials endpoint (ECS, EKS Pod Identity)"],
  [["CREDENTIALS_IMDS"], "EC2 instance metadata (IMDS)"],
  [
    [
      "CREDENTIALS_SSO",
      "CREDENTIALS_PROFILE_SSO",
      "CREDENTIALS_SSO_LEGACY",
      "CREDENTIALS_PROFILE_SSO_LEGACY",
    ],
    "SSO",
  ],
  [["CREDENTIALS_PROCESS", "CREDENTIALS_PROFILE_PROCESS"], "credential_process"],
  [["CREDENTIALS_STS_ASSUME_ROLE"], "STS AssumeRole"],
  [["CREDENTIALS_LOGIN", "CREDENTIALS_PROFILE_LOGIN"], "AWS login session"],
  [
    ["CREDENTIALS_PROFILE", "CREDENTIALS_PROFILE_SOURCE_PROFILE", "CREDENTIALS_PROFILE_NAMED_PROVIDER"],
    "shared config files (profile)",
  ],
  [["CREDENTIALS_ENV_VARS"], "environment (AWS_ACCESS_KEY_ID)"],
];

/**
 * Where AWS SDK credentials came from, read from their $source marks. The chain's last links (EC2
 * instance metadata, and the ECS endpoint's legacy path) leave none: which of them answered follows
 * from the environment, as the chain itself chooses.
 */
export function sdkSource(value: unknown): string {
  const marks = isObject(value) && isObject(value.$source) ? value.$source : {};
  const marked = SDK_SOURCES.find(([ids]) => ids.some((id) => id in marks))?.[1];
  if (marked) return marked;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  return env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
    ? "container credentials endpoint (ECS)"
    : "EC2 instance metadata (IMDS)";
}
