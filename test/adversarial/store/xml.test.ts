import type { SignedRequest } from "../../../src/core/sigv4/sign-request.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { requestHead } from "../support/raw-socket.js";
import { runCatalogue } from "../support/runner.js";
import { INVALID_REQUEST } from "../support/store-refusals.js";
import { md5b64, openStoreWorld, type StoreWorld } from "../support/store-world.js";

const MALFORMED: Refusal = { status: 400, code: "MalformedXML" };
const TOO_BIG: Refusal = { status: 400, code: "MaxMessageLengthExceeded" };
const MISSING_MD5: Refusal = INVALID_REQUEST;

type C = AdversarialCase<StoreWorld>;
type Target = "complete" | "delete" | "cors";

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>`;
const EXTERNAL = `<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>`;
const PARAMETER = `<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY % remote SYSTEM "http://127.0.0.1:1/evil.dtd"> %remote; ]>`;

function path(w: StoreWorld, target: Target): string {
  if (target === "complete") return w.path(w.upload.key, `uploadId=${encodeURIComponent(w.upload.uploadId)}`);
  return `/${w.bucket}?${target === "delete" ? "delete=" : "cors="}`;
}
const method = (target: Target) => (target === "cors" ? "PUT" : "POST");

/** A well-formed body for each target, with `inner` spliced where its repeated element goes. */
function wrap(w: StoreWorld, target: Target, inner?: string): string {
  switch (target) {
    case "complete":
      return `<CompleteMultipartUpload>${inner ?? `<Part><PartNumber>2</PartNumber><ETag>${w.upload.parts[1]!.etag}</ETag></Part>`}</CompleteMultipartUpload>`;
    case "delete":
      return `<Delete>${inner ?? `<Object><Key>${w.existing.key}</Key></Object>`}</Delete>`;
    case "cors":
      return `<CORSConfiguration>${inner ?? "<CORSRule><AllowedOrigin>https://evil.example</AllowedOrigin><AllowedMethod>PUT</AllowedMethod></CORSRule>"}</CORSConfiguration>`;
  }
}

/** A correctly signed request to `target` carrying `body` (with Content-MD5 unless told otherwise). */
function xmlCase(
  target: Target,
  name: string,
  attack: string,
  expect: Refusal,
  body: (w: StoreWorld) => string | Buffer,
  options: { md5?: "right" | "none" | "wrong" } = {},
): C {
  return {
    family: "malformed XML",
    name: `${target === "complete" ? "CompleteMultipartUpload" : target === "delete" ? "DeleteObjects" : "PutBucketCors"}: ${name}`,
    attack,
    expect,
    setup: async (w) => {
      const b = body(w);
      const md5 = options.md5 ?? "right";
      const headers: Record<string, string> = {};
      if (md5 === "right") headers["content-md5"] = md5b64(b);
      if (md5 === "wrong") headers["content-md5"] = md5b64("something else");
      const p = path(w, target);
      return { p, b, signed: await w.sign(method(target), p, { headers, body: b }) };
    },
    run: (w, prepared) => {
      const { p, b, signed } = prepared as { p: string; b: string | Buffer; signed: SignedRequest };
      return w.send(method(target), p, signed.headers, b);
    },
  };
}

const objects = (n: number) =>
  Array.from({ length: n }, (_, i) => `<Object><Key>k${i}</Key></Object>`).join("");

/** The same XML attacks against each parser. */
function everywhere(target: Target): C[] {
  return [
    xmlCase(
      target,
      "billion laughs",
      "a DTD whose entities expand to a billion 'lol's",
      MALFORMED,
      (w) => BILLION_LAUGHS + wrap(w, target).replace(/<(\w+)>/, "<$1>&lol9;"),
    ),
    xmlCase(
      target,
      "external entity",
      "a DTD with <!ENTITY xxe SYSTEM file:///etc/passwd> used in the body",
      MALFORMED,
      (w) => EXTERNAL + wrap(w, target).replace(/<(\w+)>/, "<$1>&xxe;"),
    ),
    xmlCase(
      target,
      "external parameter entity",
      "a DTD pulling an external DTD through a parameter entity",
      MALFORMED,
      (w) => PARAMETER + wrap(w, target),
    ),
    xmlCase(target, "unclosed tag", "the root element never closed", MALFORMED, (w) =>
      wrap(w, target).replace(/<\/\w+>$/, ""),
    ),
    xmlCase(target, "undefined entity", "&nbsp; (not one of XML's five) inside an element", MALFORMED, (w) =>
      wrap(w, target).replace(/<(\w+)>/, "<$1>&nbsp;"),
    ),
    xmlCase(target, "10 MB body", "a 10 MB document (whitespace padding inside the root)", TOO_BIG, (w) =>
      wrap(w, target).replace(/<(\w+)>/, `<$1>${" ".repeat(10 * 1024 * 1024)}`),
    ),
    xmlCase(
      target,
      "wrong root element",
      "a well-formed document with another root",
      MALFORMED,
      () => "<Evil><Part/></Evil>",
    ),
    xmlCase(target, "empty body", "a signed request with no body", MALFORMED, () => ""),
  ];
}

const completeCases: C[] = [
  ...everywhere("complete"),
  xmlCase(
    "complete",
    "no parts",
    "<CompleteMultipartUpload/> with no Part",
    MALFORMED,
    () => "<CompleteMultipartUpload></CompleteMultipartUpload>",
  ),
  xmlCase("complete", "part number not a number", "<PartNumber>one</PartNumber>", MALFORMED, (w) =>
    wrap(w, "complete", `<Part><PartNumber>one</PartNumber><ETag>${w.upload.parts[0]!.etag}</ETag></Part>`),
  ),
  xmlCase(
    "complete",
    "parts out of order",
    "parts listed 2 then 1",
    { status: 400, code: "InvalidPartOrder" },
    (w) =>
      wrap(
        w,
        "complete",
        `<Part><PartNumber>2</PartNumber><ETag>${w.upload.parts[1]!.etag}</ETag></Part><Part><PartNumber>1</PartNumber><ETag>${w.upload.parts[0]!.etag}</ETag></Part>`,
      ),
  ),
  xmlCase(
    "complete",
    "part listed twice",
    "part 2 listed twice, last with part 1's ETag (a repeated number counts once, as listed last)",
    { status: 400, code: "InvalidPart" },
    (w) =>
      wrap(
        w,
        "complete",
        `<Part><PartNumber>2</PartNumber><ETag>${w.upload.parts[1]!.etag}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>${w.upload.parts[0]!.etag}</ETag></Part>`,
      ),
  ),
  xmlCase(
    "complete",
    "part that was never uploaded",
    "part 7 listed",
    { status: 400, code: "InvalidPart" },
    (w) =>
      wrap(w, "complete", `<Part><PartNumber>7</PartNumber><ETag>${w.upload.parts[0]!.etag}</ETag></Part>`),
  ),
  xmlCase(
    "complete",
    "ETag of another part",
    "part 1 listed with part 2's ETag",
    { status: 400, code: "InvalidPart" },
    (w) =>
      wrap(w, "complete", `<Part><PartNumber>1</PartNumber><ETag>${w.upload.parts[1]!.etag}</ETag></Part>`),
  ),
  xmlCase(
    "complete",
    "undersized non-last part",
    "two 1 KiB parts completed (every part but the last must be 5 MiB)",
    { status: 400, code: "EntityTooSmall" },
    (w) =>
      wrap(
        w,
        "complete",
        w.upload.parts
          .map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${p.etag}</ETag></Part>`)
          .join(""),
      ),
  ),
  xmlCase("complete", "text mixed into the part list", "free text between Part elements", MALFORMED, (w) =>
    wrap(w, "complete", `junk<Part><PartNumber>2</PartNumber><ETag>${w.upload.parts[1]!.etag}</ETag></Part>`),
  ),
];

