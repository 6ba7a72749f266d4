import { UpgateError } from "../errors.js";
import {
  ALGORITHM,
  type Credentials,
  canonicalHeaders,
  canonicalRequest,
  credentialScope,
  signCanonical,
  UNSIGNED_PAYLOAD,
} from "./canonical.js";
import { canonicalQuery, type QueryPairs } from "./encode.js";
import { resolveTarget, type Target } from "./target.js";
import { formatAmzDate } from "./time.js";
import { checkHeaderName, checkHeaderValue } from "./validate.js";

export const MAX_EXPIRES_SECONDS = 604_800;

export type PresignInput = Target & {
  method: string;
  region: string;
  credentials: Credentials;
  /** Seconds, 1 to 604800 (S3's limit). */
  expiresIn: number;
  /** Headers the client will send; every one is signed. */
  headers?: Record<string, string | number>;
  /** Extra query parameters (partNumber, uploadId, response-content-disposition, ...), all signed. */
  query?: Record<string, string | number>;
  date?: Date;
  /** Defaults to "s3". */
  service?: string;
  /** Defaults to UNSIGNED-PAYLOAD, as S3 presigned URLs use. */
  payloadHash?: string;
  /** Move the headers S3 honours in the query (x-amz-meta-*, x-amz-acl, x-amz-storage-class) there. Default true. */
  hoistHeaders?: boolean;
};

export interface PresignedRequest {
  method: string;
  url: string;
  /** Send exactly these (host and content-length are set by the HTTP client itself). */
  headers: Record<string, string>;
  expiresAt: Date;
  signedHeaders: string[];
}

/**
 * Headers S3 honours as query parameters. Everything else stays a signed header: S3 ignores
 * x-amz-checksum-* and x-amz-tagging in the query, and conditionals and content-* only work as headers.
 */
export function isHoistable(name: string): boolean {
  return name.startsWith("x-amz-meta-") || name === "x-amz-acl" || name === "x-amz-storage-class";
}

export async function presignUrl(input: PresignInput): Promise<PresignedRequest> {
  const p = prepare(input);
  const parts = signCanonical(p.creq, p.amzDate, input.region, p.service, input.credentials.secretAccessKey);
  return finish(p, (parts instanceof Promise ? await parts : parts).signature);
}

interface Prepared {
  method: string;
  origin: string;
  path: string;
  creq: string;
  query: string;
  headers: Record<string, string>;
  signedHeaders: string[];
  amzDate: string;
  service: string;
  expiresAt: Date;
}

function prepare(input: PresignInput): Prepared {
  const { method, region, credentials, expiresIn } = input;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_SECONDS) {
    throw new UpgateError(
      "SIGN_INVALID_INPUT",
      `expiresIn must be a whole number of seconds from 1 to ${MAX_EXPIRES_SECONDS}`,
      {
        details: { expiresIn },
      },
    );
  }
  if (!/^[A-Z]+$/.test(method)) {
    throw new UpgateError(
      "SIGN_INVALID_INPUT",
      `method must be an upper-case HTTP method, got ${JSON.stringify(method)}`,
    );
  }
  if (!region || !credentials?.accessKeyId || !credentials.secretAccessKey) {
    throw new UpgateError(
      "SIGN_INVALID_INPUT",
      "region and credentials (accessKeyId, secretAccessKey) are required",
    );
  }
  const service = input.service ?? "s3";
  const target = resolveTarget(input, service !== "s3");
  const date = input.date ?? new Date();
  const amzDate = formatAmzDate(date);
  const hoist = input.hoistHeaders !== false;

  const headerMap = new Map<string, string>([["host", target.host]]);
  const headers: Record<string, string> = {};
  const pairs: QueryPairs = target.query.slice();
  if (input.query) for (const name in input.query) pairs.push([name, String(input.query[name])]);
  if (input.headers) {
    for (const rawName in input.headers) {
      const name = rawName.toLowerCase();
      const value = String(input.headers[rawName]);
      checkHeaderName(name);
      checkHeaderValue(name, value);
      if (name === "host") {
        headerMap.set("host", value);
      } else if (hoist && isHoistable(name)) {
        pairs.push([name, value]);
      } else {
        headerMap.set(name, value);
        headers[name] = value;
      }
    }
  }
  const signedHeaders = [...headerMap.keys()].sort();
  const { canonical, signed } = canonicalHeaders(headerMap, signedHeaders);
  pairs.push(
    ["X-Amz-Algorithm", ALGORITHM],
    [
      "X-Amz-Credential",
      `${credentials.accessKeyId}/${credentialScope(amzDate.slice(0, 8), region, service)}`,
    ],
    ["X-Amz-Date", amzDate],
    ["X-Amz-Expires", String(expiresIn)],
    ["X-Amz-SignedHeaders", signed],
  );
  if (credentials.sessionToken) pairs.push(["X-Amz-Security-Token", credentials.sessionToken]);
  const query = canonicalQuery(pairs);
  const creq = canonicalRequest(
    method,
    target.canonicalPath,
    query,
    canonical,
    signed,
    input.payloadHash ?? UNSIGNED_PAYLOAD,
  );
  return {
    method,
    origin: target.origin,
    path: target.urlPath,
    creq,
    query,
    headers,
    signedHeaders,
    amzDate,
    service,
    expiresAt: new Date(date.getTime() + expiresIn * 1000),
  };
}

function finish(p: Prepared, signature: string): PresignedRequest {
  return {
    method: p.method,
    url: `${p.origin}${p.path}?${p.query}&X-Amz-Signature=${signature}`,
    headers: p.headers,
    expiresAt: p.expiresAt,
    signedHeaders: p.signedHeaders,
  };
}
