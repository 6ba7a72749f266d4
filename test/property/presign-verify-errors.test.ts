import { beforeAll, describe, expect, it } from "vitest";
import { UpgateError } from "../../src/core/errors.js";
import { presignUrl } from "../../src/core/sigv4/presign.js";
import { verifyRequest } from "../../src/core/sigv4/verify.js";
import { type Presigned, presign, verify } from "./presign-fixture.js";
import { detail, failureOf, joinUrl, outcome, splitUrl } from "./tamper.js";

const date = new Date("2024-05-06T07:08:09Z");
const credentials = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "s3cr3t/key+", sessionToken: "tok/en=" };
let p: Presigned;

beforeAll(async () => {
  p = await presign({
    method: "PUT",
    endpoint: "https://s3.eu-west-1.amazonaws.com",
    forcePathStyle: false,
    bucket: "uploads",
    key: "user/1/a b.png",
    region: "eu-west-1",
    credentials,
    expiresIn: 300,
    date,
    headers: [
      ["content-type", "image/png"],
      ["content-length", "1234"],
      ["x-amz-checksum-sha256", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="],
      ["x-amz-meta-upgate-user", "u1"],
    ],
    query: [],
    nowAt: 0,
    shout: false,
  });
});

const at = (ms: number) => ({ options: { now: new Date(date.getTime() + ms) } });
const withQuery = (edit: (q: Array<[string, string]>) => Array<[string, string]>) => {
  const parts = splitUrl(p.url);
  return joinUrl({ ...parts, query: edit(parts.query) });
};

describe("verifyPresignedUrl: time window", () => {
  it("accepts from 15 minutes before X-Amz-Date to the last second of X-Amz-Expires", async () => {
    expect(outcome(await verify(p, at(-15 * 60_000)))).toBe("ok");
    expect(outcome(await verify(p, at(300_000)))).toBe("ok");
  });

  it("refuses an expired URL with AccessDenied and S3's extra elements", async () => {
    const f = failureOf(await verify(p, at(300_001)));
    expect([f.code, f.status, f.message]).toEqual(["AccessDenied", 403, "Request has expired"]);
    expect(f.details).toEqual([
      ["X-Amz-Expires", "300"],
      ["Expires", "2024-05-06T07:13:09Z"],
      ["ServerTime", "2024-05-06T07:13:09Z"],
    ]);
  });

  it("refuses a URL dated more than 15 minutes in the future", async () => {
    const f = failureOf(await verify(p, at(-15 * 60_000 - 1000)));
    expect([f.code, f.status, f.message]).toEqual(["AccessDenied", 403, "Request is not valid yet"]);
  });

  it("refuses X-Amz-Expires over a week, and the signer will not make one", async () => {
    const url = withQuery((q) => q.map(([k, v]) => [k, k === "X-Amz-Expires" ? "604801" : v]));
    const f = failureOf(await verify(p, { url }));
    expect([f.code, f.status]).toEqual(["AuthorizationQueryParametersError", 400]);
    expect(f.message).toBe(
      "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds",
    );
    const base = { method: "PUT", url: "https://h.example/b/k", region: "us-east-1", credentials, date };
    await expect(presignUrl({ ...base, expiresIn: 604_801 })).rejects.toBeInstanceOf(UpgateError);
    await expect(presignUrl({ ...base, expiresIn: 0 })).rejects.toBeInstanceOf(UpgateError);
    await expect(presignUrl({ ...base, expiresIn: 604_800 })).resolves.toHaveProperty("signature");
  });
});

describe("verifyPresignedUrl: parameters and credentials", () => {
  it.each([
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
  ])("refuses a URL without %s", async (name) => {
    const f = failureOf(await verify(p, { url: withQuery((q) => q.filter(([k]) => k !== name)) }));
    expect([f.code, f.status]).toEqual(["AuthorizationQueryParametersError", 400]);
    expect(f.message).toMatch(/^Query-string authentication version 4 requires the X-Amz-Algorithm/);
  });

  it("refuses an unknown access key with InvalidAccessKeyId", async () => {
    const f = failureOf(await verify(p, { options: { lookupSecret: () => undefined } }));
    expect([f.code, f.status]).toEqual(["InvalidAccessKeyId", 403]);
    expect(detail(f, "AWSAccessKeyId")).toBe("AKIAEXAMPLE");
  });

  it("refuses a credential scoped to another region, naming the expected one", async () => {
    const f = failureOf(await verify(p, { options: { region: "us-east-1" } }));
    expect([f.code, f.status]).toEqual(["AuthorizationQueryParametersError", 400]);
    expect(f.message).toBe(
      "Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is wrong; expecting 'us-east-1'",
    );
    expect(f.details).toEqual([["Region", "us-east-1"]]);
  });

  it("refuses a wrong secret with SignatureDoesNotMatch", async () => {
    const f = failureOf(await verify(p, { options: { lookupSecret: () => ({ secretAccessKey: "other" }) } }));
    expect(f.code).toBe("SignatureDoesNotMatch");
    expect(detail(f, "CanonicalRequest")).toBe(p.signed.canonicalRequest);
  });

  it("refuses a session token other than the key's (InvalidToken), and a temporary key without one (InvalidAccessKeyId, as S3)", async () => {
    const other = {
      lookupSecret: () => ({ secretAccessKey: credentials.secretAccessKey, sessionToken: "x" }),
    };
    const wrong = failureOf(await verify(p, { options: other }));
    expect([wrong.code, wrong.status, wrong.message]).toEqual([
      "InvalidToken",
      400,
      "The provided token is malformed or otherwise invalid.",
    ]);
    const url = withQuery((q) => q.filter(([k]) => k !== "X-Amz-Security-Token"));
    const f = failureOf(await verify(p, { url }));
    expect([f.code, f.status]).toEqual(["InvalidAccessKeyId", 403]);
  });

  it("refuses a session token past its expiry with ExpiredToken, in S3's words, even within X-Amz-Expires", async () => {
    const expiration = new Date(date.getTime() + 60_000);
    const lookupSecret = () => ({ ...credentials, expiration });
    expect(
      outcome(await verify(p, { options: { lookupSecret, now: new Date(date.getTime() + 59_999) } })),
    ).toBe("ok");
    const f = failureOf(await verify(p, { options: { lookupSecret, now: expiration } }));
    expect([f.code, f.status, f.message]).toEqual(["ExpiredToken", 400, "The provided token has expired."]);
    expect(f.details).toEqual([["Token-0", credentials.sessionToken]]);
  });
});

describe("verifyPresignedUrl: headers", () => {
  it("refuses an unsigned x-amz-* header with HeadersNotSigned, but tolerates x-amz-content-sha256", async () => {
    const f = failureOf(await verify(p, { headers: [...p.headers, ["X-Amz-Meta-Extra", "1"]] }));
    expect([f.code, f.status, f.message]).toEqual([
      "AccessDenied",
      403,
      "There were headers present in the request which were not signed",
    ]);
    expect(f.details).toEqual([["HeadersNotSigned", "x-amz-meta-extra"]]);
    const tolerated = [...p.headers, ["x-amz-content-sha256", "UNSIGNED-PAYLOAD"]] as Array<[string, string]>;
    expect(outcome(await verify(p, { headers: tolerated }))).toBe("ok");
  });

  it("ignores unsigned headers that are not x-amz-*", async () => {
    const headers = [...p.headers, ["User-Agent", "curl/8"], ["Origin", "https://app.example"]] as Array<
      [string, string]
    >;
    expect(outcome(await verify(p, { headers }))).toBe("ok");
  });

  it.each(["content-type", "content-length", "x-amz-checksum-sha256", "host"])(
    "refuses a request missing the signed header %s",
    async (name) => {
      const headers = p.headers.filter(([n]) => n !== name);
      expect(outcome(await verify(p, { headers }))).toBe("SignatureDoesNotMatch");
    },
  );

  it("joins a repeated header with a comma, so a duplicated signed header no longer matches", async () => {
    const headers = [...p.headers, ["Content-Type", "image/png"]] as Array<[string, string]>;
    expect(outcome(await verify(p, { headers }))).toBe("SignatureDoesNotMatch");
  });
});

describe("verifyRequest dispatch", () => {
  it("sends a presigned URL to the query verifier", async () => {
    const r = await verifyRequest({ method: p.method, url: p.url, headers: p.headers }, p.options);
    expect(r.ok && r.auth.type).toBe("query");
  });

  it("refuses a request with both a presigned query and an Authorization header", async () => {
    const headers = [...p.headers, ["Authorization", "AWS4-HMAC-SHA256 Credential=x"]] as Array<
      [string, string]
    >;
    const f = failureOf(await verifyRequest({ method: p.method, url: p.url, headers }, p.options));
    expect([f.code, f.status]).toEqual(["InvalidArgument", 400]);
  });

  it("refuses an anonymous request", async () => {
    const url = `${splitUrl(p.url).origin}${splitUrl(p.url).path}`;
    const f = failureOf(await verifyRequest({ method: "PUT", url, headers: p.headers }, p.options));
    expect([f.code, f.message]).toEqual(["AccessDenied", "Access Denied"]);
  });
});
