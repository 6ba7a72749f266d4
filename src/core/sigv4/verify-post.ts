import { ALGORITHM, credentialScope } from "./canonical.js";
import { credentialProblem, parseCredential } from "./credential.js";
import { type Bytes, constantTimeEqual, fromBase64, hmacSha256Hex } from "./crypto.js";
import {
  accessDenied,
  failure,
  invalidAccessKeyId,
  type SigV4Failure,
  sessionTokenProblem,
  signatureMismatch,
} from "./failure.js";
import { signingKey } from "./signing-key.js";
import { parseAmzDate } from "./time.js";
import type { SecretLookup, SecretRecord } from "./verify.js";

export interface VerifyPostInput {
  /** The form fields before the file, in order, as sent (names are matched case-insensitively). */
  fields: ReadonlyArray<readonly [string, string]>;
  bucket: string;
  /** The file part's filename, substituted for ${filename} in the key. */
  fileName?: string;
}

export interface VerifyPostOptions {
  region: string;
  lookupSecret: SecretLookup;
  now?: Date;
}

export interface VerifiedPost {
  accessKeyId: string;
  key: string;
  /** Lower-case field names to values, with ${filename} substituted in key. */
  fields: Map<string, string>;
  /** From content-length-range, to enforce while the file streams in. */
  contentLengthRange?: { min: number; max: number };
  expiresAt: Date;
  signingKey: Bytes;
}

export type VerifyPostResult = { ok: true; post: VerifiedPost } | { ok: false; error: SigV4Failure };

/** Fields that never need a condition. */
const EXEMPT = new Set(["x-amz-signature", "file", "policy"]);
const CONDITION_FIELDS_STARTS_WITH_OK =
  /^(key|acl|content-type|cache-control|content-disposition|content-encoding|expires|success_action_redirect|redirect|x-amz-meta-.*)$/;

const fail = (error: SigV4Failure): VerifyPostResult => ({ ok: false, error });
const invalidPolicy = (why: string) => failure("InvalidPolicyDocument", `Invalid Policy: ${why}`);
const policyFailed = (condition: unknown[]) =>
  accessDenied(
    `Invalid according to Policy: Policy Condition failed: [${condition.map((v) => JSON.stringify(v)).join(", ")}]`,
  );

type Check =
  | { kind: "eq" | "starts-with"; field: string; value: string; source: unknown[] }
  | { kind: "range"; min: number; max: number };

function parseConditions(conditions: unknown): Check[] | SigV4Failure {
  if (!Array.isArray(conditions)) return invalidPolicy("Policy conditions must be an array.");
  const checks: Check[] = [];
  for (const c of conditions) {
    if (Array.isArray(c)) {
      const [op, a, b] = c as [unknown, unknown, unknown];
      const opName = typeof op === "string" ? op.toLowerCase() : "";
      if (opName === "content-length-range") {
        const min = Number(a);
        const max = Number(b);
        if (c.length !== 3 || !Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
          return invalidPolicy("Invalid content-length-range condition.");
        }
        checks.push({ kind: "range", min, max });
      } else if ((opName === "eq" || opName === "starts-with") && c.length === 3) {
        if (typeof a !== "string" || !a.startsWith("$") || typeof b !== "string") {
          return invalidPolicy(`Invalid condition ${JSON.stringify(c)}.`);
        }
        const field = a.slice(1).toLowerCase();
        if (opName === "starts-with" && !CONDITION_FIELDS_STARTS_WITH_OK.test(field)) {
          return invalidPolicy(`Invalid Policy: starts-with is not allowed for ${field}.`);
        }
        checks.push({ kind: opName, field, value: b, source: c });
      } else {
        return invalidPolicy(`Invalid condition ${JSON.stringify(c)}.`);
      }
    } else if (c && typeof c === "object") {
      const entries = Object.entries(c as Record<string, unknown>);
      if (entries.length !== 1 || typeof entries[0]![1] !== "string") {
        return invalidPolicy(`Invalid condition ${JSON.stringify(c)}.`);
      }
      const [name, value] = entries[0] as [string, string];
      checks.push({ kind: "eq", field: name.toLowerCase(), value, source: ["eq", `$${name}`, value] });
    } else {
      return invalidPolicy(`Invalid condition ${JSON.stringify(c)}.`);
    }
  }
  return checks;
}

