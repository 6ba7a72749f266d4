import { UNSIGNED_PAYLOAD } from "../../../src/core/sigv4/canonical.js";
import type { PresignedRequest } from "../../../src/core/sigv4/presign.js";
import type { SignedRequest } from "../../../src/core/sigv4/sign-request.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { requestHead } from "../support/raw-socket.js";
import { runCatalogue } from "../support/runner.js";
import { INVALID_REQUEST, SDM } from "../support/store-refusals.js";
import {
  BODY,
  completeXml,
  md5b64,
  OTHER_BODY,
  openStoreWorld,
  type StoreWorld,
  sha256b64,
} from "../support/store-world.js";
import { type ChunkedMode, chunkedPut, crc32Base64, sendChunked } from "../support/tamper.js";

const BAD_DIGEST: Refusal = { status: 400, code: "BadDigest" };
const INCOMPLETE: Refusal = { status: 400, code: "IncompleteBody" };

type C = AdversarialCase<StoreWorld>;

function presigned(
  name: string,
  attack: string,
  expect: Refusal,
  send: (w: StoreWorld, s: PresignedRequest) => Promise<Refusal>,
): C {
  return {
    family: "content mismatch",
    name,
    attack,
    expect,
    setup: (w) => w.presign(),
    run: (w, s) => send(w, s as PresignedRequest),
  };
}

/** A header-signed PUT of BODY to a fresh key with extra signed headers; `send` may alter what goes out. */
function headerSigned(
  name: string,
  attack: string,
  expect: Refusal,
  headers: Record<string, string>,
  send?: (w: StoreWorld, path: string, signed: SignedRequest) => Promise<Refusal>,
  payloadHash?: string,
): C {
  return {
    family: "content mismatch",
    name,
    attack,
    expect,
    setup: async (w) => {
      const path = w.path(w.freshKey("uploads/user-1/content"));
      return {
        path,
        signed: await w.sign("PUT", path, { headers, body: BODY, ...(payloadHash ? { payloadHash } : {}) }),
      };
    },
    run: (w, p) => {
      const { path, signed } = p as { path: string; signed: SignedRequest };
      return send ? send(w, path, signed) : w.send("PUT", path, signed.headers, BODY);
    },
  };
}

const rawPut = (
  w: StoreWorld,
  path: string,
  headers: Record<string, string>,
  body: Buffer | string,
  halfClose = true,
) => w.raw([requestHead("PUT", path, Object.entries({ host: w.host, ...headers })), body], { halfClose });

const PAYLOAD = Buffer.from(Array.from({ length: 12_000 }, (_, i) => (i * 7) % 256));

function chunked(
  name: string,
  attack: string,
  expect: Refusal,
  mode: ChunkedMode,
  options: { decodedLength?: number; trailerValue?: () => Promise<string> },
): C {
  return {
    family: "content mismatch",
    name: `aws-chunked: ${name}`,
    attack,
    expect,
    setup: async (w) =>
      chunkedPut(w, w.freshKey("uploads/user-1/chunked"), PAYLOAD, mode, {
        ...(options.decodedLength !== undefined ? { decodedLength: options.decodedLength } : {}),
        ...(options.trailerValue ? { trailerValue: await options.trailerValue() } : {}),
      }),
    run: (w, r) => sendChunked(w, r as Awaited<ReturnType<typeof chunkedPut>>),
  };
}

