import { signRequest } from "../../src/core/sigv4/sign-request.js";

/** Who signs and where to: a StoreFixture fits. */
export interface SigningTarget {
  url: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * A fetch signed with an Authorization header (our core signer, real body hash), for requests the
 * SDK will not send as such. `path` is the encoded path and query, e.g. "/bucket/key?uploads".
 */
export async function signedFetch(
  target: SigningTarget,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<Response> {
  const url = `${target.url}${path}`;
  const signed = await signRequest({
    method,
    url,
    headers: init.headers ?? {},
    body: init.body ?? "",
    region: target.region,
    credentials: target.credentials,
  });
  return fetch(url, { method, headers: signed.headers, body: init.body });
}
