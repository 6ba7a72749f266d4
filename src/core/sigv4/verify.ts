import {
  ALGORITHM,
  canonicalHeaders,
  canonicalRequest,
  credentialScope,
  STREAMING_PAYLOAD,
  STREAMING_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
  signCanonical,
  UNSIGNED_PAYLOAD,
} from "./canonical.js";
import { type CredentialParts, credentialProblem, parseCredential } from "./credential.js";
import { type Bytes, constantTimeEqual, type MaybePromise } from "./crypto.js";
import {
  canonicalQuery,
  decodeComponent,
  encodePath,
  parseQuery,
  type QueryPairs,
  splitTarget,
} from "./encode.js";
import {
  accessDenied,
  failure,
  headerMalformed,
  headersNotSigned,
  invalidAccessKeyId,
  queryParamsError,
  type SigV4Failure,
  sessionTokenProblem,
  signatureMismatch,
} from "./failure.js";
import { type HeaderInput, headerMap } from "./headers.js";
import { MAX_EXPIRES_SECONDS } from "./presign.js";
import { signingKey } from "./signing-key.js";
import { isoSeconds, parseAmzDate, parseHttpDate } from "./time.js";

export interface VerifyRequestInput {
  method: string;
  /** The request target as received: "/bucket/key?query" (an absolute URL is accepted too). */
  url: string;
  /** Prefer raw pairs (Node's rawHeaders) so repeated headers join exactly as signed. */
  headers: HeaderInput;
  /**
   * The hex SHA-256 of a body already read, for services other than S3 whose clients sign the body
   * without sending x-amz-content-sha256 (STS). Without either, the payload counts as UNSIGNED-PAYLOAD.
   */
  payloadHash?: string;
}

export interface SecretRecord {
  secretAccessKey: string;
  /** Temporary credentials: the token every request must carry (else InvalidAccessKeyId or InvalidToken). */
  sessionToken?: string;
  /** Temporary credentials: when the token stops working (ExpiredToken from then on). */
  expiration?: Date;
}
/** Access key id to secret; undefined when the key is unknown. */
export type SecretLookup = (accessKeyId: string) => MaybePromise<SecretRecord | string | undefined>;

export interface VerifyOptions {
  region: string;
  service?: string;
  lookupSecret: SecretLookup;
  now?: Date;
  /** Allowed clock difference; S3 allows 15 minutes. */
  maxSkewMs?: number;
}

export interface VerifiedAuth {
  type: "query" | "header";
  accessKeyId: string;
  scope: { date: string; region: string; service: string; value: string };
  amzDate: string;
  date: Date;
  signedHeaders: string[];
  signature: string;
  /** A hex SHA-256 the body must match, UNSIGNED-PAYLOAD, or a STREAMING-* mode. */
  payloadHash: string;
  signingKey: Bytes;
  /** Presigned URLs only. */
  expiresAt?: Date;
  /** Query parameters other than the X-Amz-* auth ones (hoisted x-amz-meta-*, partNumber, ...). */
  query: QueryPairs;
  headers: Map<string, string>;
}

export type VerifyResult = { ok: true; auth: VerifiedAuth } | { ok: false; error: SigV4Failure };

export const MAX_SKEW_MS = 15 * 60 * 1000;
/** The query-string authentication parameters of a presigned URL. */
export const AUTH_PARAMS: ReadonlySet<string> = new Set([
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-SignedHeaders",
  "X-Amz-Signature",
  "X-Amz-Security-Token",
]);
const PAYLOAD_MODES = new Set([
  UNSIGNED_PAYLOAD,
  STREAMING_PAYLOAD,
  STREAMING_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
]);
const HEX64 = /^[0-9a-f]{64}$/;

const fail = (error: SigV4Failure): VerifyResult => ({ ok: false, error });

function stripOrigin(url: string): string {
  const scheme = url.indexOf("://");
  if (scheme === -1 || scheme > url.indexOf("/")) return url;
  const rest = url.slice(scheme + 3);
  const slash = rest.search(/[/?]/);
  return slash === -1 ? "/" : rest.slice(slash);
}