const deleteCases: C[] = [
  ...everywhere("delete"),
  xmlCase("delete", "1001 keys", "one key over S3's limit of 1000 per request", MALFORMED, (w) =>
    wrap(w, "delete", `${objects(1000)}<Object><Key>${w.existing.key}</Key></Object>`),
  ),
  xmlCase(
    "delete",
    "no Content-MD5",
    "DeleteObjects without Content-MD5 or any x-amz-checksum",
    MISSING_MD5,
    (w) => wrap(w, "delete"),
    { md5: "none" },
  ),
  xmlCase(
    "delete",
    "wrong Content-MD5",
    "DeleteObjects whose Content-MD5 is another body's",
    { status: 400, code: "BadDigest" },
    (w) => wrap(w, "delete"),
    { md5: "wrong" },
  ),
  xmlCase("delete", "empty key", "<Key></Key> next to the real key", MALFORMED, (w) =>
    wrap(w, "delete", `<Object><Key>${w.existing.key}</Key></Object><Object><Key></Key></Object>`),
  ),
  xmlCase("delete", "Quiet not a boolean", "<Quiet>maybe</Quiet>", MALFORMED, (w) =>
    wrap(w, "delete", `<Quiet>maybe</Quiet><Object><Key>${w.existing.key}</Key></Object>`),
  ),
];

