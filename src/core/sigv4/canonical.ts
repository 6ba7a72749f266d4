import { hmacSha256Hex, type MaybePromise, sha256Hex } from "./crypto.js";
import { signingKey } from "./signing-key.js";

export const ALGORITHM = "AWS4-HMAC-SHA256";
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
export const STREAMING_PAYLOAD = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
export const STREAMING_PAYLOAD_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
export const STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** SigV4 whitespace is SP and HTAB only (smithy, aws-c-auth, Go), never JS's Unicode-aware \s. */
const SPACE = /[ \t]/;

/**
 * Header value canonical form: runs of spaces and tabs folded to one space, then trimmed. JS `\s`
 * and trim() would also eat U+00A0 and other Unicode spaces, which arrive as Latin-1 header bytes
 * and which the JS (smithy), Go and CRT signers keep as they are.
 */
export function canonicalHeaderValue(value: string): string {
  return SPACE.test(value) ? value.replace(/[ \t]+/g, " ").replace(/^ | $/g, "") : value;
}

/**
 * Canonical headers and the signed-header list from lower-case names to values.
 * Repeated headers must already be joined with ",".
 */
export function canonicalHeaders(
  headers: ReadonlyMap<string, string>,
  names: readonly string[],
): { canonical: string; signed: string } {
  let canonical = "";
  for (const name of names) canonical += `${name}:${canonicalHeaderValue(headers.get(name) ?? "")}\n`;
  return { canonical, signed: names.join(";") };
}

export function canonicalRequest(
  method: string,
  canonicalUri: string,
  canonicalQueryString: string,
  canonicalHeadersBlock: string,
  signedHeaders: string,
  payloadHash: string,
): string {
  return `${method}\n${canonicalUri}\n${canonicalQueryString}\n${canonicalHeadersBlock}\n${signedHeaders}\n${payloadHash}`;
}

export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/aws4_request`;
}

export function stringToSign(amzDate: string, scope: string, canonicalRequestHash: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${canonicalRequestHash}`;
}

export interface SignatureParts {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/** Hashes the canonical request, builds the string to sign and signs it with the cached key. */
export function signCanonical(
  creq: string,
  amzDate: string,
  region: string,
  service: string,
  secret: string,
): MaybePromise<SignatureParts> {
  const date = amzDate.slice(0, 8);
  const scope = credentialScope(date, region, service);
  const hash = sha256Hex(creq);
  const key = signingKey(secret, date, region, service);
  if (typeof hash === "string" && !(key instanceof Promise)) {
    const sts = stringToSign(amzDate, scope, hash);
    const signature = hmacSha256Hex(key, sts);
    if (typeof signature === "string") return { canonicalRequest: creq, stringToSign: sts, signature };
  }
  return (async () => {
    const sts = stringToSign(amzDate, scope, await hash);
    return { canonicalRequest: creq, stringToSign: sts, signature: await hmacSha256Hex(await key, sts) };
  })();
}