interface ParsedTarget {
  canonicalPath: string;
  pairs: QueryPairs;
}

function parseTarget(url: string): ParsedTarget | SigV4Failure {
  const { path, query } = splitTarget(stripOrigin(url));
  const decoded = decodeComponent(path || "/");
  const pairs = parseQuery(query);
  if (decoded === undefined || pairs === undefined)
    return failure("InvalidURI", "Couldn't parse the specified URI.");
  return { canonicalPath: encodePath(decoded), pairs };
}

async function lookup(options: VerifyOptions, accessKeyId: string): Promise<SecretRecord | undefined> {
  const found = await options.lookupSecret(accessKeyId);
  return typeof found === "string" ? { secretAccessKey: found } : found;
}

/** Every x-amz-* header sent must be signed; x-amz-content-sha256 is tolerated unsigned, as on S3. */
function unsignedAmzHeaders(headers: Map<string, string>, signed: readonly string[]): string[] {
  const set = new Set(signed);
  const out: string[] = [];
  for (const name of headers.keys()) {
    if (name.startsWith("x-amz-") && name !== "x-amz-content-sha256" && !set.has(name)) out.push(name);
  }
  return out;
}

interface CheckInput {
  type: "query" | "header";
  method: string;
  target: ParsedTarget;
  headers: Map<string, string>;
  cred: CredentialParts;
  amzDate: string;
  date: Date;
  signedHeaders: string[];
  signature: string;
  payloadHash: string;
  queryForSignature: QueryPairs;
  otherQuery: QueryPairs;
  token: string | undefined;
  expiresAt?: Date;
}

async function checkSignature(c: CheckInput, options: VerifyOptions, service: string): Promise<VerifyResult> {
  const secret = await lookup(options, c.cred.accessKeyId);
  if (!secret) return fail(invalidAccessKeyId(c.cred.accessKeyId));
  const tokenProblem = sessionTokenProblem(c.cred.accessKeyId, secret, c.token, options.now ?? new Date());
  if (tokenProblem) return fail(tokenProblem);
  const unsigned = unsignedAmzHeaders(c.headers, c.signedHeaders);
  if (!c.signedHeaders.includes("host")) unsigned.unshift("host");
  if (unsigned.length > 0) return fail(headersNotSigned(unsigned));

  const { canonical, signed } = canonicalHeaders(c.headers, c.signedHeaders);
  const creq = canonicalRequest(
    c.method,
    c.target.canonicalPath,
    canonicalQuery(c.queryForSignature),
    canonical,
    signed,
    c.payloadHash,
  );
  const parts = await signCanonical(creq, c.amzDate, c.cred.region, service, secret.secretAccessKey);
  if (!constantTimeEqual(parts.signature, c.signature)) {
    return fail(
      signatureMismatch(c.cred.accessKeyId, parts.stringToSign, c.signature, parts.canonicalRequest),
    );
  }
  const auth: VerifiedAuth = {
    type: c.type,
    accessKeyId: c.cred.accessKeyId,
    scope: {
      date: c.cred.date,
      region: c.cred.region,
      service,
      value: credentialScope(c.cred.date, c.cred.region, service),
    },
    amzDate: c.amzDate,
    date: c.date,
    signedHeaders: c.signedHeaders,
    signature: c.signature,
    payloadHash: c.payloadHash,
    signingKey: await signingKey(secret.secretAccessKey, c.cred.date, c.cred.region, service),
    query: c.otherQuery,
    headers: c.headers,
  };
  if (c.expiresAt) auth.expiresAt = c.expiresAt;
  return { ok: true, auth };
}

