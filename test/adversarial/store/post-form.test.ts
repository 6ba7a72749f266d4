import { hmacSha256Hex } from "../../../src/core/sigv4/crypto.js";
import {
  createPostPolicy,
  type PolicyCondition,
  type PostPolicy,
} from "../../../src/core/sigv4/post-policy.js";
import { signingKey } from "../../../src/core/sigv4/signing-key.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { requestHead } from "../support/raw-socket.js";
import { runCatalogue } from "../support/runner.js";
import { DENIED, INVALID_ARGUMENT, SDM } from "../support/store-refusals.js";
import { openStoreWorld, type StoreWorld, sha256b64 } from "../support/store-world.js";

const MALFORMED: Refusal = { status: 400, code: "MalformedPOSTRequest" };
const FILE_COUNT: Refusal = { status: 400, code: "IncorrectNumberOfFilesInPostRequest" };
const BAD_POLICY: Refusal = { status: 400, code: "InvalidPolicyDocument" };

const FILE = Buffer.from("hello from a browser form upload\n");
const BOUNDARY = "----upgateAdversarialBoundary7MA4YWxk";

type C = AdversarialCase<StoreWorld>;
type Field = [string, string];
type Part = { field: Field } | { file: { name?: string; filename: string; data: Buffer; type?: string } };

/** The gateway's usual policy: a key under uploads/user-1/, a text type, 1 B to 1000 B, five minutes. */
async function policyFor(
  w: StoreWorld,
  overrides: {
    conditions?: PolicyCondition[];
    date?: Date;
    expiresIn?: number;
    fields?: Record<string, string>;
    credentials?: { accessKeyId: string; secretAccessKey: string };
  } = {},
): Promise<PostPolicy> {
  return createPostPolicy({
    endpoint: w.url,
    bucket: w.bucket,
    forcePathStyle: true,
    keyPrefix: "uploads/user-1/",
    region: w.region,
    credentials: overrides.credentials ?? w.credentials,
    expiresIn: overrides.expiresIn ?? 300,
    fields: overrides.fields ?? { "Content-Type": "text/plain" },
    conditions: overrides.conditions ?? [["content-length-range", 1, 1000]],
    ...(overrides.date ? { date: overrides.date } : {}),
  });
}

/** multipart/form-data bytes, exactly in the order given. */
function formBody(parts: Part[], boundary = BOUNDARY, closing = true): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ("field" in part) {
      chunks.push(
        Buffer.from(`Content-Disposition: form-data; name="${part.field[0]}"\r\n\r\n${part.field[1]}\r\n`),
      );
    } else {
      const f = part.file;
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${f.name ?? "file"}"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? "text/plain"}\r\n\r\n`,
        ),
        f.data,
        Buffer.from("\r\n"),
      );
    }
  }
  if (closing) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const fieldsOf = (p: PostPolicy): Part[] => Object.entries(p.fields).map(([k, v]) => ({ field: [k, v] }));
const file = (data = FILE, filename = "note.txt"): Part => ({ file: { filename, data } });

