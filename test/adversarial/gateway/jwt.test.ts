/**
 * JWT attacks on POST /v1/uploads, against a gateway with an HS256 secret and one with a JWKS
 * (issuer and audience pinned). A refused token reserves and signs nothing; each case's verify()
 * shows a genuine token is still accepted, so the refusal is about the attack.
 */
import { createHmac } from "node:crypto";
import { exportJWK, type GenerateKeyPairResult, generateKeyPair, SignJWT } from "jose";
import { DEV_ISSUER } from "../../../src/server/auth/dev-token.js";
import { JWT_SECRET, signToken } from "../../integ/gateway/support.js";
import { hmacToken, type JwksServer, startJwksServer, unsecuredToken } from "../../support/jwks-server.js";
import type { AdversarialCase } from "../support/case.js";
import { createOne, createRequest, type FileDecl, refusal } from "../support/gateway-steps.js";
import { type GatewayWorld, openGatewayWorld } from "../support/gateway-world.js";
import { runCatalogue } from "../support/runner.js";

type Case = AdversarialCase<GatewayWorld>;
const INVALID = { status: 401, code: "AUTH_INVALID" };
const REQUIRED = { status: 401, code: "AUTH_REQUIRED" };
const FILE: FileDecl = { name: "a.png", type: "image/png", size: 68 };
const BODY = { route: "images", files: [FILE] };
const secret = new TextEncoder().encode(JWT_SECRET);
const now = () => Math.floor(Date.now() / 1000);

/** Throws unless a genuine token for `good` is accepted by the same world. */
async function genuineAccepted(w: GatewayWorld, good: () => Promise<string>): Promise<void> {
  const res = await w.api("/v1/uploads", { token: await good() });
  if (res.status !== 200) throw new Error(`a genuine token is refused too: ${res.status}`);
}

function tokenCase(
  name: string,
  attack: string,
  token: () => Promise<string>,
  good: () => Promise<string>,
): Case {
  return {
    family: "JWT",
    name,
    attack,
    expect: INVALID,
    run: async (w) => refusal(await createRequest(w, await token(), "images", [FILE])),
    verify: (w) => genuineAccepted(w, good),
  };
}

function requestCase(
  name: string,
  attack: string,
  send: (w: GatewayWorld, token: string) => Promise<Response>,
  expect = REQUIRED,
): Case {
  return {
    family: "JWT",
    name,
    attack,
    expect,
    run: async (w) => refusal(await send(w, await signToken("alice"))),
    verify: (w) => genuineAccepted(w, () => signToken("alice")),
  };
}

const hs = (claims: Record<string, unknown>, key = secret, alg = "HS256") =>
  new SignJWT(claims).setProtectedHeader({ alg }).sign(key);
const good = () => signToken("alice");