/** Verifies query-string (presigned URL) authentication. */
export async function verifyPresignedUrl(
  req: VerifyRequestInput,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const target = parseTarget(req.url);
  if ("code" in target) return fail(target);
  const service = options.service ?? "s3";
  const params = new Map<string, string>();
  const other: QueryPairs = [];
  for (const [k, v] of target.pairs) {
    if (AUTH_PARAMS.has(k)) params.set(k, v);
    else other.push([k, v]);
  }
  const algorithm = params.get("X-Amz-Algorithm");
  const credential = params.get("X-Amz-Credential");
  const amzDate = params.get("X-Amz-Date");
  const expires = params.get("X-Amz-Expires");
  const signedHeaderList = params.get("X-Amz-SignedHeaders");
  const signature = params.get("X-Amz-Signature");
  if (!algorithm || !credential || !amzDate || expires === undefined || !signedHeaderList || !signature) {
    return fail(
      queryParamsError(
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
      ),
    );
  }
  if (algorithm !== ALGORITHM)
    return fail(queryParamsError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"'));
  const date = parseAmzDate(amzDate);
  if (!date) {
    return fail(queryParamsError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""));
  }
  const cred = parseCredential(credential);
  if (!cred) {
    return fail(
      queryParamsError(
        'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
      ),
    );
  }
  const problem = credentialProblem(cred, { region: options.region, service, amzDate });
  if (problem) {
    return fail(
      queryParamsError(
        `Error parsing the X-Amz-Credential parameter; ${problem.message}`,
        problem.region ? [["Region", problem.region]] : [],
      ),
    );
  }
  if (!/^-?\d+$/.test(expires)) return fail(queryParamsError("X-Amz-Expires should be a number"));
  const expiresIn = Number(expires);
  if (expiresIn < 0) return fail(queryParamsError("X-Amz-Expires must be non-negative"));
  if (expiresIn > MAX_EXPIRES_SECONDS) {
    return fail(
      queryParamsError(
        "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds",
      ),
    );
  }
  const now = options.now ?? new Date();
  if (date.getTime() - now.getTime() > (options.maxSkewMs ?? MAX_SKEW_MS)) {
    return fail(accessDenied("Request is not valid yet"));
  }
  const expiresAt = new Date(date.getTime() + expiresIn * 1000);
  if (now.getTime() > expiresAt.getTime()) {
    return fail(
      accessDenied("Request has expired", [
        ["X-Amz-Expires", expires],
        ["Expires", isoSeconds(expiresAt)],
        ["ServerTime", isoSeconds(now)],
      ]),
    );
  }
  const headers = headerMap(req.headers);
  const queryForSignature = target.pairs.filter(([k]) => k !== "X-Amz-Signature");
  return checkSignature(
    {
      type: "query",
      method: req.method,
      target,
      headers,
      cred,
      amzDate,
      date,
      signedHeaders: signedHeaderList.split(";"),
      signature,
      payloadHash: other.find(([k]) => k === "X-Amz-Content-Sha256")?.[1] ?? UNSIGNED_PAYLOAD,
      queryForSignature,
      otherQuery: other,
      token: params.get("X-Amz-Security-Token"),
      expiresAt,
    },
    options,
    service,
  );
}

const AUTH_HEADER = /^AWS4-HMAC-SHA256 (.*)$/;

function parseAuthorization(value: string): Map<string, string> | undefined {
  const m = AUTH_HEADER.exec(value);
  if (!m) return undefined;
  const fields = new Map<string, string>();
  for (const part of m[1]!.split(",")) {
    const item = part.trim();
    const eq = item.indexOf("=");
    if (eq <= 0) return undefined;
    fields.set(item.slice(0, eq), item.slice(eq + 1));
  }
  return fields;
}

