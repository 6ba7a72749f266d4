import type { PresignedRequest } from "../../../src/core/sigv4/presign.js";
import type { SignedRequest } from "../../../src/core/sigv4/sign-request.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { requestHead } from "../support/raw-socket.js";
import { runCatalogue } from "../support/runner.js";
import { DENIED, INVALID_ARGUMENT, QUERY_ERROR, SDM } from "../support/store-refusals.js";
import {
  ALT_CREDENTIALS,
  BODY,
  OTHER_BODY,
  OTHER_BUCKET,
  openStoreWorld,
  type StoreWorld,
  sha256hex,
} from "../support/store-world.js";
import {
  chunkedPut,
  editAuthorization,
  flipAfter,
  flipHex,
  getParam,
  sendChunked,
  setCredentialPart,
  setParam,
} from "../support/tamper.js";

const HEADER_MALFORMED: Refusal = { status: 400, code: "AuthorizationHeaderMalformed" };
const UNKNOWN_KEY: Refusal = { status: 403, code: "InvalidAccessKeyId" };

type C = AdversarialCase<StoreWorld>;

/** A presigned PUT (type, length, sha256, If-None-Match and owner signed), altered before it is sent. */
function presigned(
  name: string,
  attack: string,
  expect: Refusal,
  alter: (
    signed: PresignedRequest,
    w: StoreWorld,
  ) => { url?: string; headers?: Record<string, string>; method?: string; body?: Buffer },
): C {
  return {
    family: "signature tampering",
    name: `presigned PUT: ${name}`,
    attack,
    expect,
    setup: (w) => w.presign(),
    run: (w, prepared) => {
      const signed = prepared as PresignedRequest;
      const out = alter(signed, w);
      return w.send(
        out.method ?? "PUT",
        out.url ?? signed.url,
        out.headers ?? signed.headers,
        out.body ?? BODY,
      );
    },
  };
}

/** The X-Amz-Date / x-amz-date value one second on (the seconds wrap; a tamper, not a clock). */
function aSecondLater(amzDate: string): string {
  const sec = Number(amzDate.slice(13, 15));
  return `${amzDate.slice(0, 13)}${String((sec + 1) % 60).padStart(2, "0")}Z`;
}

/** The URL with `piece` (";" encoded as %3B) cut out of X-Amz-SignedHeaders. */
const signedHeadersWithout = (piece: string) => (s: PresignedRequest) => ({
  url: setParam(s.url, "X-Amz-SignedHeaders", getParam(s.url, "X-Amz-SignedHeaders").replace(piece, "")),
});

const credentialPart = (index: number, value: string) => (s: PresignedRequest) => ({
  url: setParam(
    s.url,
    "X-Amz-Credential",
    setCredentialPart(getParam(s.url, "X-Amz-Credential"), index, value, "%2F"),
  ),
});

