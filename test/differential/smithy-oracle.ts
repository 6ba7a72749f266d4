import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { rfc3986, rfc3986Path } from "../support/rfc3986.js";
import { hoistedBySpec, type PresignInput, virtualHosted } from "../support/sigv4-arbitraries.js";

export interface PresignCase extends PresignInput {
  /**
   * How smithy gets UNSIGNED-PAYLOAD: "body" gives it an unhashable body (no parameter anywhere);
   * "header" sends X-Amz-Content-Sha256, which smithy hoists into the query as the S3 presigner does.
   */
  payload: "body" | "header";
}

export interface ExpectedUrl {
  /** Origin and encoded path, exactly as the URL must start. */
  base: string;
  /** Every `name=value` of the query, encoded, sorted. */
  pieces: string[];
  signature: string;
  signedHeaders: string;
  /** The headers that stay headers (not hoisted), lower-case. */
  headers: Record<string, string>;
}

/**
 * What @smithy/signature-v4 produces for the case, configured to sign every header we sign and to
 * hoist exactly the headers upgate hoists. The path is S3-encoded here (uriEscapePath: false), the
 * way @aws-sdk/s3-request-presigner does it.
 */
export async function smithyPresign(c: PresignCase): Promise<ExpectedUrl> {
  const u = new URL(c.endpoint);
  const virtual = virtualHosted(c.endpoint, c.bucket, c.forcePathStyle);
  const hostname = virtual ? `${c.bucket}.${u.hostname}` : u.hostname;
  const host = u.port ? `${hostname}:${u.port}` : hostname;
  const base = u.pathname.replace(/\/+$/, "");
  const path = virtual
    ? `${base}/${rfc3986Path(c.key)}`
    : `${base}/${rfc3986(c.bucket)}/${rfc3986Path(c.key)}`;

  const headers: Record<string, string> = { host };
  for (const [name, value] of c.headers) headers[name] = value;
  if (c.payload === "header") headers["X-Amz-Content-Sha256"] = "UNSIGNED-PAYLOAD";
  const request = new HttpRequest({
    method: c.method,
    protocol: u.protocol,
    hostname,
    ...(u.port ? { port: Number(u.port) } : {}),
    path,
    query: Object.fromEntries(c.query),
    headers,
    // Not a string or buffer, so smithy's payload hash is UNSIGNED-PAYLOAD without a header.
    ...(c.payload === "body" ? { body: new ReadableStream() } : {}),
  });

  const names = c.headers.map(([n]) => n);
  const signer = new SignatureV4({
    service: "s3",
    region: c.region,
    credentials: c.credentials,
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.presign(request, {
    signingDate: c.date,
    expiresIn: c.expiresIn,
    unhoistableHeaders: new Set(names.filter((n) => n.startsWith("x-amz-") && !hoistedBySpec(n))),
    hoistableHeaders: new Set(names.filter(hoistedBySpec)),
    signableHeaders: new Set(names.filter((n) => !n.startsWith("x-amz-"))),
  });

  const query = signed.query as Record<string, string>;
  const kept: Record<string, string> = {};
  for (const [name, value] of c.headers) if (!hoistedBySpec(name)) kept[name] = value;
  return {
    base: `${u.protocol}//${host}${path}`,
    pieces: Object.entries(query)
      .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
      .sort(),
    signature: query["X-Amz-Signature"]!,
    signedHeaders: query["X-Amz-SignedHeaders"]!,
    headers: kept,
  };
}