/** Verifies Authorization-header authentication. */
export async function verifyAuthorizationHeader(
  req: VerifyRequestInput,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const target = parseTarget(req.url);
  if ("code" in target) return fail(target);
  const service = options.service ?? "s3";
  const headers = headerMap(req.headers);
  const authorization = headers.get("authorization") ?? "";
  if (authorization.startsWith("AWS4-ECDSA-P256-SHA256")) {
    return fail(
      failure("InvalidArgument", "SigV4a (AWS4-ECDSA-P256-SHA256) is not supported by this endpoint"),
    );
  }
  if (!authorization.startsWith("AWS4-HMAC-SHA256 ")) {
    return fail(
      failure("InvalidArgument", "Unsupported Authorization Type", [["ArgumentName", "Authorization"]]),
    );
  }
  const fields = parseAuthorization(authorization);
  const credential = fields?.get("Credential");
  const signedHeaderList = fields?.get("SignedHeaders");
  const signature = fields?.get("Signature");
  if (!fields || !credential || !signedHeaderList || !signature) {
    return fail(headerMalformed("the Credential, SignedHeaders and Signature components are required."));
  }
  const amzDate = headers.get("x-amz-date");
  const httpDate = headers.get("date");
  const date =
    amzDate !== undefined
      ? parseAmzDate(amzDate)
      : httpDate !== undefined
        ? parseHttpDate(httpDate)
        : undefined;
  if (!date) return fail(accessDenied("AWS authentication requires a valid Date or x-amz-date header"));
  const stsDate = amzDate ?? `${date.toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;
  const cred = parseCredential(credential);
  if (!cred) {
    return fail(
      headerMalformed(
        `the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
      ),
    );
  }
  const problem = credentialProblem(cred, { region: options.region, service, amzDate: stsDate });
  if (problem)
    return fail(headerMalformed(problem.message, problem.region ? [["Region", problem.region]] : []));
  const now = options.now ?? new Date();
  const maxSkew = options.maxSkewMs ?? MAX_SKEW_MS;
  if (Math.abs(now.getTime() - date.getTime()) > maxSkew) {
    return fail(
      failure(
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
        [
          ["RequestTime", amzDate ?? httpDate ?? ""],
          ["ServerTime", isoSeconds(now)],
          ["MaxAllowedSkewMilliseconds", String(maxSkew)],
        ],
      ),
    );
  }
  const payloadHash = headers.get("x-amz-content-sha256");
  if (service === "s3" && payloadHash === undefined) {
    return fail(failure("InvalidRequest", "Missing required header for this request: x-amz-content-sha256"));
  }
  if (payloadHash !== undefined && !HEX64.test(payloadHash) && !PAYLOAD_MODES.has(payloadHash)) {
    return fail(
      failure(
        "InvalidArgument",
        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-UNSIGNED-PAYLOAD-TRAILER, or a valid sha256 value.",
        [["ArgumentName", "x-amz-content-sha256"]],
      ),
    );
  }
  return checkSignature(
    {
      type: "header",
      method: req.method,
      target,
      headers,
      cred,
      amzDate: stsDate,
      date,
      signedHeaders: signedHeaderList.split(";"),
      signature,
      payloadHash: payloadHash ?? req.payloadHash ?? UNSIGNED_PAYLOAD,
      queryForSignature: target.pairs,
      otherQuery: target.pairs,
      token: headers.get("x-amz-security-token"),
    },
    options,
    service,
  );
}

export type AuthKind = "query" | "header" | "anonymous" | "ambiguous";

/** How a request claims to be authenticated. */
export function authKind(req: VerifyRequestInput): AuthKind {
  const { query } = splitTarget(stripOrigin(req.url));
  const inQuery = /(^|&)X-Amz-(Algorithm|Credential|Signature)=/.test(query);
  const inHeader = headerMap(req.headers).has("authorization");
  if (inQuery && inHeader) return "ambiguous";
  return inQuery ? "query" : inHeader ? "header" : "anonymous";
}

/** Verifies whichever SigV4 method the request uses. Anonymous requests are refused. */
export async function verifyRequest(req: VerifyRequestInput, options: VerifyOptions): Promise<VerifyResult> {
  switch (authKind(req)) {
    case "query":
      return verifyPresignedUrl(req, options);
    case "header":
      return verifyAuthorizationHeader(req, options);
    case "ambiguous":
      return fail(
        failure(
          "InvalidArgument",
          "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
          [["ArgumentName", "Authorization"]],
        ),
      );
    default:
      return fail(accessDenied("Access Denied"));
  }
}
