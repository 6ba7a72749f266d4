import { UNSIGNED_PAYLOAD } from "../../../src/core/sigv4/canonical.js";
import type { PresignedRequest } from "../../../src/core/sigv4/presign.js";
import type { SignedRequest } from "../../../src/core/sigv4/sign-request.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { requestHead } from "../support/raw-socket.js";
import { runCatalogue } from "../support/runner.js";
import { INVALID_ARGUMENT, SDM } from "../support/store-refusals.js";
import { BODY, openStoreWorld, type StoreWorld } from "../support/store-world.js";
import { flipHex, getParam } from "../support/tamper.js";

const TOO_LARGE_HEAD: Refusal = { status: 400, code: "RequestHeaderSectionTooLarge" };
const DUPLICATE_AUTH: Refusal = { status: 400, code: "AuthorizationQueryParametersError" };

type C = AdversarialCase<StoreWorld>;

/** The world's presigned PUT, its URL rewritten by `alter`, sent over a raw socket with `extra` header lines. */
function presigned(
  name: string,
  attack: string,
  expect: Refusal,
  alter: (url: string, s: PresignedRequest) => string,
  extra: Array<[string, string]> = [],
): C {
  return {
    family: "oversized input",
    name,
    attack,
    expect,
    setup: (w) => w.presign(),
    run: (w, prepared) => {
      const s = prepared as PresignedRequest;
      const target = alter(s.url, s).slice(w.url.length);
      const lines: Array<[string, string]> = [
        ["host", w.host],
        ["content-length", String(BODY.length)],
        ...signedLines(s),
        ...extra,
      ];
      return w.raw([requestHead("PUT", target, lines), BODY]);
    },
  };
}

/** The world's presigned PUT with extra raw header lines (duplicates of signed ones, say). */
const withHeaders = (
  name: string,
  attack: string,
  expect: Refusal,
  extra: (s: PresignedRequest) => Array<[string, string]>,
): C => ({
  ...presigned(name, attack, expect, (u) => u),
  run: (w, prepared) => {
    const s = prepared as PresignedRequest;
    const lines: Array<[string, string]> = [
      ["host", w.host],
      ["content-length", String(BODY.length)],
      ...signedLines(s),
      ...extra(s),
    ];
    return w.raw([requestHead("PUT", s.url.slice(w.url.length), lines), BODY]);
  },
});

/** A header-signed request for `path` (from the world), sent with fetch. */
function signed(
  name: string,
  attack: string,
  expect: Refusal,
  request: (w: StoreWorld) => {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  },
): C {
  return {
    family: "oversized input",
    name,
    attack,
    expect,
    setup: async (w) => {
      const r = request(w);
      return {
        ...r,
        signed: await w.sign(r.method, r.path, { headers: r.headers ?? {}, body: r.body ?? "" }),
      };
    },
    run: (w, p) => {
      const r = p as { method: string; path: string; body?: string | Buffer; signed: SignedRequest };
      return w.send(r.method, r.path, r.signed.headers, r.body);
    },
  };
}

/** The presigned headers to send, Content-Length excluded (the request line sets it once). */
const signedLines = (s: { headers: Record<string, string> }): Array<[string, string]> =>
  Object.entries(s.headers).filter(([k]) => k !== "content-length");

const sig = (url: string) => getParam(url, "X-Amz-Signature");
const part = (w: StoreWorld, n: string) =>
  w.path(w.upload.key, `partNumber=${n}&uploadId=${encodeURIComponent(w.upload.uploadId)}`);

/** A header-signed PUT (unsigned payload) declaring 6 GiB, of which only the head and 1 KiB are sent. */
function declaredHuge(name: string, attack: string, pathOf: (w: StoreWorld) => string): C {
  return {
    family: "oversized input",
    name,
    attack,
    expect: { status: 400, code: "EntityTooLarge" },
    setup: async (w) => {
      const path = pathOf(w);
      return { path, signed: await w.sign("PUT", path, { payloadHash: UNSIGNED_PAYLOAD }) };
    },
    run: (w, p) => {
      const { path, signed: s } = p as { path: string; signed: SignedRequest };
      const lines: Array<[string, string]> = [
        ["host", w.host],
        ["content-length", String(6 * 1024 ** 3)],
        ...signedLines(s),
      ];
      return w.raw([requestHead("PUT", path, lines), Buffer.alloc(1024, "x")], { halfClose: false });
    },
  };
}

