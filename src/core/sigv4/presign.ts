import { UpgateError } from "../errors.js";
import {
  ALGORITHM,
  type Credentials,
  canonicalHeaders,
  canonicalRequest,
  type SignatureParts,
  signCanonical,
  UNSIGNED_PAYLOAD,
} from "./canonical.js";
import { encodePair, joinEncodedQuery, type QueryPairs, uriEncode } from "./encode.js";
import { compareStrings, sortSmall } from "./sort.js";
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
  /**
   * Remove dot segments and empty segments from the path before signing, as generic SigV4 services
   * do. Defaults to true for services other than s3; S3 never normalizes (keep it off for S3).
   */
  normalizePath?: boolean;
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
  signature: string;
  /** What was signed, for explaining a SignatureDoesNotMatch. */
  canonicalRequest: string;
  stringToSign: string;
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
  return finish(p, parts instanceof Promise ? await parts : parts);
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
  const target = resolveTarget(input, input.normalizePath ?? service !== "s3");
  const date = input.date ?? new Date();
  const amzDate = formatAmzDate(date);
  const hoist = input.hoistHeaders !== false;

  const headerMap = new Map<string, string>([["host", target.host]]);
  const names = ["host"];
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
        if (!headerMap.has(name)) names.push(name);
        headerMap.set(name, value);
        headers[name] = value;
      }
    }
  }
  const signedHeaders = sortSmall(names, compareStrings);
  const { canonical, signed } = canonicalHeaders(headerMap, signedHeaders);
  // The auth parameters are encoded piece by piece: "/" and ";" are their only reserved characters,
  // which spares encodeURIComponent on every URL. Percent-encoding works per character, so this
  // gives the same bytes as encoding the joined values.
  const encoded = pairs.map(encodePair);
  let signedEncoded = uriEncode(signedHeaders[0]!);
  for (let i = 1; i < signedHeaders.length; i++) signedEncoded += `%3B${uriEncode(signedHeaders[i]!)}`;
  encoded.push(
    ["X-Amz-Algorithm", ALGORITHM],
    [
      "X-Amz-Credential",
      `${uriEncode(credentials.accessKeyId)}%2F${uriEncode(amzDate.slice(0, 8))}%2F${uriEncode(region)}%2F${uriEncode(service)}%2Faws4_request`,
    ],
    ["X-Amz-Date", uriEncode(amzDate)],
    ["X-Amz-Expires", String(expiresIn)],
    ["X-Amz-SignedHeaders", signedEncoded],
  );
  if (credentials.sessionToken) encoded.push(["X-Amz-Security-Token", uriEncode(credentials.sessionToken)]);
  const query = joinEncodedQuery(encoded);
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

function finish(p: Prepared, parts: SignatureParts): PresignedRequest {
  return {
    method: p.method,
    url: `${p.origin}${p.path}?${p.query}&X-Amz-Signature=${parts.signature}`,
    headers: p.headers,
    expiresAt: p.expiresAt,
    signedHeaders: p.signedHeaders,
    signature: parts.signature,
    canonicalRequest: parts.canonicalRequest,
    stringToSign: parts.stringToSign,
  };
}
