import { UpgateError } from "../errors.js";
import { ALGORITHM, type Credentials, credentialScope } from "./canonical.js";
import { hmacSha256Hex, toBase64, toBytes } from "./crypto.js";
import { MAX_EXPIRES_SECONDS } from "./presign.js";
import { signingKey } from "./signing-key.js";
import { shouldUseVirtualHost } from "./target.js";
import { formatAmzDate } from "./time.js";
import { checkKey } from "./validate.js";

/** A POST policy condition, in S3's JSON forms. */
export type PolicyCondition =
  | Record<string, string>
  | ["eq" | "starts-with", `$${string}`, string]
  | ["content-length-range", number, number];

export interface PostPolicyInput {
  endpoint: string;
  bucket: string;
  forcePathStyle?: boolean;
  /** The exact key, or a prefix the browser completes (with `${filename}` or its own suffix). */
  key?: string;
  keyPrefix?: string;
  region: string;
  credentials: Credentials;
  expiresIn: number;
  /** Extra form fields (Content-Type, x-amz-meta-*, success_action_status, ...); each gets an eq condition. */
  fields?: Record<string, string>;
  /** Further conditions, such as ["content-length-range", 1, 10485760] or ["starts-with", "$Content-Type", "image/"]. */
  conditions?: PolicyCondition[];
  date?: Date;
}

export interface PostPolicy {
  url: string;
  /** Send these form fields in this order, then the file last. */
  fields: Record<string, string>;
  policy: { expiration: string; conditions: PolicyCondition[] };
  expiresAt: Date;
}

export async function createPostPolicy(input: PostPolicyInput): Promise<PostPolicy> {
  const { bucket, region, credentials, expiresIn } = input;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_SECONDS) {
    throw new UpgateError(
      "SIGN_INVALID_INPUT",
      `expiresIn must be a whole number of seconds from 1 to ${MAX_EXPIRES_SECONDS}`,
    );
  }
  if ((input.key === undefined) === (input.keyPrefix === undefined)) {
    throw new UpgateError("SIGN_INVALID_INPUT", "give exactly one of key or keyPrefix");
  }
  if (input.key !== undefined) checkKey(input.key);
  let endpoint: URL;
  try {
    endpoint = new URL(input.endpoint);
  } catch {
    throw new UpgateError("SIGN_INVALID_INPUT", `endpoint is not a URL: ${JSON.stringify(input.endpoint)}`);
  }
  const date = input.date ?? new Date();
  const amzDate = formatAmzDate(date);
  const expiresAt = new Date(date.getTime() + expiresIn * 1000);
  const credential = `${credentials.accessKeyId}/${credentialScope(amzDate.slice(0, 8), region, "s3")}`;

  const fields: Record<string, string> = {};
  const conditions: PolicyCondition[] = [{ bucket }];
  if (input.key !== undefined) {
    fields.key = input.key;
    conditions.push(["eq", "$key", input.key]);
  } else {
    fields.key = `${input.keyPrefix}\${filename}`;
    conditions.push(["starts-with", "$key", input.keyPrefix!]);
  }
  for (const [name, value] of Object.entries(input.fields ?? {})) {
    fields[name] = value;
    conditions.push({ [name]: value });
  }
  fields["x-amz-algorithm"] = ALGORITHM;
  fields["x-amz-credential"] = credential;
  fields["x-amz-date"] = amzDate;
  conditions.push(
    { "x-amz-algorithm": ALGORITHM },
    { "x-amz-credential": credential },
    { "x-amz-date": amzDate },
  );
  if (credentials.sessionToken) {
    fields["x-amz-security-token"] = credentials.sessionToken;
    conditions.push({ "x-amz-security-token": credentials.sessionToken });
  }
  conditions.push(...(input.conditions ?? []));

  const policy = { expiration: expiresAt.toISOString(), conditions };
  const policyB64 = toBase64(toBytes(JSON.stringify(policy)));
  const key = await signingKey(credentials.secretAccessKey, amzDate.slice(0, 8), region, "s3");
  fields.policy = policyB64;
  fields["x-amz-signature"] = await hmacSha256Hex(key, policyB64);

  const virtual = shouldUseVirtualHost(bucket, endpoint.hostname, input.forcePathStyle);
  const base = endpoint.pathname.replace(/\/+$/, "");
  const url = virtual
    ? `${endpoint.protocol}//${bucket}.${endpoint.host}${base}/`
    : `${endpoint.protocol}//${endpoint.host}${base}/${encodeURIComponent(bucket)}`;
  return { url, fields, policy, expiresAt };
}