const presignedCases: C[] = [
  presigned("method PUT sent as DELETE", "a PUT URL for the existing key used to DELETE it", SDM, (s, w) => ({
    url: s.url.replace(/^[^?]*/, `${w.url}${w.path(w.existing.key)}`),
    method: "DELETE",
    body: undefined as unknown as Buffer,
  })),
  presigned("key in path changed", "the URL's key replaced by another key of the same user", SDM, (s) => ({
    url: s.url.replace(/new-\d+\.txt/, "avatar.txt"),
  })),
  presigned("bucket in path changed", "the URL's bucket replaced by another bucket", SDM, (s) => ({
    url: s.url.replace("/test-bucket/", `/${OTHER_BUCKET}/`),
  })),
  {
    family: "signature tampering",
    name: "presigned PUT: dot segment inserted in path",
    attack: "/./ inserted in the path over a raw socket (S3 never normalizes the path)",
    expect: SDM,
    setup: (w) => w.presign(),
    run: async (w, prepared) => {
      const s = prepared as PresignedRequest;
      const target = s.url.slice(w.url.length).replace("/uploads/", "/./uploads/");
      const headers = Object.entries({ ...s.headers, host: w.host, "content-length": String(BODY.length) });
      return w.raw([requestHead("PUT", target, headers), BODY]);
    },
  },
  presigned("path case changed", "the key's case changed (keys are case-sensitive)", SDM, (s) => ({
    url: s.url.replace("/uploads/user-1/", "/Uploads/user-1/"),
  })),
  presigned("X-Amz-Expires raised", "X-Amz-Expires changed from 300 to 3000", SDM, (s) => ({
    url: setParam(s.url, "X-Amz-Expires", "3000"),
  })),
  presigned("X-Amz-Date moved by a second", "X-Amz-Date one second later than signed", SDM, (s) => ({
    url: setParam(s.url, "X-Amz-Date", aSecondLater(getParam(s.url, "X-Amz-Date"))),
  })),
  presigned(
    "content-type dropped from X-Amz-SignedHeaders",
    "content-type removed from the signed list so any type passes",
    SDM,
    signedHeadersWithout("content-type%3B"),
  ),
  presigned(
    "host dropped from X-Amz-SignedHeaders",
    "host removed from the signed list",
    DENIED,
    signedHeadersWithout("%3Bhost"),
  ),
  presigned(
    "x-amz-checksum-sha256 dropped from X-Amz-SignedHeaders",
    "the checksum header left out of the signed list (sent unsigned: HeadersNotSigned)",
    DENIED,
    signedHeadersWithout("%3Bx-amz-checksum-sha256"),
  ),
  presigned(
    "credential date differs from X-Amz-Date",
    "scope date set to the day before",
    QUERY_ERROR,
    credentialPart(1, "20200101"),
  ),
  presigned(
    "credential region changed",
    "scope region us-east-1 -> eu-west-1",
    QUERY_ERROR,
    credentialPart(2, "eu-west-1"),
  ),
  presigned(
    "credential service changed",
    "scope service s3 -> s3-object-lambda",
    QUERY_ERROR,
    credentialPart(3, "s3-object-lambda"),
  ),
  presigned(
    "credential terminator changed",
    "scope terminator aws4_request -> aws4_requesx",
    QUERY_ERROR,
    credentialPart(4, "aws4_requesx"),
  ),
  presigned(
    "access key unknown",
    "X-Amz-Credential names a key the store does not know",
    UNKNOWN_KEY,
    credentialPart(0, "AKIDNOTKNOWN00000000"),
  ),
  presigned(
    "access key swapped for another known key",
    "X-Amz-Credential names the other account's key",
    SDM,
    credentialPart(0, ALT_CREDENTIALS.accessKeyId),
  ),
  presigned("signature truncated", "X-Amz-Signature with its last digit cut", SDM, (s) => ({
    url: setParam(s.url, "X-Amz-Signature", s.signature.slice(0, 63)),
  })),
  presigned("signature upper-cased", "X-Amz-Signature in upper-case hex", SDM, (s) => ({
    url: setParam(s.url, "X-Amz-Signature", s.signature.toUpperCase()),
  })),
  presigned("signature not hex", "X-Amz-Signature made of 64 'z'", SDM, (s) => ({
    url: setParam(s.url, "X-Amz-Signature", "z".repeat(64)),
  })),
  presigned("signature one digit changed", "X-Amz-Signature with one hex digit changed", SDM, (s) => ({
    url: setParam(s.url, "X-Amz-Signature", flipHex(s.signature)),
  })),
  presigned("signature too long", "X-Amz-Signature with an extra hex digit", SDM, (s) => ({
    url: setParam(s.url, "X-Amz-Signature", `${s.signature}0`),
  })),
  presigned("signature empty", "X-Amz-Signature= with no value", QUERY_ERROR, (s) => ({
    url: setParam(s.url, "X-Amz-Signature", ""),
  })),
  presigned("algorithm changed", "X-Amz-Algorithm=AWS4-HMAC-SHA512", QUERY_ERROR, (s) => ({
    url: setParam(s.url, "X-Amz-Algorithm", "AWS4-HMAC-SHA512"),
  })),
  presigned(
    "hoisted metadata changed",
    "x-amz-meta-upgate-user=user-1 changed to user-2 in the query",
    SDM,
    (s) => ({
      url: setParam(s.url, "x-amz-meta-upgate-user", "user-2"),
    }),
  ),
  presigned("query parameter added", "&response-content-type=text/html appended", SDM, (s) => ({
    url: `${s.url}&response-content-type=text%2Fhtml`,
  })),
  presigned(
    "metadata header added unsigned",
    "an unsigned x-amz-meta-role: admin header added",
    DENIED,
    (s) => ({
      headers: { ...s.headers, "x-amz-meta-role": "admin" },
    }),
  ),
  {
    family: "signature tampering",
    name: "presigned PUT: signed with a wrong secret",
    attack: "a URL signed with the right key id and a guessed secret",
    expect: SDM,
    setup: (w) =>
      w.presign({
        credentials: { accessKeyId: w.credentials.accessKeyId, secretAccessKey: "guessed-secret" },
      }),
    run: (w, s) => w.send("PUT", (s as PresignedRequest).url, (s as PresignedRequest).headers, BODY),
  },
  {
    family: "signature tampering",
    name: "presigned GET used as PUT",
    attack: "a download URL for the existing key used to upload over it",
    expect: SDM,
    setup: (w) => w.presign({ method: "GET", key: w.existing.key, headers: {} }),
    run: (w, s) => w.send("PUT", (s as PresignedRequest).url, {}, OTHER_BODY),
  },
];

