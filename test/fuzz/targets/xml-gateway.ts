import fc from "fast-check";
import { CORS_ARRAYS, CorsConfigError, readCorsConfiguration } from "../../../src/core/s3/cors.js";
import { renderXmlDocument, type XmlNode } from "../../../src/core/s3/xml.js";
import { parseXml, XmlParseError } from "../../../src/core/s3/xml-read.js";
import { describe as describeRequest, parseErrorDocument } from "../../../src/server/s3/errors.js";
import {
  parseListObjects,
  parseListParts,
  parseListUploads,
  REPEATED,
} from "../../../src/server/s3/responses.js";
import { StorageError } from "../../../src/server/s3/types.js";
import { listEncode } from "../../../src/store/handlers/list-objects.js";
import { keyArb } from "../../support/sigv4-arbitraries.js";
import { applyEdits, type Edit, editsArb } from "../arbitraries/mutate.js";
import { expectedElement, hostileXmlArb, REPEATED_NAMES, xmlNodeArb } from "../arbitraries/xml.js";
import { observe } from "../harness/observe.js";
import { check, checkEqual, type FuzzTarget, settleSync } from "../harness/target.js";

type Doc =
  | { kind: "tree"; node: XmlNode }
  | { kind: "list"; keys: Array<{ key: string; size: number }>; encoded: boolean }
  | { kind: "parts"; parts: Array<{ partNumber: number; size: number; etag: string }> }
  | { kind: "error"; code: string; message: string }
  | { kind: "hostile"; text: string };

const ROOTS = [
  "ListBucketResult",
  "ListPartsResult",
  "ListMultipartUploadsResult",
  "CORSConfiguration",
  "Error",
];

const docArb: fc.Arbitrary<Doc> = fc.oneof(
  fc.record({ kind: fc.constant("tree" as const), node: xmlNodeArb }),
  fc.record({
    kind: fc.constant("list" as const),
    keys: fc.array(fc.record({ key: keyArb.filter((k) => k.isWellFormed()), size: fc.nat() }), {
      maxLength: 4,
    }),
    encoded: fc.constant(true),
  }),
  fc.record({
    kind: fc.constant("parts" as const),
    parts: fc.array(
      fc.record({
        partNumber: fc.integer({ min: 1, max: 10_000 }),
        size: fc.nat(),
        etag: fc.stringMatching(/^"[0-9a-f]{32}"$/),
      }),
      { maxLength: 4 },
    ),
  }),
  fc.record({
    kind: fc.constant("error" as const),
    code: fc.stringMatching(/^[A-Za-z]{1,30}$/),
    message: fc
      .string({ unit: "grapheme-ascii", minLength: 1, maxLength: 40 })
      .filter((m) => m.trim() === m && m !== ""),
  }),
  fc.record({ kind: fc.constant("hostile" as const), text: hostileXmlArb }),
);

function render(doc: Doc, root: string): string {
  switch (doc.kind) {
    case "tree":
      return renderXmlDocument(root, doc.node);
    case "list":
      // What the store (and S3) answer to ListObjectsV2 with encoding-type=url.
      return renderXmlDocument("ListBucketResult", {
        Name: "b",
        EncodingType: "url",
        IsTruncated: false,
        Contents: doc.keys.map((k) => ({ Key: listEncode(k.key), Size: k.size, LastModified: new Date(0) })),
      });
    case "parts":
      return renderXmlDocument("ListPartsResult", {
        IsTruncated: false,
        Part: doc.parts.map((p) => ({ PartNumber: p.partNumber, Size: p.size, ETag: p.etag })),
      });
    case "error":
      return renderXmlDocument(
        "Error",
        { Code: doc.code, Message: doc.message, RequestId: "r" },
        { xmlns: false },
      );
    case "hostile":
      return doc.text;
  }
}

const REQUEST = {
  operation: "ListObjectsV2",
  method: "GET",
  bucket: "b",
  path: "/b",
  query: {},
  headers: {},
} as never;
/** The reader throws XmlParseError, which the transport turns into StorageError MalformedResponse. */
const parseError = (err: unknown) => err instanceof XmlParseError;

function property(input: { doc: Doc; root: string; edits: Edit[] }): void {
  const text = applyEdits(render(input.doc, input.root), input.edits);
  const arrays = input.doc.kind === "tree" ? REPEATED_NAMES : [...REPEATED, ...CORS_ARRAYS];
  const parsed = settleSync(
    () => parseXml(text, { arrays, lenient: true }),
    parseError,
    "parseXml (gateway)",
  );
  const error = settleSync(
    () => parseErrorDocument(text, 500, REQUEST),
    () => false,
    "parseErrorDocument",
  );
  if (error.ok && error.value)
    check(error.value instanceof StorageError && error.value.code !== "", "an error document without a code");
  check(describeRequest(REQUEST) === "ListObjectsV2 b", "describe");
  observe(parsed.ok ? "parsed" : "refused");
  if (!parsed.ok) return;
  // The readers only pick fields: no document may crash them, or the sweeper would stop on it.
  const doc = parsed.value.element;
  const allowed = (err: unknown) => err instanceof StorageError && err.code === "MalformedResponse";
  const objects = settleSync(() => parseListObjects(doc), allowed, "parseListObjects");
  const parts = settleSync(() => parseListParts(doc), allowed, "parseListParts");
  settleSync(() => parseListUploads(doc), allowed, "parseListUploads");
  // getBucketCors turns a CorsConfigError into StorageError MalformedResponse.
  settleSync(
    () => readCorsConfiguration(doc, { strict: false }),
    (err) => err instanceof CorsConfigError,
    "readCorsConfiguration (answers)",
  );
  if (input.edits.length > 0) return;

  const d = input.doc;
  if (d.kind !== "hostile") observe(`round-trip:${d.kind}`);
  if (d.kind === "tree") checkEqual(doc, expectedElement(d.node), "parseXml(renderXmlDocument(x)) (gateway)");
  if (d.kind === "list") {
    check(objects.ok, "parseListObjects refused the store's own listing");
    checkEqual(
      objects.value.objects.map((o) => [o.key, o.size]),
      d.keys.map((k) => [k.key, k.size]),
      "listed keys and sizes",
    );
  }
  if (d.kind === "parts") {
    check(parts.ok, "parseListParts refused a listing");
    checkEqual(parts.value.parts, d.parts, "listed parts");
  }
  if (d.kind === "error") {
    check(error.ok && error.value !== undefined, "parseErrorDocument missed an <Error> document");
    checkEqual(
      [error.value!.code, error.value!.message],
      [d.code, `${d.message} (ListObjectsV2 b)`],
      "error code and message",
    );
  }
}

/** The gateway's reader of S3 answers: parseXml, the error document and the listing readers. */
export const xmlGatewayTarget: FuzzTarget<{ doc: Doc; root: string; edits: Edit[] }> = {
  name: "xml-gateway",
  subject: "gateway XML (server/s3): parseXml, error documents, ListObjects/ListParts/Uploads/CORS readers",
  reaches: [
    "parsed",
    "refused",
    "round-trip:tree",
    "round-trip:list",
    "round-trip:parts",
    "round-trip:error",
  ],
  arbitrary: fc.record({ doc: docArb, root: fc.constantFrom(...ROOTS), edits: editsArb(3) }),
  property,
};