const corsCases: C[] = [
  ...everywhere("cors"),
  xmlCase(
    "cors",
    "no Content-MD5",
    "PutBucketCors without Content-MD5",
    MISSING_MD5,
    (w) => wrap(w, "cors"),
    { md5: "none" },
  ),
  xmlCase(
    "cors",
    "wrong Content-MD5",
    "PutBucketCors whose Content-MD5 is another body's",
    { status: 400, code: "BadDigest" },
    (w) => wrap(w, "cors"),
    { md5: "wrong" },
  ),
  xmlCase("cors", "101 rules", "one rule over S3's limit of 100", INVALID_REQUEST, (w) =>
    wrap(
      w,
      "cors",
      "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>".repeat(101),
    ),
  ),
  xmlCase("cors", "unsupported method", "<AllowedMethod>PATCH</AllowedMethod>", INVALID_REQUEST, (w) =>
    wrap(
      w,
      "cors",
      "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule>",
    ),
  ),
  xmlCase(
    "cors",
    "two wildcards in an origin",
    "<AllowedOrigin>https://*.*.example</AllowedOrigin>",
    INVALID_REQUEST,
    (w) =>
      wrap(
        w,
        "cors",
        "<CORSRule><AllowedOrigin>https://*.*.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>",
      ),
  ),
  xmlCase(
    "cors",
    "unknown element in a rule",
    "<AllowCredentials>true</AllowCredentials> inside a rule",
    MALFORMED,
    (w) =>
      wrap(
        w,
        "cors",
        "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowCredentials>true</AllowCredentials></CORSRule>",
      ),
  ),
  xmlCase("cors", "rule without a method", "a CORSRule with only an origin", MALFORMED, (w) =>
    wrap(w, "cors", "<CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule>"),
  ),
];

const createBucket: C = {
  family: "malformed XML",
  name: "CreateBucket: entity expansion in the configuration",
  attack: "CreateBucketConfiguration with a billion-laughs DTD (no bucket may appear)",
  expect: MALFORMED,
  setup: async (w) => {
    const body = `${BILLION_LAUGHS}<CreateBucketConfiguration><LocationConstraint>&lol9;</LocationConstraint></CreateBucketConfiguration>`;
    return { body, signed: await w.sign("PUT", "/evil-bucket", { body }) };
  },
  run: (w, p) => {
    const { body, signed } = p as { body: string; signed: SignedRequest };
    return w.send("PUT", "/evil-bucket", signed.headers, body);
  },
};

/** A declared 10 MB DeleteObjects body of which only the first bytes arrive: refused before it is read. */
const declaredHuge: C = {
  family: "malformed XML",
  name: "DeleteObjects: 10 MB declared, refused unread",
  attack: "Content-Length of 10 MB with UNSIGNED-PAYLOAD; the store must answer before reading it",
  expect: TOO_BIG,
  setup: async (w) => {
    const p = `/${w.bucket}?delete=`;
    return {
      p,
      signed: await w.sign("POST", p, {
        headers: { "content-md5": md5b64("x") },
        payloadHash: "UNSIGNED-PAYLOAD",
      }),
    };
  },
  run: (w, prepared) => {
    const { p, signed } = prepared as { p: string; signed: SignedRequest };
    const lines: Array<[string, string]> = [
      ["host", w.host],
      ["content-length", String(10 * 1024 * 1024)],
      ...Object.entries(signed.headers),
    ];
    return w.raw([requestHead("POST", p, lines), "<Delete><Object><Key>"], { halfClose: false });
  },
};

runCatalogue("store-xml", openStoreWorld(), [
  ...completeCases,
  ...deleteCases,
  ...corsCases,
  createBucket,
  declaredHuge,
]);
