import { beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "../../src/core/sigv4/sign-request.js";
import { verifyAuthorizationHeader, verifyRequest } from "../../src/core/sigv4/verify.js";
import { type HeaderSigned, signHeaders, verifyHeaders, withHeader } from "./header-fixture.js";
import { failureOf, outcome } from "./tamper.js";

const date = new Date("2024-05-06T07:08:09Z");
const credentials = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "s3cr3t/key+", sessionToken: "tok/en=" };
let s: HeaderSigned;

beforeAll(async () => {
  s = await signHeaders({
    method: "PUT",
    endpoint: "http://127.0.0.1:9000",
    bucket: "uploads",
    key: "user/1/a b.png",
    query: [["partNumber", "2"]],
    headers: [
      ["content-type", "image/png"],
      ["x-amz-meta-upgate-user", "u1"],
    ],
    body: new TextEncoder().encode("hello"),
    region: "eu-west-1",
    credentials,
    date,
    nowAt: 0.5,
  });
});

const at = (ms: number) => ({ options: { now: new Date(date.getTime() + ms) } });
const SKEW = 15 * 60_000;

describe("verifyAuthorizationHeader: clock skew", () => {
  it("accepts up to 15 minutes either way", async () => {
    expect(outcome(await verifyHeaders(s, at(SKEW)))).toBe("ok");
    expect(outcome(await verifyHeaders(s, at(-SKEW)))).toBe("ok");
  });

  it.each([SKEW + 1000, -SKEW - 1000])(
    "refuses a request %i ms off with RequestTimeTooSkewed",
    async (ms) => {
      const f = failureOf(await verifyHeaders(s, at(ms)));
      expect([f.code, f.status]).toEqual(["RequestTimeTooSkewed", 403]);
      expect(f.message).toBe("The difference between the request time and the current time is too large.");
      expect(f.details).toEqual([
        ["RequestTime", "20240506T070809Z"],
        ["ServerTime", new Date(date.getTime() + ms).toISOString().replace(".000Z", "Z")],
        ["MaxAllowedSkewMilliseconds", "900000"],
      ]);
    },
  );
});

