import fc from "fast-check";

/** Fixed seed for every property in the SigV4 suites: failures must reproduce. */
export const SEED = 0x5167_4e34;

/** Every character SigV4/S3 encoding gets wrong somewhere, plus path tricks. */
const KEY_SPECIALS = [
  "!",
  "'",
  "(",
  ")",
  "*",
  "$",
  "&",
  "+",
  ",",
  ";",
  "=",
  ":",
  "@",
  "?",
  "#",
  "[",
  "]",
  "%",
  "~",
  "//",
  "..",
  ".",
  "/",
  " ",
  "  ",
  "%20",
  "%2F",
  "%2f",
  "\\",
  "^",
  "`",
  "{",
  "}",
  "|",
  "<",
  ">",
  '"',
  "-",
  "_",
];
const UNICODE = [
  "😀",
  "日本語",
  "é",
  "e\u0301",
  "\u{10FFFF}",
  "\u00a0",
  "\u2028",
  "\u{1F469}\u200D\u{1F4BB}",
];

const keyPiece = fc.oneof(
  fc.constantFrom(...KEY_SPECIALS),
  fc.string({ unit: "grapheme-ascii", maxLength: 6 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 3 }),
  fc.constantFrom(...UNICODE),
);

/** S3 keys: UTF-8 with astral characters, every reserved character, "//", "..", a leading "/". */
export const keyArb: fc.Arbitrary<string> = fc
  .tuple(fc.boolean(), fc.array(keyPiece, { minLength: 1, maxLength: 10 }))
  .map(([lead, pieces]) => `${lead ? "/" : ""}${pieces.join("")}`)
  .filter((k) => k.length > 0);

/** Buckets that can be virtual-hosted (one DNS label, no "--"). */
export const dnsBucketArb: fc.Arbitrary<string> = fc
  .stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/)
  .filter((b) => !b.includes("--"));

/** Also buckets that force path style: dots, upper case, underscores, too short, "--". */
export const bucketArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: dnsBucketArb, weight: 4 },
  { arbitrary: fc.constantFrom("my.bucket.name", "Upper_Case", "ab", "a--b", "x.y"), weight: 1 },
);

export const ENDPOINTS = [
  "https://s3.us-west-2.amazonaws.com",
  "https://s3.amazonaws.com",
  "http://localhost:9000",
  "http://127.0.0.1:4566",
  "http://[::1]:9000",
  "https://minio.example.com:9443",
  "https://acct.r2.cloudflarestorage.com",
  "https://gateway.example.com/storage/",
  "http://10.0.0.7",
];
export const endpointArb: fc.Arbitrary<string> = fc.constantFrom(...ENDPOINTS);

export const REGIONS = [
  "us-east-1",
  "us-west-2",
  "eu-central-1",
  "ap-southeast-2",
  "sa-east-1",
  "us-gov-west-1",
  "cn-north-1",
  "auto",
  "garage",
];
export const regionArb: fc.Arbitrary<string> = fc.constantFrom(...REGIONS);

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const credentialsArb: fc.Arbitrary<TestCredentials> = fc
  .record({
    accessKeyId: fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{12,16}$/),
    secretAccessKey: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 40 }),
    sessionToken: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=%]{1,60}$/), { nil: undefined }),
  })
  .map(({ sessionToken, ...rest }) => (sessionToken === undefined ? rest : { ...rest, sessionToken }));

/** Whole seconds: X-Amz-Date has no milliseconds. Years keep the yyyy format. */
export const dateArb: fc.Arbitrary<Date> = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true })
  .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));

export const expiresArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1, max: 604_800 }),
  fc.constantFrom(1, 60, 900, 3600, 604_800),
);

/**
 * A header value a browser can send: printable ASCII, spaces and tabs (also at the edges and in
 * runs) and Latin-1 bytes including NO-BREAK SPACE, which is not SigV4 whitespace.
 */
export const headerValueArb: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(
    { arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }), weight: 6 },
    { arbitrary: fc.constantFrom(" ", "  ", "\t", " \t "), weight: 2 },
    { arbitrary: fc.constantFrom("é", "\u00a0", "ÿ", "\u0085"), weight: 1 },
  ),
  maxLength: 16,
});

const base64Of = (n: number) =>
  fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString("base64"));

/** Metadata names: tokens; the engine lower-cases them. */
export const metaNameArb: fc.Arbitrary<string> = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,11}$/);

/** Metadata values travel in the query, so any well-formed text without control characters. */
export const metaValueArb: fc.Arbitrary<string> = fc
  .string({
    unit: fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), fc.constantFrom(...UNICODE)),
  })
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the engine refuses control characters.
  .filter((v) => !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(v));