const cases: C[] = [
  presigned("100 KB header", "a 100 KB x-amz-meta-pad header", TOO_LARGE_HEAD, (u) => u, [
    ["x-amz-meta-pad", "a".repeat(100 * 1024)],
  ]),
  presigned(
    "16 KB query string",
    "16 KB of extra query parameters",
    TOO_LARGE_HEAD,
    (u) => `${u}&pad=${"b".repeat(16 * 1024)}`,
  ),
  presigned(
    "3000 header lines",
    "3000 small x-pad headers",
    TOO_LARGE_HEAD,
    (u) => u,
    Array.from({ length: 3000 }, (_, i) => [`x-pad-${i}`, "1"] as [string, string]),
  ),
  presigned(
    "duplicate X-Amz-Signature, forged first",
    "X-Amz-Signature=<forged>&...&X-Amz-Signature=<real>",
    DUPLICATE_AUTH,
    (u) => u.replace("?", `?X-Amz-Signature=${flipHex(sig(u))}&`),
  ),
  presigned(
    "duplicate X-Amz-Signature, forged last",
    "X-Amz-Signature=<real>&X-Amz-Signature=<forged>",
    DUPLICATE_AUTH,
    (u) => `${u}&X-Amz-Signature=${flipHex(sig(u))}`,
  ),
  presigned(
    "duplicate X-Amz-Date",
    "a second X-Amz-Date an hour later",
    DUPLICATE_AUTH,
    (u) =>
      `${u}&X-Amz-Date=${getParam(u, "X-Amz-Date").replace(/T(\d\d)/, (_, h: string) => `T${String((Number(h) + 1) % 24).padStart(2, "0")}`)}`,
  ),
  presigned(
    "duplicate X-Amz-Expires",
    "a second X-Amz-Expires of a week",
    DUPLICATE_AUTH,
    (u) => `${u}&X-Amz-Expires=604800`,
  ),
  presigned(
    "duplicate X-Amz-Credential",
    "a second X-Amz-Credential naming another key",
    DUPLICATE_AUTH,
    (u) =>
      `${u}&X-Amz-Credential=${getParam(u, "X-Amz-Credential").replace("AKIDUPGATETEST000001", "AKIDUPGATEALT0000002")}`,
  ),
  presigned(
    "duplicate X-Amz-SignedHeaders",
    "a second X-Amz-SignedHeaders=host",
    DUPLICATE_AUTH,
    (u) => `${u}&X-Amz-SignedHeaders=host`,
  ),
  presigned(
    "1000 unsigned query parameters",
    "p0=0&...&p999=999 appended",
    SDM,
    (u) => `${u}&${Array.from({ length: 1000 }, (_, i) => `p${i}=${i}`).join("&")}`,
  ),
  withHeaders(
    "duplicate Content-Type header",
    "a second Content-Type: text/html after the signed one",
    SDM,
    () => [["content-type", "text/html"]],
  ),
  withHeaders("duplicate x-amz-checksum-sha256 header", "a second checksum header", SDM, (s) => [
    ["x-amz-checksum-sha256", s.headers["x-amz-checksum-sha256"]!],
  ]),
  withHeaders("duplicate If-None-Match header", "If-None-Match: * twice (joined into '*, *')", SDM, () => [
    ["if-none-match", "*"],
  ]),
  signed("key over 1024 bytes", "PUT to a 1025-byte key", { status: 400, code: "KeyTooLongError" }, (w) => ({
    method: "PUT",
    path: w.path(`uploads/user-1/${"k".repeat(1025 - "uploads/user-1/".length)}`),
    body: BODY,
  })),
  signed(
    "metadata over 2 KB",
    "x-amz-meta-* totalling 2.5 KB (S3's limit is 2 KB)",
    { status: 400, code: "MetadataTooLarge" },
    (w) => ({
      method: "PUT",
      path: w.path(w.freshKey("uploads/user-1/meta")),
      headers: { "x-amz-meta-a": "a".repeat(1300), "x-amz-meta-b": "b".repeat(1300) },
      body: BODY,
    }),
  ),
  signed(
    "multipart metadata over 2 KB",
    "CreateMultipartUpload with 3 KB of x-amz-meta-*",
    { status: 400, code: "MetadataTooLarge" },
    (w) => ({
      method: "POST",
      path: w.path(w.freshKey("uploads/user-1/meta-mp"), "uploads="),
      headers: { "x-amz-meta-blob": "c".repeat(3000) },
    }),
  ),
  signed("part number 10001", "UploadPart with partNumber=10001", INVALID_ARGUMENT, (w) => ({
    method: "PUT",
    path: part(w, "10001"),
    body: BODY,
  })),
  signed("part number 0", "UploadPart with partNumber=0", INVALID_ARGUMENT, (w) => ({
    method: "PUT",
    path: part(w, "0"),
    body: BODY,
  })),
  signed("part number negative", "UploadPart with partNumber=-1", INVALID_ARGUMENT, (w) => ({
    method: "PUT",
    path: part(w, "-1"),
    body: BODY,
  })),
  declaredHuge(
    "declared 6 GiB single PUT",
    "Content-Length: 6442450944 on a PUT (S3's single-PUT limit is 5 GiB); only the headers are sent",
    (w) => w.path(w.freshKey("uploads/user-1/huge")),
  ),
  declaredHuge(
    "declared 6 GiB part",
    "Content-Length: 6442450944 on UploadPart (S3's part limit is 5 GiB)",
    (w) => part(w, "3"),
  ),
];

runCatalogue("store-oversized", openStoreWorld(), cases);