describe("verifyAuthorizationHeader: payload hash", () => {
  it("requires x-amz-content-sha256 on S3", async () => {
    const f = failureOf(
      await verifyHeaders(s, { headers: withHeader(s, "x-amz-content-sha256", undefined) }),
    );
    expect([f.code, f.status]).toEqual(["InvalidRequest", 400]);
    expect(f.message).toBe("Missing required header for this request: x-amz-content-sha256");
  });

  it.each(["abc", "UNSIGNED", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"])(
    "refuses x-amz-content-sha256 %s with InvalidArgument",
    async (value) => {
      const f = failureOf(await verifyHeaders(s, { headers: withHeader(s, "x-amz-content-sha256", value) }));
      expect([f.code, f.status]).toEqual(["InvalidArgument", 400]);
      expect(f.details).toEqual([["ArgumentName", "x-amz-content-sha256"]]);
    },
  );

  it("returns the hash the body must match", async () => {
    const r = await verifyHeaders(s);
    expect(r.ok && r.auth.payloadHash).toBe(
      "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
    );
  });
});

describe("verifyAuthorizationHeader: malformed Authorization", () => {
  const auth = () => s.signed.headers.authorization!;
  it.each([
    ["Basic dXNlcjpwYXNz", "InvalidArgument"],
    ["AWS AKIAEXAMPLE:c2ln", "InvalidArgument"],
    ["AWS4-ECDSA-P256-SHA256 Credential=x, SignedHeaders=host, Signature=00", "InvalidArgument"],
    ["AWS4-HMAC-SHA256 garbage", "AuthorizationHeaderMalformed"],
    [
      "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20240506/eu-west-1/s3/aws4_request",
      "AuthorizationHeaderMalformed",
    ],
    ["AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=00", "AuthorizationHeaderMalformed"],
  ])("%s → %s", async (value, code) => {
    const f = failureOf(await verifyHeaders(s, { headers: withHeader(s, "authorization", value) }));
    expect([f.code, f.status]).toEqual([code, 400]);
  });

  it("refuses a credential date other than x-amz-date's", async () => {
    const value = auth().replace("/20240506/", "/20240505/");
    const f = failureOf(await verifyHeaders(s, { headers: withHeader(s, "authorization", value) }));
    expect([f.code, f.message]).toEqual([
      "AuthorizationHeaderMalformed",
      "The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.",
    ]);
  });

  it("refuses another region's scope and names the expected region", async () => {
    const f = failureOf(await verifyHeaders(s, { options: { region: "us-east-1" } }));
    expect([f.code, f.status]).toEqual(["AuthorizationHeaderMalformed", 400]);
    expect(f.details).toEqual([["Region", "us-east-1"]]);
  });

  it("refuses a request with no usable date", async () => {
    const f = failureOf(await verifyHeaders(s, { headers: withHeader(s, "x-amz-date", undefined) }));
    expect([f.code, f.message]).toEqual([
      "AccessDenied",
      "AWS authentication requires a valid Date or x-amz-date header",
    ]);
  });
});

describe("verifyAuthorizationHeader: keys, tokens and headers", () => {
  it("refuses an unknown access key with InvalidAccessKeyId", async () => {
    const f = failureOf(await verifyHeaders(s, { options: { lookupSecret: () => undefined } }));
    expect([f.code, f.status]).toEqual(["InvalidAccessKeyId", 403]);
  });

  it("refuses a session token other than the key's", async () => {
    const f = failureOf(await verifyHeaders(s, { headers: withHeader(s, "x-amz-security-token", "other") }));
    expect([f.code, f.status]).toEqual(["InvalidToken", 400]);
  });

  it("refuses a temporary key without its token (InvalidAccessKeyId) and an expired token (ExpiredToken)", async () => {
    const none = failureOf(
      await verifyHeaders(s, { headers: withHeader(s, "x-amz-security-token", undefined) }),
    );
    expect([none.code, none.status]).toEqual(["InvalidAccessKeyId", 403]);
    const lookupSecret = () => ({ ...credentials, expiration: new Date(date.getTime() + 500) });
    const f = failureOf(
      await verifyHeaders(s, { options: { lookupSecret, now: new Date(date.getTime() + 500) } }),
    );
    expect([f.code, f.status, f.message]).toEqual(["ExpiredToken", 400, "The provided token has expired."]);
  });

  it("refuses an unsigned x-amz-* header with HeadersNotSigned", async () => {
    const headers = [...s.headers, ["x-amz-acl", "public-read"]] as Array<[string, string]>;
    const f = failureOf(await verifyHeaders(s, { headers }));
    expect([f.code, f.details]).toEqual(["AccessDenied", [["HeadersNotSigned", "x-amz-acl"]]]);
  });

  it.each(["content-type", "x-amz-meta-upgate-user", "host"])(
    "refuses a request missing signed %s",
    async (name) => {
      expect(outcome(await verifyHeaders(s, { headers: withHeader(s, name, undefined) }))).toBe(
        "SignatureDoesNotMatch",
      );
    },
  );

  it("leaves headers named in unsignedHeaders out of the signature", async () => {
    const signed = await signRequest({
      method: "GET",
      url: "https://b.s3.amazonaws.com/k",
      headers: { "user-agent": "test/1", range: "bytes=0-9" },
      unsignedHeaders: ["user-agent"],
      region: "us-east-1",
      credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "x" },
      date,
    });
    expect(signed.headers.authorization).toContain(
      "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,",
    );
    const headers: Array<[string, string]> = [
      ["host", "b.s3.amazonaws.com"],
      ...Object.entries(signed.headers),
    ];
    headers.push(["user-agent", "changed/2"]);
    const r = await verifyAuthorizationHeader(
      { method: "GET", url: "/k", headers },
      { region: "us-east-1", lookupSecret: () => "x", now: date },
    );
    expect(outcome(r)).toBe("ok");
  });

  it("is what verifyRequest picks for an Authorization header", async () => {
    const r = await verifyRequest({ method: s.method, url: s.url, headers: s.headers }, s.options);
    expect(r.ok && r.auth.type).toBe("header");
  });
});
