import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from "jose";

export interface JwksServer {
  /** http://127.0.0.1:<port>/jwks.json */
  url: string;
  issuer: string;
  /** The RSA key the JWKS publishes (kid "key-1"). */
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
  publicJwk: JWK;
  publicPem: string;
  /** Signs an RS256 token with the published key, as the identity provider would. */
  sign(
    claims: Record<string, unknown>,
    options?: {
      subject?: string;
      audience?: string;
      issuer?: string;
      expiresIn?: string | number;
      kid?: string;
    },
  ): Promise<string>;
  /** Requests served so far. */
  hits(): number;
  close(): Promise<void>;
}

/** A JSON Web Key Set on 127.0.0.1, publishing one RS256 key. */
export async function startJwksServer(
  options: { issuer?: string; audience?: string } = {},
): Promise<JwksServer> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: "key-1", alg: "RS256", use: "sig" };
  const publicPem = await exportSPKI(publicKey);
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  const issuer = options.issuer ?? "https://issuer.test/";
  return {
    url,
    issuer,
    privateKey,
    publicJwk,
    publicPem,
    sign(claims, o = {}) {
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: o.kid ?? "key-1" })
        .setSubject(o.subject ?? "alice")
        .setIssuer(o.issuer ?? issuer)
        .setIssuedAt()
        .setExpirationTime(o.expiresIn ?? "5m");
      const audience = o.audience ?? options.audience;
      if (audience) jwt.setAudience(audience);
      return jwt.sign(privateKey);
    },
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** An unsecured JWT ("alg": "none", empty signature). */
export function unsecuredToken(payload: Record<string, unknown>): string {
  return `${base64url({ alg: "none", typ: "JWT" })}.${base64url(payload)}.`;
}

/** An HS256 token whose HMAC key is `key` (for example a public key, in an algorithm-confusion attack). */
export async function hmacToken(
  payload: Record<string, unknown>,
  key: Uint8Array,
  kid?: string,
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: "HS256", ...(kid && { kid }) }).sign(key);
}