/** A header-signed PUT of BODY to a fresh key, altered before it is sent. */
function headerSigned(
  name: string,
  attack: string,
  expect: Refusal,
  alter: (
    signed: SignedRequest,
    w: StoreWorld,
    path: string,
  ) => { path?: string; headers?: Record<string, string>; method?: string; body?: Buffer | null },
): C {
  return {
    family: "signature tampering",
    name: `Authorization header: ${name}`,
    attack,
    expect,
    setup: async (w) => {
      const path = w.path(w.freshKey("uploads/user-1/hdr"));
      const signed = await w.sign("PUT", path, {
        headers: { "content-type": "text/plain", "x-amz-meta-owner": "user-1" },
        body: BODY,
      });
      return { signed, path };
    },
    run: (w, prepared) => {
      const { signed, path } = prepared as { signed: SignedRequest; path: string };
      const out = alter(signed, w, path);
      const body = out.body === null ? undefined : (out.body ?? BODY);
      return w.send(out.method ?? "PUT", out.path ?? path, out.headers ?? signed.headers, body);
    },
  };
}

const withAuth = (
  s: SignedRequest,
  component: "Credential" | "SignedHeaders" | "Signature",
  edit: (v: string) => string,
) => ({
  headers: { ...s.headers, authorization: editAuthorization(s.headers.authorization!, component, edit) },
});

const headerCases: C[] = [
  headerSigned("credential region changed", "Credential scope region eu-west-1", HEADER_MALFORMED, (s) =>
    withAuth(s, "Credential", (v) => setCredentialPart(v, 2, "eu-west-1")),
  ),
  headerSigned("credential service changed", "Credential scope service iam", HEADER_MALFORMED, (s) =>
    withAuth(s, "Credential", (v) => setCredentialPart(v, 3, "iam")),
  ),
  headerSigned(
    "credential terminator changed",
    "Credential scope terminator aws5_request",
    HEADER_MALFORMED,
    (s) => withAuth(s, "Credential", (v) => setCredentialPart(v, 4, "aws5_request")),
  ),
  headerSigned(
    "credential date differs from x-amz-date",
    "Credential scope date 20200101",
    HEADER_MALFORMED,
    (s) => withAuth(s, "Credential", (v) => setCredentialPart(v, 1, "20200101")),
  ),
  headerSigned("access key unknown", "Credential names an unknown key", UNKNOWN_KEY, (s) =>
    withAuth(s, "Credential", (v) => setCredentialPart(v, 0, "AKIDNOTKNOWN00000000")),
  ),
  headerSigned(
    "access key swapped for another known key",
    "Credential names the other account's key",
    SDM,
    (s) => withAuth(s, "Credential", (v) => setCredentialPart(v, 0, ALT_CREDENTIALS.accessKeyId)),
  ),
  headerSigned("x-amz-date moved by a second", "x-amz-date one second later than signed", SDM, (s) => ({
    headers: { ...s.headers, "x-amz-date": aSecondLater(s.headers["x-amz-date"]!) },
  })),
  headerSigned(
    "x-amz-date dropped from SignedHeaders",
    "x-amz-date sent but left out of SignedHeaders",
    DENIED,
    (s) => withAuth(s, "SignedHeaders", (v) => v.replace(";x-amz-date", "")),
  ),
  headerSigned("signed metadata value changed", "x-amz-meta-owner user-1 -> admin", SDM, (s) => ({
    headers: { ...s.headers, "x-amz-meta-owner": "admin" },
  })),
  headerSigned(
    "signed payload hash swapped with the body",
    "x-amz-content-sha256 and body both replaced",
    SDM,
    (s) => ({
      headers: { ...s.headers, "x-amz-content-sha256": sha256hex(OTHER_BODY) },
      body: OTHER_BODY,
    }),
  ),
  headerSigned(
    "method PUT sent as POST ?uploads",
    "the signed PUT replayed as CreateMultipartUpload",
    SDM,
    (s, _w, path) => ({
      method: "POST",
      path: `${path}?uploads=`,
      body: null,
      headers: { ...s.headers, "x-amz-content-sha256": sha256hex("") },
    }),
  ),
  headerSigned("path changed", "the signed key replaced by the existing object's key", SDM, (_s, w) => ({
    path: w.path(w.existing.key),
  })),
  headerSigned(
    "query parameter added",
    "?x-id=PutObject appended to a request signed without it",
    SDM,
    (_s, _w, path) => ({
      path: `${path}?x-id=PutObject`,
    }),
  ),
  headerSigned("algorithm changed", "Authorization: AWS4-HMAC-SHA512 ...", INVALID_ARGUMENT, (s) => ({
    headers: {
      ...s.headers,
      authorization: s.headers.authorization!.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"),
    },
  })),
  headerSigned(
    "SigV4a algorithm claimed",
    "Authorization: AWS4-ECDSA-P256-SHA256 with the same fields",
    INVALID_ARGUMENT,
    (s) => ({
      headers: {
        ...s.headers,
        authorization: s.headers.authorization!.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"),
      },
    }),
  ),
  headerSigned("Signature component removed", "Authorization without Signature=", HEADER_MALFORMED, (s) => ({
    headers: { ...s.headers, authorization: s.headers.authorization!.replace(/, Signature=.*$/, "") },
  })),
  headerSigned("signature upper-cased", "Signature in upper-case hex", SDM, (s) =>
    withAuth(s, "Signature", (v) => v.toUpperCase()),
  ),
  headerSigned("signature truncated", "Signature with 63 digits", SDM, (s) =>
    withAuth(s, "Signature", (v) => v.slice(0, 63)),
  ),
  headerSigned("signature one digit changed", "Signature with one hex digit changed", SDM, (s) =>
    withAuth(s, "Signature", (v) => flipHex(v, 0)),
  ),
  headerSigned(
    "both header and query auth",
    "a valid Authorization header plus X-Amz-Signature query parameters",
    INVALID_ARGUMENT,
    (s, _w, path) => ({
      path: `${path}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${"0".repeat(64)}`,
      headers: s.headers,
    }),
  ),
];

