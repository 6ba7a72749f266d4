import { describe, expect, it } from "vitest";
import { verifyAuthorizationHeader, verifyPresignedUrl } from "../../src/core/sigv4/verify.js";
import { docPresignedUrl, headerAuthCase } from "./check-s3-examples.js";
import { exampleVerifyOptions, expectMismatch, expectOk, flip } from "./tamper.js";
import { loadS3DocExamples } from "./vectors.js";

const ex = loadS3DocExamples();
const region = ex.presignedGet.region;

const options = (amzDate: string) => exampleVerifyOptions(ex, region, amzDate);

describe("presigned GET example through verifyPresignedUrl", () => {
  const url = docPresignedUrl(ex);
  const host = new URL(ex.presignedGet.url).host;
  const verify = (u: string, h: string) =>
    verifyPresignedUrl({ method: "GET", url: u, headers: [["Host", h]] }, options(ex.presignedGet.amzDate));

  it("the doc's URL verifies", async () => {
    const result = await verify(url, host);
    expectOk(result);
    if (result.ok) {
      expect(result.auth.accessKeyId).toBe(ex.credentials.accessKeyId);
      expect(result.auth.signature).toBe(ex.presignedGet.signature);
    }
  });

  const path = new URL(ex.presignedGet.url).pathname;
  it.each([
    ["signature", () => verify(flip(url, -1), host)],
    ["path", () => verify(url.replace(path, flip(path, -1)), host)],
    [
      "X-Amz-Expires",
      () =>
        verify(
          url.replace(/X-Amz-Expires=\d+/, (m) => flip(m, -1)),
          host,
        ),
    ],
    ["host", () => verify(url, flip(host, 0))],
  ] as const)("one changed byte (%s) is SignatureDoesNotMatch", async (_what, run) => {
    expectMismatch(await run());
  });
});

interface HeaderRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
}

/** The example's request rebuilt from its canonical form: method, URI, query and signed headers. */
function headerRequest(name: string): HeaderRequest {
  const c = headerAuthCase(ex, name);
  const [method = "", uri = "", query = "", ...rest] = c.canonicalRequest.split("\n");
  const blank = rest.indexOf("");
  const headers = rest.slice(0, blank).map((line): [string, string] => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon), line.slice(colon + 1)];
  });
  const scope = `${ex.headerAuth.amzDate.slice(0, 8)}/${region}/s3/aws4_request`;
  const authorization = `AWS4-HMAC-SHA256 Credential=${ex.credentials.accessKeyId}/${scope}, SignedHeaders=${rest[blank + 1]}, Signature=${c.signature}`;
  headers.push(["Authorization", authorization]);
  return { method, url: query ? `${uri}?${query}` : uri, headers };
}

const verifyHeaderRequest = (req: HeaderRequest) =>
  verifyAuthorizationHeader(req, options(ex.headerAuth.amzDate));

/** The example's request with one character of one header changed. */
function tampered(name: string, header: string, index: number): HeaderRequest {
  const req = headerRequest(name);
  const at = req.headers.findIndex(([n]) => n.toLowerCase() === header);
  if (at === -1) throw new Error(`${name} has no ${header} header`);
  const [n, v] = req.headers[at]!;
  req.headers[at] = [n, flip(v, index)];
  return req;
}

describe.each(ex.headerAuth.cases.map((c) => c.name))(
  "header-auth example %s through verifyAuthorizationHeader",
  (name) => {
    it("verifies", async () => {
      expectOk(await verifyHeaderRequest(headerRequest(name)));
    });

    it.each([
      ["signature", "authorization", -1],
      ["host", "host", 0],
      ["declared payload hash", "x-amz-content-sha256", -1],
    ] as const)("one changed byte of the %s is SignatureDoesNotMatch", async (_what, header, index) => {
      expectMismatch(await verifyHeaderRequest(tampered(name, header, index)));
    });
  },
);

describe("header-auth GET with Range example", () => {
  const withRange = ex.headerAuth.cases.find((c) => /^range:/m.test(c.canonicalRequest));

  it("one changed byte of the Range header is SignatureDoesNotMatch", async () => {
    expect(withRange).toBeDefined();
    expectMismatch(await verifyHeaderRequest(tampered(withRange!.name, "range", -1)));
  });
});
