/** The credential a request carries, read from its headers; never validated here. */
export type Credential =
  | { kind: "bearer"; token: string }
  | { kind: "api-key"; key: string }
  | { kind: "malformed"; reason: string };

const BEARER = /^Bearer[ \t]+([^\s,]+)[ \t]*$/i;

/** `Authorization: Bearer <token>` or `x-api-key: <key>`; undefined when the request has neither. */
export function readCredential(request: { headers: Headers }): Credential | undefined {
  const authorization = request.headers.get("authorization");
  const apiKey = request.headers.get("x-api-key");
  if (authorization !== null && apiKey !== null) {
    return { kind: "malformed", reason: "send one credential: Authorization or x-api-key, not both" };
  }
  if (apiKey !== null) {
    const key = apiKey.trim();
    return key ? { kind: "api-key", key } : { kind: "malformed", reason: "the x-api-key header is empty" };
  }
  if (authorization === null) return undefined;
  const match = BEARER.exec(authorization);
  if (!match) return { kind: "malformed", reason: "use Authorization: Bearer <token>" };
  return { kind: "bearer", token: match[1]! };
}

/** Three base64url segments, the first (the header) always starting "eyJ": a JWS compact token. */
export function looksLikeJwt(token: string): boolean {
  return /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(token);
}
