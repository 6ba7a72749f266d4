import fc from "fast-check";
import { ERROR_CODES, UpgateError } from "../../../src/core/errors.js";
import type { RoutePolicy } from "../../../src/core/policy/route.js";
import { checkFiles } from "../../../src/core/policy/route.js";
import { readJsonBody } from "../../../src/server/http/json-body.js";
import { parseCompleteRequest } from "../../../src/server/uploads/complete-request.js";
import { parseCreateRequest } from "../../../src/server/uploads/create-request.js";
import { parsePartsRequest, requirePartChecksums } from "../../../src/server/uploads/parts-request.js";
import { applyByteEdits, type Edit, editsArb, nastyArb, rawBytesArb } from "../arbitraries/mutate.js";
import { observe } from "../harness/observe.js";
import { check, checkEqual, type FuzzTarget, settle, settleSync } from "../harness/target.js";

const ROUTE: RoutePolicy = {
  name: "images",
  label: "Images",
  types: ["image/*", "application/pdf"],
  maxSize: 10 * 1024 * 1024,
  minSize: 1,
  maxFiles: 5,
  expiresIn: 600,
  checksum: "optional",
  checksumAlgorithm: "sha256",
  strategy: "auto",
  multipartThreshold: 8 * 1024 * 1024,
  partSize: 8 * 1024 * 1024,
  sniff: true,
  public: false,
  keyTemplate: "{route}/{userId}/{random}{ext}",
};
const LIMIT = 64 * 1024;

/** JSON values with the shapes the endpoints expect, and every other shape too. */
const jsonValueArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, 10_000, 10_001, "", "x", "__proto__"),
    nastyArb,
    fc.integer(),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          "route",
          "files",
          "parts",
          "partNumber",
          "etag",
          "partNumbers",
          "sha256",
          "name",
          "type",
          "size",
          "metadata",
          "__proto__",
          "constructor",
        ),
        nastyArb,
      ),
      tie("value"),
      { maxKeys: 4 },
    ),
  ),
})).value;

const fileArb = fc.record(
  {
    name: fc.oneof(
      fc.constantFrom("a.png", "photo.jpg", "../x.png", "a\u0000.png"),
      fc.string({ maxLength: 20 }),
    ),
    type: fc.constantFrom("image/png", "image/jpeg", "application/pdf", "text/html", "IMAGE/PNG; x=1"),
    size: fc.oneof(fc.integer({ min: 0, max: 20 * 1024 * 1024 }), fc.constantFrom(-1, 1.5, 2 ** 53)),
    sha256: fc.oneof(
      fc.constant("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="),
      fc.string({ maxLength: 50 }),
    ),
    metadata: fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), { maxKeys: 2 }),
  },
  { requiredKeys: ["name", "type", "size"] },
);

const bodyArb = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      route: fc.oneof(fc.constant("images"), fc.string({ maxLength: 70 })),
      files: fc.array(fileArb, { maxLength: 6 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      parts: fc.uniqueArray(
        fc.record({
          partNumber: fc.integer({ min: 1, max: 10_000 }),
          etag: fc.stringMatching(/^"[0-9a-f]{32}"$/),
        }),
        {
          selector: (p) => p.partNumber,
          maxLength: 5,
        },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 })
      .map((partNumbers) => ({
        partNumbers,
        sha256: Object.fromEntries(
          partNumbers.slice(0, 2).map((n) => [String(n), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="]),
        ),
      })),
  },
  { weight: 3, arbitrary: jsonValueArb },
);

interface Input {
  body: { kind: "json"; value: unknown; edits: Edit[] } | { kind: "raw"; bytes: Uint8Array };
  contentType: string;
  partCount: number;
}

const inputArb: fc.Arbitrary<Input> = fc.record({
  body: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("json" as const),
        value: bodyArb,
        edits: fc.oneof(
          { weight: 2, arbitrary: fc.constant<Edit[]>([]) },
          { weight: 1, arbitrary: editsArb(2) },
        ),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("raw" as const), bytes: rawBytesArb(300) }) },
  ),
  contentType: fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "application/vnd.api+json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "",
  ),
  partCount: fc.integer({ min: 1, max: 40 }),
});

const isApiError = (codes: string[]) => (err: unknown) =>
  err instanceof UpgateError && codes.includes(err.code) && Object.hasOwn(ERROR_CODES, err.code);
const validation = isApiError(["VALIDATION_FAILED"]);