async function post(
  w: StoreWorld,
  body: Buffer,
  contentType = `multipart/form-data; boundary=${BOUNDARY}`,
): Promise<Refusal> {
  const res = await fetch(`${w.url}/${w.bucket}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
    redirect: "manual",
  });
  const text = await res.text();
  return { status: res.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? "" };
}

/** A form built from the usual policy (or one `policy` makes), posted as `build` lays it out. */
function form(
  name: string,
  attack: string,
  expect: Refusal,
  build: (p: PostPolicy, w: StoreWorld) => Part[] | Promise<Part[]>,
  policy: (w: StoreWorld) => Promise<PostPolicy> = (w) => policyFor(w),
): C {
  return {
    family: "malformed POST form",
    name,
    attack,
    expect,
    setup: (w) => policy(w),
    run: async (w, p) => post(w, formBody(await build(p as PostPolicy, w))),
  };
}

/** Replaces field `name`'s value (the first such field). */
const setField = (parts: Part[], name: string, value: string): Part[] =>
  parts.map((p) => ("field" in p && p.field[0] === name ? { field: [name, value] } : p));
const dropField = (parts: Part[], name: string): Part[] =>
  parts.filter((p) => !("field" in p && p.field[0] === name));

/** A policy document signed correctly, whatever it says (the signature is not what is under test). */
async function signedRawPolicy(w: StoreWorld, policyText: string): Promise<PostPolicy> {
  const base = await policyFor(w);
  const policy = Buffer.from(policyText).toString("base64");
  const date = base.fields["x-amz-date"]!.slice(0, 8);
  const key = await signingKey(w.credentials.secretAccessKey, date, w.region, "s3");
  return { ...base, fields: { ...base.fields, policy, "x-amz-signature": await hmacSha256Hex(key, policy) } };
}

const cases: C[] = [
  {
    family: "malformed POST form",
    name: "no boundary in Content-Type",
    attack: "Content-Type: multipart/form-data with no boundary parameter",
    expect: MALFORMED,
    setup: (w) => policyFor(w),
    run: (w, p) => post(w, formBody([...fieldsOf(p as PostPolicy), file()]), "multipart/form-data"),
  },
  {
    family: "malformed POST form",
    name: "boundary differs from the body's",
    attack: "Content-Type names one boundary, the body uses another",
    expect: MALFORMED,
    setup: (w) => policyFor(w),
    run: (w, p) =>
      post(
        w,
        formBody([...fieldsOf(p as PostPolicy), file()]),
        "multipart/form-data; boundary=somethingElse",
      ),
  },
  {
    family: "malformed POST form",
    name: "body truncated before the closing boundary",
    attack: "the form cut short in the file and the socket closed",
    expect: { status: 400, code: "IncompleteBody" },
    setup: (w) => policyFor(w),
    run: (w, p) => {
      const body = formBody([...fieldsOf(p as PostPolicy), file()], BOUNDARY, false);
      const cut = body.subarray(0, body.length - 10);
      const head = requestHead("POST", `/${w.bucket}`, [
        ["host", w.host],
        ["content-type", `multipart/form-data; boundary=${BOUNDARY}`],
        ["content-length", String(body.length + 40)],
      ]);
      return w.raw([head, cut]);
    },
  },
  form(
    "file before the policy",
    "the file part first, every signed field after it (ignored, as S3 does)",
    DENIED,
    (p) => [file(), ...fieldsOf(p)],
  ),
  form("two files", "two file parts", FILE_COUNT, (p) => [
    ...fieldsOf(p),
    file(FILE, "a.txt"),
    file(FILE, "b.txt"),
  ]),
  form("no file", "every field, no file part", FILE_COUNT, (p) => fieldsOf(p)),
  form(
    "attacker's policy first",
    "a forged policy field before the signed one (first value wins)",
    SDM,
    (p) => [
      {
        field: [
          "policy",
          Buffer.from(JSON.stringify({ expiration: "2099-01-01T00:00:00Z", conditions: [] })).toString(
            "base64",
          ),
        ],
      },
      ...fieldsOf(p),
      file(),
    ],
  ),
  form("attacker's key first", "key=uploads/user-2/stolen.txt before the signed key field", DENIED, (p) => [
    { field: ["key", "uploads/user-2/stolen.txt"] },
    ...fieldsOf(p),
    file(),
  ]),
  form(
    "file over content-length-range",
    "a 2000-byte file where the policy allows 1 to 1000",
    { status: 400, code: "EntityTooLarge" },
    (p) => [...fieldsOf(p), file(Buffer.alloc(2000, "x"))],
  ),
  form(
    "file far over content-length-range",
    "a 2 MB file where the policy allows 1000 bytes (never stored)",
    { status: 400, code: "EntityTooLarge" },
    (p) => [...fieldsOf(p), file(Buffer.alloc(2 * 1024 * 1024, "y"))],
  ),
  form(
    "empty file under content-length-range",
    "a 0-byte file where the policy requires at least 1",
    { status: 400, code: "EntityTooSmall" },
    (p) => [...fieldsOf(p), file(Buffer.alloc(0))],
  ),
  form(
    "key outside starts-with",
    "key=uploads/user-2/x.txt where the policy says uploads/user-1/",
    DENIED,
    (p) => setField([...fieldsOf(p), file()], "key", "uploads/user-2/x.txt"),
  ),
  form(
    "Content-Type field missing",
    "the policy's Content-Type field left out (its condition then fails)",
    DENIED,
    (p) => dropField([...fieldsOf(p), file()], "Content-Type"),
  ),
  form(
    "Content-Type outside the policy",
    "Content-Type: image/svg+xml where the policy says text/plain",
    DENIED,
    (p) => setField([...fieldsOf(p), file()], "Content-Type", "image/svg+xml"),
  ),
  form(
    "expired policy",
    "a policy that expired an hour ago",
    DENIED,
    (p) => [...fieldsOf(p), file()],
    (w) => policyFor(w, { date: new Date(Date.now() - 2 * 3600_000), expiresIn: 3600 }),
  ),
  form("signature tampered", "one hex digit of x-amz-signature changed", SDM, (p) =>
    setField(
      [...fieldsOf(p), file()],
      "x-amz-signature",
      p.fields["x-amz-signature"]!.replace(/.$/, (c) => (c === "0" ? "1" : "0")),
    ),
  ),
  form("signature missing", "no x-amz-signature field", DENIED, (p) =>
    dropField([...fieldsOf(p), file()], "x-amz-signature"),
  ),
  form("policy missing", "no policy field", DENIED, (p) => dropField([...fieldsOf(p), file()], "policy")),
  form(
    "policy edited, signature kept",
    "content-length-range raised to 1 GB in the policy, not re-signed",
    SDM,
    (p) => {
      const edited = Buffer.from(
        JSON.stringify({
          ...p.policy,
          conditions: p.policy.conditions.map((c) =>
            Array.isArray(c) && c[0] === "content-length-range" ? ["content-length-range", 1, 1e9] : c,
          ),
        }),
      ).toString("base64");
      return setField([...fieldsOf(p), file()], "policy", edited);
    },
  ),
  form("field not covered by the policy", "an extra x-amz-meta-role: admin field", DENIED, (p) => [
    ...fieldsOf(p),
    { field: ["x-amz-meta-role", "admin"] },
    file(),
  ]),
  form(
    "bucket condition for another bucket",
    "a policy whose bucket condition names other-bucket",
    DENIED,
    (p) => [...fieldsOf(p), file()],
    (w) =>
      policyFor(w, {
        conditions: [
          ["content-length-range", 1, 1000],
          ["eq", "$bucket", "other-bucket"],
        ],
      }),
  ),
  form(
    "unknown access key",
    "x-amz-credential naming a key the store does not know",
    { status: 403, code: "InvalidAccessKeyId" },
    (p) => [...fieldsOf(p), file()],
    (w) => policyFor(w, { credentials: { accessKeyId: "AKIDNOTKNOWN00000000", secretAccessKey: "x" } }),
  ),
  form(
    "policy is not JSON",
    "a correctly signed policy whose text is not JSON",
    BAD_POLICY,
    (p) => [...fieldsOf(p), file()],
    (w) => signedRawPolicy(w, "{not json"),
  ),
  form(
    "policy without expiration",
    "a correctly signed policy with conditions but no expiration",
    BAD_POLICY,
    (p) => [...fieldsOf(p), file()],
    (w) => signedRawPolicy(w, JSON.stringify({ conditions: [["starts-with", "$key", ""]] })),
  ),
  form(
    "checksum field does not match the file",
    "x-amz-checksum-sha256 of another file",
    { status: 400, code: "BadDigest" },
    (p) => [...fieldsOf(p), file()],
    (w) =>
      policyFor(w, {
        fields: { "Content-Type": "text/plain", "x-amz-checksum-sha256": sha256b64("another file") },
      }),
  ),
  form(
    "fields before the file over 20 KB",
    "a 25 KB x-ignore-pad field before the file",
    { status: 400, code: "MaxPostPreDataLengthExceededError" },
    (p) => [...fieldsOf(p), { field: ["x-ignore-pad", "p".repeat(25 * 1024)] }, file()],
  ),
  form("no key field", "every signed field but key", INVALID_ARGUMENT, (p) =>
    dropField([...fieldsOf(p), file()], "key"),
  ),
  form(
    "metadata over 2 KB",
    "policy-covered x-amz-meta-* fields totalling 3 KB",
    { status: 400, code: "MetadataTooLarge" },
    (p) => [...fieldsOf(p), file()],
    (w) =>
      policyFor(w, {
        fields: {
          "Content-Type": "text/plain",
          "x-amz-meta-a": "a".repeat(1500),
          "x-amz-meta-b": "b".repeat(1500),
        },
      }),
  ),
];

runCatalogue("store-post-form", openStoreWorld({ backend: "fs" }), cases);