const cases: C[] = [
  presigned(
    "body longer than the signed length",
    "a bigger body sent to a URL that signs content-length",
    SDM,
    (w, s) => w.send("PUT", s.url, s.headers, Buffer.concat([BODY, Buffer.from("and more bytes")])),
  ),
  presigned(
    "body shorter than the signed length",
    "a smaller body sent to a URL that signs content-length",
    SDM,
    (w, s) => w.send("PUT", s.url, s.headers, BODY.subarray(0, 10)),
  ),
  presigned(
    "Content-Length declared, fewer bytes sent",
    "the signed Content-Length sent, then half the body and the socket closed",
    INCOMPLETE,
    (w, s) =>
      rawPut(
        w,
        s.url.slice(w.url.length),
        { ...s.headers, "content-length": String(BODY.length) },
        BODY.subarray(0, 20),
      ),
  ),
  presigned(
    "content-type differs from the signed one",
    "text/html sent to a URL that signs text/plain",
    SDM,
    (w, s) => w.send("PUT", s.url, { ...s.headers, "content-type": "text/html" }, BODY),
  ),
  presigned("content-type missing", "the signed content-type header left out", SDM, (w, s) => {
    const { "content-type": _, ...rest } = s.headers;
    return w.send("PUT", s.url, rest, BODY);
  }),
  presigned(
    "other body, same length, signed sha256",
    "a different body of the same length than the one whose sha256 was signed",
    BAD_DIGEST,
    (w, s) => w.send("PUT", s.url, s.headers, Buffer.from(BODY.toString().replace("gateway", "hackers"))),
  ),
  presigned(
    "checksum header replaced to match another body",
    "x-amz-checksum-sha256 of the attacker's body, with that body",
    SDM,
    (w, s) =>
      w.send("PUT", s.url, { ...s.headers, "x-amz-checksum-sha256": sha256b64(OTHER_BODY) }, OTHER_BODY),
  ),
  headerSigned("Content-MD5 does not match the body", "a signed Content-MD5 of another body", BAD_DIGEST, {
    "content-md5": md5b64(OTHER_BODY),
  }),
  headerSigned(
    "Content-MD5 malformed",
    "Content-MD5: not-base64!",
    { status: 400, code: "InvalidDigest" },
    { "content-md5": "not-base64!" },
  ),
  headerSigned(
    "Content-MD5 of the wrong length",
    "Content-MD5 holding a sha256 digest",
    { status: 400, code: "InvalidDigest" },
    { "content-md5": sha256b64(BODY) },
  ),
  headerSigned(
    "x-amz-checksum-sha256 does not match the body",
    "a signed checksum of another body",
    BAD_DIGEST,
    { "x-amz-checksum-sha256": sha256b64(OTHER_BODY) },
  ),
  headerSigned("x-amz-checksum-crc32 does not match the body", "a signed crc32 of 0", BAD_DIGEST, {
    "x-amz-checksum-crc32": "AAAAAA==",
  }),
  headerSigned("x-amz-checksum-sha256 not base64", "x-amz-checksum-sha256: %%%", INVALID_REQUEST, {
    "x-amz-checksum-sha256": "%%%",
  }),
  headerSigned("unknown checksum algorithm", "x-amz-checksum-md4 with some value", INVALID_REQUEST, {
    "x-amz-checksum-md4": "AAAAAA==",
  }),
  headerSigned(
    "sdk checksum algorithm without a checksum",
    "x-amz-sdk-checksum-algorithm: SHA256 and no checksum",
    INVALID_REQUEST,
    { "x-amz-sdk-checksum-algorithm": "SHA256" },
  ),
  headerSigned(
    "body differs from x-amz-content-sha256",
    "the signed payload hash of BODY with another body of the same length",
    { status: 400, code: "XAmzContentSHA256Mismatch" },
    {},
    (w, path, s) =>
      w.send("PUT", path, s.headers, Buffer.from(BODY.toString().replace("gateway", "hackers"))),
  ),
  headerSigned(
    "bare Transfer-Encoding: chunked",
    "an UNSIGNED-PAYLOAD PUT sent with Transfer-Encoding: chunked and no Content-Length",
    { status: 501, code: "NotImplemented" },
    {},
    (w, path, s) => {
      const head = requestHead(
        "PUT",
        path,
        Object.entries({ ...s.headers, host: w.host, "transfer-encoding": "chunked" }),
      );
      return w.raw([head, `${BODY.length.toString(16)}\r\n`, BODY, "\r\n0\r\n\r\n"], { halfClose: false });
    },
    UNSIGNED_PAYLOAD,
  ),
  headerSigned(
    "no Content-Length",
    "a body-less PUT with neither Content-Length nor Transfer-Encoding",
    { status: 411, code: "MissingContentLength" },
    {},
    (w, path, s) =>
      w.raw([requestHead("PUT", path, Object.entries({ ...s.headers, host: w.host }))], { halfClose: false }),
    UNSIGNED_PAYLOAD,
  ),
  chunked(
    "decoded length larger than sent",
    "x-amz-decoded-content-length 1000 bytes more than the chunks hold",
    INCOMPLETE,
    "signed",
    {
      decodedLength: PAYLOAD.length + 1000,
    },
  ),
  chunked(
    "decoded length smaller than sent",
    "x-amz-decoded-content-length 1000 bytes less than the chunks hold",
    INCOMPLETE,
    "signed",
    {
      decodedLength: PAYLOAD.length - 1000,
    },
  ),
  chunked(
    "signed trailer checksum wrong",
    "a correctly signed crc32 trailer of another body",
    BAD_DIGEST,
    "signed-trailer",
    {
      trailerValue: () => crc32Base64(OTHER_BODY),
    },
  ),
  chunked(
    "unsigned trailer checksum wrong",
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER with the crc32 of another body",
    BAD_DIGEST,
    "unsigned-trailer",
    {
      trailerValue: () => crc32Base64(OTHER_BODY),
    },
  ),
  {
    family: "content mismatch",
    name: "UploadPart with a wrong Content-MD5",
    attack: "a signed part whose Content-MD5 is another body's (the upload's parts must stay as they are)",
    expect: BAD_DIGEST,
    setup: async (w) => {
      const path = w.path(w.upload.key, `partNumber=1&uploadId=${encodeURIComponent(w.upload.uploadId)}`);
      return {
        path,
        signed: await w.sign("PUT", path, { headers: { "content-md5": md5b64(OTHER_BODY) }, body: BODY }),
      };
    },
    run: (w, p) => {
      const { path, signed } = p as { path: string; signed: SignedRequest };
      return w.send("PUT", path, signed.headers, BODY);
    },
  },
  {
    family: "content mismatch",
    name: "Complete declaring a wrong object size",
    attack: "x-amz-mp-object-size: 1 on CompleteMultipartUpload of 2 KiB of parts",
    expect: INVALID_REQUEST,
    setup: async (w) => {
      const path = w.path(w.upload.key, `uploadId=${encodeURIComponent(w.upload.uploadId)}`);
      const body = completeXml([w.upload.parts[1]!]);
      return {
        path,
        body,
        signed: await w.sign("POST", path, { headers: { "x-amz-mp-object-size": "1" }, body }),
      };
    },
    run: (w, p) => {
      const { path, body, signed } = p as { path: string; body: string; signed: SignedRequest };
      return w.send("POST", path, signed.headers, body);
    },
  },
  {
    family: "content mismatch",
    name: "payload hash header says UNSIGNED but signed a hash",
    attack: "x-amz-content-sha256 switched to UNSIGNED-PAYLOAD after signing the body's hash",
    expect: SDM,
    setup: async (w) => {
      const path = w.path(w.freshKey("uploads/user-1/unsigned"));
      return { path, signed: await w.sign("PUT", path, { body: BODY }) };
    },
    run: (w, p) => {
      const { path, signed } = p as { path: string; signed: SignedRequest };
      return w.send("PUT", path, { ...signed.headers, "x-amz-content-sha256": UNSIGNED_PAYLOAD }, OTHER_BODY);
    },
  },
];

runCatalogue("store-content", openStoreWorld({ backend: "fs" }), cases);
