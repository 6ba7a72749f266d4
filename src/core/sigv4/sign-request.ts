import { UpgateError } from "../errors.js";
import {
  ALGORITHM,
  type Credentials,
  canonicalHeaders,
  canonicalRequest,
  credentialScope,
  signCanonical,
} from "./canonical.js";
import { type Bytes, type Data, sha256Hex } from "./crypto.js";
import { canonicalQuery } from "./encode.js";
import { type HeaderInput, headerMap } from "./headers.js";
import { signingKey } from "./signing-key.js";
import { resolveTarget } from "./target.js";
import { formatAmzDate } from "./time.js";
import { checkHeaderName, checkHeaderValue } from "./validate.js";

export interface SignRequestInput {
  method: string;
  url: string;
  headers?: HeaderInput;
  /** Hashed for x-amz-content-sha256 unless payloadHash is given. */
  body?: Data;
  /** A hex SHA-256, UNSIGNED-PAYLOAD, or one of the STREAMING-* modes. */
  payloadHash?: string;
  region: string;
  credentials: Credentials;
  /** Defaults to "s3". */
  service?: string;
  /**
   * Remove dot segments and empty segments from the path before signing, as generic SigV4 services
   * do. Defaults to true for services other than s3; S3 never normalizes (keep it off for S3).
   */
  normalizePath?: boolean;
  date?: Date;
  /** Names (lower-case) to leave out of the signature, such as user-agent. */
  unsignedHeaders?: readonly string[];
  /** Send x-amz-content-sha256 (S3 requires it). Defaults to true for s3, false otherwise. */
  contentSha256Header?: boolean;
}

/** What chunked-payload signing continues from: the seed signature and its scope and key. */
export interface ChunkSigningContext {
  amzDate: string;
  scope: string;
  signingKey: Bytes;
  seedSignature: string;
}

export interface SignedRequest {
  method: string;
  url: string;
  /** The request's headers plus authorization, x-amz-date, x-amz-content-sha256 and the token. */
  headers: Record<string, string>;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
  chunkSigning: ChunkSigningContext;
}

/** Authorization-header SigV4, as SDK clients send. */
export async function signRequest(input: SignRequestInput): Promise<SignedRequest> {
  const { method, region, credentials } = input;
  const service = input.service ?? "s3";
  if (!/^[A-Z]+$/.test(method)) {
    throw new UpgateError(
      "SIGN_INVALID_INPUT",
      `method must be an upper-case HTTP method, got ${JSON.stringify(method)}`,
    );
  }
  const target = resolveTarget({ url: input.url }, input.normalizePath ?? service !== "s3");
  const date = input.date ?? new Date();
  const amzDate = formatAmzDate(date);
  const given = headerMap(input.headers);
  for (const [name, value] of given) {
    checkHeaderName(name);
    checkHeaderValue(name, value);
  }
  const payloadHash = input.payloadHash ?? (await sha256Hex(input.body ?? ""));
  const all = new Map(given);
  if (!all.has("host")) all.set("host", target.host);
  all.set("x-amz-date", amzDate);
  if (input.contentSha256Header ?? service === "s3") all.set("x-amz-content-sha256", payloadHash);
  if (credentials.sessionToken) all.set("x-amz-security-token", credentials.sessionToken);

  const skip = new Set(input.unsignedHeaders ?? []);
  const names = [...all.keys()].filter((n) => !skip.has(n)).sort();
  const { canonical, signed } = canonicalHeaders(all, names);
  const creq = canonicalRequest(
    method,
    target.canonicalPath,
    canonicalQuery(target.query),
    canonical,
    signed,
    payloadHash,
  );
  const parts = await signCanonical(creq, amzDate, region, service, credentials.secretAccessKey);
  const scope = credentialScope(amzDate.slice(0, 8), region, service);

  const headers: Record<string, string> = {};
  for (const [name, value] of all) if (name !== "host" || given.has("host")) headers[name] = value;
  headers.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${parts.signature}`;
  return {
    method,
    url: input.url,
    headers,
    signature: parts.signature,
    canonicalRequest: parts.canonicalRequest,
    stringToSign: parts.stringToSign,
    chunkSigning: {
      amzDate,
      scope,
      signingKey: await signingKey(credentials.secretAccessKey, amzDate.slice(0, 8), region, service),
      seedSignature: parts.signature,
    },
  };
}