/** A compact HS256 JWS over any header, signed by hand (jose refuses to sign unknown crit headers). */
function rawHs256(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

function swapPayload(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split(".");
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${signature}`;
}

const secretCases: Case[] = [
  tokenCase(
    "alg none",
    'an unsigned token ("alg": "none")',
    async () => unsecuredToken({ sub: "alice", exp: now() + 300 }),
    good,
  ),
  tokenCase(
    "alg None spelled oddly",
    'an unsigned token with "alg": "None"',
    async () =>
      `${Buffer.from(JSON.stringify({ alg: "None", typ: "JWT" })).toString("base64url")}.${Buffer.from(JSON.stringify({ sub: "alice", exp: now() + 300 })).toString("base64url")}.`,
    good,
  ),
  tokenCase(
    "expired",
    "a token that expired 10 minutes ago",
    () => hs({ sub: "alice", exp: now() - 600 }),
    good,
  ),
  tokenCase(
    "nbf in the future",
    "a token not valid for another 10 minutes",
    () => hs({ sub: "alice", exp: now() + 3600, nbf: now() + 600 }),
    good,
  ),
  tokenCase("missing sub", "a token without a subject", () => hs({ exp: now() + 300 }), good),
  tokenCase("empty sub", "a token whose subject is empty", () => hs({ sub: "", exp: now() + 300 }), good),
  tokenCase("numeric sub", "a token whose subject is a number", () => hs({ sub: 1, exp: now() + 300 }), good),
  tokenCase("missing exp", "a token that never expires (no exp)", () => hs({ sub: "alice" }), good),
  tokenCase(
    "another secret",
    "a token signed with another HS256 secret",
    () => signToken("alice", { secret: "x".repeat(40) }),
    good,
  ),
  tokenCase(
    "tampered payload",
    "a genuine token of mallory's with its payload swapped for alice's",
    async () => swapPayload(await signToken("mallory"), { sub: "alice", exp: now() + 300 }),
    good,
  ),
  tokenCase(
    "stripped signature",
    "a genuine token with its signature removed",
    async () => (await signToken("alice")).replace(/[^.]+$/, ""),
    good,
  ),
  tokenCase(
    "HS512",
    "a token signed with the right secret but HS512",
    () => hs({ sub: "alice", exp: now() + 300 }, secret, "HS512"),
    good,
  ),
  tokenCase(
    "reserved anonymous sub",
    'a genuine token for the reserved subject "anonymous"',
    () => signToken("anonymous"),
    good,
  ),
  tokenCase(
    "dev issuer in production",
    `a dev-mode token (iss ${DEV_ISSUER}) sent to a production gateway`,
    () => hs({ sub: "alice", exp: now() + 300, iss: DEV_ISSUER }),
    good,
  ),
  tokenCase(
    "crit header",
    "a token with a critical header extension the gateway does not know",
    async () => rawHs256({ alg: "HS256", crit: ["x-evil"], "x-evil": 1 }, { sub: "alice", exp: now() + 300 }),
    good,
  ),
  tokenCase("malformed token", "a bearer value that is not a JWT", async () => "definitely-not-a-jwt", good),
  tokenCase(
    "garbage segments",
    "three base64url segments of garbage",
    async () => "eyJhbGciOi.eyJzdWIi.AAAA",
    good,
  ),
  requestCase(
    "token in query string",
    "the token as ?access_token= instead of the Authorization header",
    async (w, token) => w.api(`/v1/uploads?access_token=${token}`, { body: BODY }),
  ),
  requestCase("token in cookie", "the token in a Cookie header", async (w, token) =>
    w.api("/v1/uploads", { body: BODY, headers: { cookie: `token=${token}; access_token=${token}` } }),
  ),
  requestCase(
    "token in body",
    "the token as a field of the JSON body (the strict body schema refuses it)",
    async (w, token) => w.api("/v1/uploads", { body: { ...BODY, token } }),
    { status: 400, code: "VALIDATION_FAILED" },
  ),
  requestCase(
    "Basic scheme",
    "the token sent with the Basic scheme",
    async (w, token) => w.api("/v1/uploads", { body: BODY, headers: { authorization: `Basic ${token}` } }),
    INVALID,
  ),
  requestCase(
    "two bearer tokens",
    "Authorization: Bearer <mallory's> <alice's>",
    async (w, token) =>
      w.api("/v1/uploads", {
        body: BODY,
        headers: { authorization: `Bearer ${await signToken("mallory")} ${token}` },
      }),
    INVALID,
  ),
  requestCase(
    "Authorization and x-api-key",
    "a token in both Authorization and x-api-key",
    async (w, token) => w.api("/v1/uploads", { body: BODY, token, headers: { "x-api-key": token } }),
    INVALID,
  ),
  requestCase(
    "JWT as API key",
    "a genuine JWT in x-api-key on a gateway without API keys",
    async (w, token) => w.api("/v1/uploads", { body: BODY, headers: { "x-api-key": token } }),
    INVALID,
  ),
  requestCase(
    "anonymous on a private route",
    "no credentials on a route that has not opted in (another route is public)",
    async (w) => w.api("/v1/uploads", { body: BODY }),
  ),
  requestCase("anonymous on an unknown route", "no credentials, probing for route names", async (w) =>
    w.api("/v1/uploads", { body: { ...BODY, route: "admin" } }),
  ),
  {
    family: "JWT",
    name: "anonymous completes a user's upload",
    attack: "no credentials on /v1/uploads/:id/complete for a signed-in user's upload",
    expect: REQUIRED,
    setup: async (w) => (await createOne(w, await signToken("alice"), "images", FILE)).id,
    run: async (w, id) => refusal(await w.api(`/v1/uploads/${id}/complete`, { method: "POST" })),
  },
];

let jwks: JwksServer;
const rsGood = () => jwks.sign({}, { subject: "alice" });

let attacker: Promise<GenerateKeyPairResult> | undefined;
/** The attacker's own RSA key pair (generated once: RSA key generation is slow). */
const attackerKeys = () => {
  attacker ??= generateKeyPair("RS256", { extractable: true });
  return attacker;
};

async function foreignKeyToken(kid: string, issuer?: string): Promise<string> {
  const { privateKey } = await attackerKeys();
  return new SignJWT({ aud: "upgate" })
    .setProtectedHeader({ alg: "RS256", kid })
    .setSubject("alice")
    .setIssuer(issuer ?? jwks.issuer)
    .setExpirationTime("5m")
    .sign(privateKey);
}

const jwksCases: Case[] = [
  tokenCase(
    "HS256 with the RSA public key (PEM)",
    "HS/RS confusion: HS256 signed with the issuer's public key PEM as the HMAC secret",
    async () =>
      hmacToken(
        { sub: "alice", iss: jwks.issuer, aud: "upgate", exp: now() + 300 },
        new TextEncoder().encode(jwks.publicPem),
        "key-1",
      ),
    rsGood,
  ),
  tokenCase(
    "HS256 with the public JWK",
    "HS/RS confusion: HS256 signed with the issuer's public JWK text as the HMAC secret",
    async () =>
      hmacToken(
        { sub: "alice", iss: jwks.issuer, aud: "upgate", exp: now() + 300 },
        new TextEncoder().encode(JSON.stringify(jwks.publicJwk)),
        "key-1",
      ),
    rsGood,
  ),
  tokenCase(
    "key from another issuer",
    "RS256 signed by another issuer's key, claiming the published kid",
    () => foreignKeyToken("key-1"),
    rsGood,
  ),
  tokenCase(
    "unknown kid",
    "RS256 signed by an unpublished key with its own kid",
    () => foreignKeyToken("attacker-key"),
    rsGood,
  ),
  tokenCase(
    "kid traversal",
    'a kid of "../../../dev/null"',
    () => foreignKeyToken("../../../dev/null"),
    rsGood,
  ),
  tokenCase(
    "embedded jwk header",
    "a token carrying its own (attacker's) public key in the jwk header",
    async () => {
      const { privateKey, publicKey } = await attackerKeys();
      return new SignJWT({ aud: "upgate" })
        .setProtectedHeader({ alg: "RS256", jwk: await exportJWK(publicKey) })
        .setSubject("alice")
        .setIssuer(jwks.issuer)
        .setExpirationTime("5m")
        .sign(privateKey);
    },
    rsGood,
  ),
  tokenCase(
    "jku to the attacker's key set",
    "a token whose jku header points at a key set the attacker controls",
    async () => {
      const { privateKey } = await attackerKeys();
      return new SignJWT({ aud: "upgate" })
        .setProtectedHeader({ alg: "RS256", kid: "key-1", jku: "http://127.0.0.1:1/jwks.json" })
        .setSubject("alice")
        .setIssuer(jwks.issuer)
        .setExpirationTime("5m")
        .sign(privateKey);
    },
    rsGood,
  ),
  tokenCase(
    "wrong audience",
    "a genuine RS256 token for another audience",
    () => jwks.sign({}, { audience: "another-app" }),
    rsGood,
  ),
  tokenCase(
    "no audience",
    "a genuine RS256 token without aud",
    () => jwks.sign({ aud: undefined }, { audience: "" }),
    rsGood,
  ),
  tokenCase(
    "wrong issuer",
    "a token signed with the published key but iss of another issuer",
    () => jwks.sign({}, { issuer: "https://evil.test/" }),
    rsGood,
  ),
  tokenCase(
    "expired RS256",
    "a genuine RS256 token that expired an hour ago",
    () => jwks.sign({}, { expiresIn: now() - 3600 }),
    rsGood,
  ),
  tokenCase(
    "alg none with JWKS",
    "an unsigned token on the JWKS gateway",
    async () => unsecuredToken({ sub: "alice", iss: jwks.issuer, aud: "upgate", exp: now() + 300 }),
    rsGood,
  ),
  tokenCase(
    "HS256 with the shared test secret",
    "an HS256 token on a gateway that only accepts the issuer's RS256/ES256 keys",
    () => hs({ sub: "alice", iss: jwks.issuer, aud: "upgate", exp: now() + 300 }),
    rsGood,
  ),
];

runCatalogue(
  "gateway JWT (HS256 secret)",
  () =>
    openGatewayWorld({
      routes: {
        images: { types: ["image/png"], maxSize: "1MB" },
        avatars: { types: ["image/png"], maxSize: "1MB", public: true },
      },
    }),
  secretCases,
);

runCatalogue(
  "gateway JWT (JWKS)",
  async () => {
    jwks = await startJwksServer({ audience: "upgate" });
    const world = await openGatewayWorld({
      auth: { jwt: { jwksUrl: jwks.url, issuer: jwks.issuer, audience: "upgate" } },
      routes: { images: { types: ["image/png"], maxSize: "1MB" } },
    });
    return {
      ...world,
      async close() {
        await world.close();
        await jwks.close();
      },
    };
  },
  jwksCases,
);