async function property(input: Input): Promise<void> {
  const bytes =
    input.body.kind === "raw"
      ? input.body.bytes
      : applyByteEdits(new TextEncoder().encode(JSON.stringify(input.body.value) ?? ""), input.body.edits);
  const headers: Record<string, string> = input.contentType ? { "content-type": input.contentType } : {};
  const request = new Request("http://gateway.test/v1/uploads", { method: "POST", headers, body: bytes });
  const read = await settle(
    () => readJsonBody(request, LIMIT),
    isApiError(["VALIDATION_FAILED", "PAYLOAD_TOO_LARGE"]),
    "readJsonBody",
  );
  const unchanged =
    input.body.kind === "json" &&
    input.body.edits.length === 0 &&
    JSON.stringify(input.body.value) !== undefined;
  if (
    unchanged &&
    /json/.test(input.contentType) &&
    bytes.length > 0 &&
    new TextDecoder().decode(bytes).trim() !== ""
  ) {
    check(read.ok, "readJsonBody refused JSON sent as JSON");
    checkEqual(
      read.value,
      JSON.parse(JSON.stringify((input.body as { value: unknown }).value)),
      "readJsonBody round trip",
    );
  }
  observe(read.ok ? "read" : `refused:${(read.error as UpgateError).code}`);
  if (!read.ok) return;
  const body = read.value;

  const create = settleSync(() => parseCreateRequest(body), validation, "parseCreateRequest");
  if (create.ok) {
    const files = settleSync(
      () => checkFiles(ROUTE, create.value.files),
      () => false,
      "checkFiles",
    );
    if (files.ok) {
      for (const p of files.value.problems)
        check(Object.hasOwn(ERROR_CODES, p.code), () => `checkFiles problem code ${p.code}`);
      if (files.value.problems.length === 0) {
        checkEqual(files.value.files.length, (create.value.files as unknown[]).length, "accepted files");
        for (const f of files.value.files)
          check(
            Number.isSafeInteger(f.size) && f.size >= ROUTE.minSize && f.size <= ROUTE.maxSize,
            "accepted size out of range",
          );
      }
    }
  }
  const complete = settleSync(() => parseCompleteRequest(body), validation, "parseCompleteRequest");
  if (complete.ok && complete.value.parts) {
    observe("complete-accepted");
    // Round trip: the parts accepted are the parts sent (keys other than these are ignored).
    const sent = (body as { parts: Array<Record<string, unknown>> }).parts.map(
      ({ partNumber, etag, sha256 }) => ({
        partNumber,
        etag,
        ...(sha256 !== undefined && { sha256 }),
      }),
    );
    checkEqual(complete.value.parts, sent, "parseCompleteRequest parts");
  }
  const parts = settleSync(() => parsePartsRequest(body, input.partCount), validation, "parsePartsRequest");
  if (create.ok) observe("create-accepted");
  if (parts.ok) {
    observe("parts-accepted");
    for (const n of parts.value.partNumbers)
      check(Number.isInteger(n) && n >= 1 && n <= input.partCount, `part number ${n} accepted`);
    checkEqual(
      parts.value.partNumbers,
      (body as { partNumbers: unknown }).partNumbers,
      "parsePartsRequest partNumbers",
    );
    // On a COMPOSITE SHA-256 upload: refused exactly when a part has no SHA-256, naming every one.
    const missing = parts.value.partNumbers.filter((n) => parts.value.checksums[String(n)] === undefined);
    const hashed = settleSync(
      () => requirePartChecksums(parts.value, "sha256"),
      isApiError(["POLICY_CHECKSUM_REQUIRED"]),
      "requirePartChecksums",
    );
    check(hashed.ok === (missing.length === 0), () => `requirePartChecksums with missing ${missing}`);
    if (!hashed.ok) {
      checkEqual((hashed.error as UpgateError).details, { field: "sha256", missing }, "missing parts");
    }
    observe(hashed.ok ? "parts-hashed" : "refused:POLICY_CHECKSUM_REQUIRED");
  }
}

/** The gateway's JSON request validation: body reading, create, complete and parts requests. */
export const jsonRequestTarget: FuzzTarget<Input> = {
  name: "json-request",
  subject:
    "gateway JSON: readJsonBody, parseCreateRequest + checkFiles, parseCompleteRequest, parsePartsRequest + requirePartChecksums",
  reaches: [
    "read",
    "refused:VALIDATION_FAILED",
    "create-accepted",
    "complete-accepted",
    "parts-accepted",
    "parts-hashed",
    "refused:POLICY_CHECKSUM_REQUIRED",
  ],
  arbitrary: inputArb,
  property,
};