/** The headers upgate signs on a presigned PUT, each optional, with lower-case names. */
export const signedHeadersArb: fc.Arbitrary<Array<[string, string]>> = fc
  .record(
    {
      "content-type": fc.oneof(fc.constantFrom("image/png", "text/plain; charset=utf-8"), headerValueArb),
      "content-length": fc.nat({ max: 5 * 1024 ** 4 }).map(String),
      "content-md5": base64Of(16),
      "x-amz-checksum-sha256": base64Of(32),
      "if-none-match": fc.constant("*"),
      "x-amz-tagging": fc
        .array(fc.tuple(metaNameArb, metaNameArb), { maxLength: 3 })
        .map((tags) => tags.map(([k, v]) => `${k}=${v}`).join("&")),
      "cache-control": headerValueArb,
      "content-disposition": fc.constantFrom('attachment; filename="a b.txt"', "inline"),
      "x-amz-server-side-encryption": fc.constant("AES256"),
      "x-amz-acl": fc.constantFrom("private", "public-read", "bucket-owner-full-control"),
      "x-amz-storage-class": fc.constantFrom("STANDARD", "REDUCED_REDUNDANCY", "GLACIER_IR"),
    },
    { requiredKeys: [] },
  )
  .chain((fixed) =>
    fc
      .uniqueArray(fc.tuple(metaNameArb, metaValueArb), { selector: ([n]) => n, maxLength: 4 })
      .map((meta) => [
        ...Object.entries(fixed),
        ...meta.map(([n, v]): [string, string] => [`x-amz-meta-${n}`, v]),
      ]),
  );

/** Extra signed query parameters: multipart, valueless, response overrides, arbitrary names. */
export const extraQueryArb: fc.Arbitrary<Array<[string, string]>> = fc
  .record(
    {
      partNumber: fc.integer({ min: 1, max: 10_000 }).map(String),
      uploadId: fc.string({ unit: "binary", maxLength: 20 }),
      uploads: fc.constant(""),
      versionId: fc.stringMatching(/^[A-Za-z0-9._+/=-]{1,32}$/),
      "response-content-disposition": fc.constantFrom('attachment; filename="ü x.txt"', "inline"),
    },
    { requiredKeys: [] },
  )
  .chain((fixed) =>
    fc
      .uniqueArray(
        fc.tuple(
          fc
            .string({
              unit: fc.oneof(
                fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }),
                fc.constantFrom(...UNICODE),
              ),
              minLength: 1,
              maxLength: 8,
            })
            .filter((n) => !n.toLowerCase().startsWith("x-amz-") && n !== "__proto__" && !(n in fixed)),
          fc.string({ unit: "binary", maxLength: 8 }),
        ),
        { selector: ([n]) => n, maxLength: 2 },
      )
      .map((extra) => [...Object.entries(fixed), ...extra]),
  );

export const methodArb: fc.Arbitrary<string> = fc.constantFrom("PUT", "PUT", "GET", "HEAD", "POST", "DELETE");

/** What presignUrl takes, minus how the caller spells things: both presign suites generate it. */
export interface PresignInput {
  method: string;
  endpoint: string;
  forcePathStyle: boolean;
  bucket: string;
  key: string;
  region: string;
  credentials: TestCredentials;
  expiresIn: number;
  date: Date;
  /** Lower-case names, unique. */
  headers: Array<[string, string]>;
  query: Array<[string, string]>;
}

/** The fields of a PresignInput record, to spread into a larger fc.record (order fixes the draws). */
export const presignInputArbs = {
  method: methodArb,
  endpoint: endpointArb,
  forcePathStyle: fc.boolean(),
  bucket: bucketArb,
  key: keyArb,
  region: regionArb,
  credentials: credentialsArb,
  expiresIn: expiresArb,
  date: dateArb,
  headers: signedHeadersArb,
  query: extraQueryArb,
} satisfies { [K in keyof PresignInput]: fc.Arbitrary<PresignInput[K]> };

/** Upgate's hoisting rule, restated from the design: S3 honours only these in the query. */
export const hoistedBySpec = (name: string): boolean =>
  name.startsWith("x-amz-meta-") || name === "x-amz-acl" || name === "x-amz-storage-class";

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** When a request goes virtual-host style, by the design's rule and the SDK's IP-literal exception. */
export function virtualHosted(endpoint: string, bucket: string, forcePathStyle: boolean): boolean {
  const host = new URL(endpoint).hostname;
  const ip = IPV4.test(host) || host.startsWith("[");
  return !forcePathStyle && !ip && /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket) && !bucket.includes("--");
}