/** Verifies a browser POST upload's policy and signature, and every field against the policy. */
export async function verifyPostPolicy(
  input: VerifyPostInput,
  options: VerifyPostOptions,
): Promise<VerifyPostResult> {
  const fields = new Map<string, string>();
  for (const [name, value] of input.fields) {
    const lower = name.toLowerCase();
    if (!fields.has(lower)) fields.set(lower, value);
  }
  const policyB64 = fields.get("policy");
  const algorithm = fields.get("x-amz-algorithm");
  const credential = fields.get("x-amz-credential");
  const amzDate = fields.get("x-amz-date");
  const signature = fields.get("x-amz-signature");
  if (!policyB64 || !algorithm || !credential || !amzDate || !signature) {
    return fail(
      accessDenied(
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
      ),
    );
  }
  if (algorithm !== ALGORITHM)
    return fail(failure("InvalidArgument", 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"'));
  if (!parseAmzDate(amzDate)) {
    return fail(
      failure("InvalidArgument", "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""),
    );
  }
  const cred = parseCredential(credential);
  if (!cred)
    return fail(
      failure(
        "InvalidArgument",
        "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed.",
      ),
    );
  const problem = credentialProblem(cred, { region: options.region, service: "s3", amzDate });
  if (problem)
    return fail(
      failure("InvalidArgument", `Error parsing the X-Amz-Credential parameter; ${problem.message}`),
    );

  const found = await options.lookupSecret(cred.accessKeyId);
  const secret: SecretRecord | undefined = typeof found === "string" ? { secretAccessKey: found } : found;
  if (!secret) return fail(invalidAccessKeyId(cred.accessKeyId));
  const tokenProblem = sessionTokenProblem(
    cred.accessKeyId,
    secret,
    fields.get("x-amz-security-token"),
    options.now ?? new Date(),
  );
  if (tokenProblem) return fail(tokenProblem);
  const key = await signingKey(secret.secretAccessKey, cred.date, cred.region, "s3");
  const expected = await hmacSha256Hex(key, policyB64);
  if (!constantTimeEqual(expected, signature)) {
    const scope = credentialScope(cred.date, cred.region, "s3");
    return fail(signatureMismatch(cred.accessKeyId, policyB64, signature, `POST policy, scope ${scope}`));
  }

  const bytes = fromBase64(policyB64);
  let policy: { expiration?: unknown; conditions?: unknown };
  try {
    if (!bytes) throw new Error("not base64");
    policy = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return fail(invalidPolicy("Invalid JSON."));
  }
  if (!policy || typeof policy !== "object" || typeof policy.expiration !== "string") {
    return fail(invalidPolicy("Policy missing expiration."));
  }
  const expiresAt = new Date(policy.expiration);
  if (Number.isNaN(expiresAt.getTime())) return fail(invalidPolicy("Invalid 'expiration' value."));
  if (policy.conditions === undefined) return fail(invalidPolicy("Policy missing conditions."));
  const checks = parseConditions(policy.conditions);
  if (!Array.isArray(checks)) return fail(checks);
  if ((options.now ?? new Date()).getTime() > expiresAt.getTime()) {
    return fail(accessDenied("Invalid according to Policy: Policy expired."));
  }

  const keyTemplate = fields.get("key");
  if (keyTemplate === undefined) {
    return fail(
      failure(
        "InvalidArgument",
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
      ),
    );
  }
  // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal ${filename} placeholder in a POST key.
  const resolvedKey = keyTemplate.replaceAll("${filename}", input.fileName ?? "");
  fields.set("key", resolvedKey);
  const fieldValue = (field: string) => (field === "bucket" ? input.bucket : fields.get(field));

  let range: { min: number; max: number } | undefined;
  const covered = new Set<string>();
  for (const check of checks) {
    if (check.kind === "range") {
      range = { min: check.min, max: check.max };
      continue;
    }
    covered.add(check.field);
    const value = fieldValue(check.field) ?? "";
    const ok = check.kind === "eq" ? value === check.value : value.startsWith(check.value);
    if (!ok) return fail(policyFailed(check.source));
  }
  for (const name of fields.keys()) {
    if (EXEMPT.has(name) || name.startsWith("x-ignore-") || covered.has(name)) continue;
    return fail(accessDenied(`Invalid according to Policy: Extra input fields: ${name}`));
  }
  const post: VerifiedPost = {
    accessKeyId: cred.accessKeyId,
    key: resolvedKey,
    fields,
    expiresAt,
    signingKey: key,
  };
  if (range) post.contentLengthRange = range;
  return { ok: true, post };
}
