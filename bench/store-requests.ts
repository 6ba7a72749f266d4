/**
 * The requests bench:store sends to each server. Ours and s3rver get presigned URLs from upgate's
 * presignUrl (content-type, content-length and x-amz-checksum-sha256 signed; s3rver with its built-in
 * account), which ours verifies in full, body checksum included. The floor gets bare URLs.
 */
import { presignUrl } from "../src/core/sigv4/presign.js";
import type { HttpRequest } from "./store-client.js";
import {
  BENCH_BUCKET,
  BENCH_CREDENTIALS,
  BENCH_REGION,
  S3RVER_CREDENTIALS,
  type ServerKind,
} from "./store-config.js";

export interface RequestMaker {
  put(key: string, size: number, sha256Base64: string): Promise<HttpRequest>;
  get(key: string): Promise<HttpRequest>;
}

const CONTENT_TYPE = "application/octet-stream";
const EXPIRES_SECONDS = 3600;

export function requestsFor(kind: ServerKind, endpoint: string): RequestMaker {
  const urlOf = (key: string) => `${endpoint}/${BENCH_BUCKET}/${key}`;
  if (kind === "floor") {
    return {
      put: async (key) => ({ url: urlOf(key), headers: { "content-type": CONTENT_TYPE } }),
      get: async (key) => ({ url: urlOf(key), headers: {} }),
    };
  }
  const credentials = kind === "ours" ? BENCH_CREDENTIALS : S3RVER_CREDENTIALS;
  const presign = async (method: string, key: string, headers: Record<string, string | number>) => {
    const signed = await presignUrl({
      url: urlOf(key),
      method,
      region: BENCH_REGION,
      credentials,
      expiresIn: EXPIRES_SECONDS,
      headers,
    });
    return { url: signed.url, headers: signed.headers };
  };
  return {
    put: (key, size, sha256Base64) =>
      presign("PUT", key, {
        "content-type": CONTENT_TYPE,
        "content-length": size,
        "x-amz-checksum-sha256": sha256Base64,
      }),
    get: (key) => presign("GET", key, {}),
  };
}