const PAYLOAD = Buffer.from(Array.from({ length: 20_000 }, (_, i) => i % 251));

function chunked(
  name: string,
  attack: string,
  expect: Refusal,
  mode: "signed" | "signed-trailer",
  tamper: (wire: Buffer) => Buffer,
): C {
  return {
    family: "signature tampering",
    name: `aws-chunked: ${name}`,
    attack,
    expect,
    setup: (w) => chunkedPut(w, w.freshKey("uploads/user-1/chunked"), PAYLOAD, mode),
    run: (w, req) => {
      const r = req as Awaited<ReturnType<typeof chunkedPut>>;
      return sendChunked(w, r, tamper(r.wire));
    },
  };
}

const chunkedCases: C[] = [
  chunked(
    "first chunk signature changed",
    "one hex digit of the first chunk-signature changed",
    SDM,
    "signed",
    (wire) => flipAfter(wire, "chunk-signature=", 0, 10),
  ),
  chunked(
    "second chunk signature changed",
    "one hex digit of the second chunk-signature changed",
    SDM,
    "signed",
    (wire) => flipAfter(wire, "chunk-signature=", 1, 63),
  ),
  chunked(
    "final chunk signature changed",
    "one hex digit of the zero-length chunk's signature changed",
    SDM,
    "signed",
    (wire) => flipAfter(wire, "0;chunk-signature=", -1, 0),
  ),
  chunked(
    "chunk data changed under its signature",
    "one payload byte of the first chunk changed, signature kept",
    SDM,
    "signed",
    (wire) => {
      const out = Buffer.from(wire);
      const start = wire.indexOf("\r\n") + 2 + 100;
      out[start] = 0x71;
      return out;
    },
  ),
  chunked(
    "chunks swapped",
    "the first two chunks (each with its own signature) swapped",
    SDM,
    "signed",
    (wire) => {
      // A full chunk on the wire: "2000;chunk-signature=<64 hex>\r\n" + 8192 bytes + "\r\n".
      const size = "2000;chunk-signature=".length + 64 + 2 + 8192 + 2;
      return Buffer.concat([wire.subarray(size, 2 * size), wire.subarray(0, size), wire.subarray(2 * size)]);
    },
  ),
  chunked(
    "trailer signature changed",
    "one hex digit of x-amz-trailer-signature changed",
    SDM,
    "signed-trailer",
    (wire) => flipAfter(wire, "x-amz-trailer-signature:", 0, 5),
  ),
  chunked(
    "trailer value changed under its signature",
    "the crc32 trailer replaced, trailer signature kept",
    SDM,
    "signed-trailer",
    (wire) => {
      const text = wire.toString("latin1");
      return Buffer.from(
        text.replace(/x-amz-checksum-crc32:[^\r]*/, "x-amz-checksum-crc32:AAAAAA=="),
        "latin1",
      );
    },
  ),
];

runCatalogue("store-signature", openStoreWorld(), [...presignedCases, ...headerCases, ...chunkedCases]);
