import fc from "fast-check";
import type { CorsRule } from "../../../src/core/s3/cors.js";
import { completeMultipartUpload, putBucketCors } from "../../../src/core/s3/requests.js";
import { renderXmlDocument, type XmlNode } from "../../../src/core/s3/xml.js";
import { parseXml, XmlParseError } from "../../../src/core/s3/xml-read.js";
import { parseCorsConfiguration } from "../../../src/store/cors-parse.js";
import { S3Error } from "../../../src/store/errors.js";
import { parsePlan } from "../../../src/store/handlers/multipart-complete.js";
import { parseDeleteRequest } from "../../../src/store/handlers/object-delete.js";
import { applyEdits, type Edit, editsArb } from "../arbitraries/mutate.js";
import {
  expectedElement,
  hostileXmlArb,
  REPEATED_NAMES,
  xmlNodeArb,
  xmlTextArb,
} from "../arbitraries/xml.js";
import { observe } from "../harness/observe.js";
import { check, checkEqual, type FuzzTarget, settleSync } from "../harness/target.js";

type Doc =
  | { kind: "tree"; root: string; node: XmlNode }
  | { kind: "cors"; rules: CorsRule[] }
  | { kind: "complete"; parts: Array<{ partNumber: number; etag: string }> }
  | { kind: "delete"; keys: string[]; quiet: boolean | undefined }
  | { kind: "hostile"; text: string };

interface Input {
  doc: Doc;
  edits: Edit[];
}

const tokenArb = fc
  .stringMatching(/^[A-Za-z0-9*.:/-]{1,20}$/)
  .filter((t) => (t.match(/\*/g) ?? []).length <= 1);
const corsRuleArb: fc.Arbitrary<CorsRule> = fc.record(
  {
    id: fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9 _-]{0,20}[A-Za-z0-9])?$/),
    allowedOrigins: fc.array(tokenArb, { minLength: 1, maxLength: 3 }),
    allowedMethods: fc.uniqueArray(fc.constantFrom("GET", "PUT", "POST", "DELETE", "HEAD"), { minLength: 1 }),
    allowedHeaders: fc.array(tokenArb, { minLength: 1, maxLength: 3 }),
    exposeHeaders: fc.array(fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/), { minLength: 1, maxLength: 3 }),
    maxAgeSeconds: fc.integer({ min: 0, max: 2_147_483_647 }),
  },
  { requiredKeys: ["allowedOrigins", "allowedMethods"] },
);

const docArb: fc.Arbitrary<Doc> = fc.oneof(
  fc.record({
    kind: fc.constant("tree" as const),
    root: fc.constantFrom(
      "Delete",
      "CompleteMultipartUpload",
      "CORSConfiguration",
      "CreateBucketConfiguration",
      "R",
    ),
    node: xmlNodeArb,
  }),
  fc.record({
    kind: fc.constant("cors" as const),
    rules: fc.array(corsRuleArb, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant("complete" as const),
    parts: fc.uniqueArray(
      fc.record({
        partNumber: fc.integer({ min: 1, max: 10_000 }),
        etag: fc.stringMatching(/^[0-9a-f]{32}(-\d{1,5})?$/),
      }),
      { selector: (p) => p.partNumber, minLength: 1, maxLength: 6 },
    ),
  }),
  fc.record({
    kind: fc.constant("delete" as const),
    // The store reads keys as they are, so any text that is a valid XML character survives.
    keys: fc.array(
      xmlTextArb.filter((k) => k !== ""),
      { minLength: 1, maxLength: 5 },
    ),
    quiet: fc.option(fc.boolean(), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant("hostile" as const), text: hostileXmlArb }),
);

function render(doc: Doc): string {
  switch (doc.kind) {
    case "tree":
      return renderXmlDocument(doc.root, doc.node);
    case "cors":
      return putBucketCors("b", doc.rules).body as string;
    case "complete":
      return completeMultipartUpload("b", "k", "u", doc.parts).body as string;
    case "delete":
      return renderXmlDocument("Delete", { Object: doc.keys.map((Key) => ({ Key })), Quiet: doc.quiet });
    case "hostile":
      return doc.text;
  }
}

const LARGE = 64 * 1024;

const isS3 = (codes: string[]) => (err: unknown) => err instanceof S3Error && codes.includes(err.code);
const MALFORMED = isS3(["MalformedXML"]);
const CORS_REFUSAL = isS3(["MalformedXML", "InvalidRequest", "InvalidArgument"]);

function property(input: Input): void {
  const text = applyEdits(render(input.doc), input.edits);
  const body = Buffer.from(text, "utf8");
  // The store reads bodies through readXmlBody, which answers any XmlParseError with MalformedXML.
  const parsed = settleSync(
    () => {
      const { root, element } = parseXml(body.toString("utf8"), { arrays: REPEATED_NAMES });
      return { [root]: element };
    },
    (err) => err instanceof XmlParseError,
    "parseXml (store)",
  );
  observe(parsed.ok ? "parsed" : "refused:MalformedXML");
  // The document readers below parse again: a large hostile body is timed on one parse, not four.
  if (body.length > LARGE) return;
  const cors = settleSync(() => parseCorsConfiguration(body), CORS_REFUSAL, "parseCorsConfiguration");
  const plan = settleSync(() => parsePlan(body), MALFORMED, "CompleteMultipartUpload parser");
  const del = settleSync(() => parseDeleteRequest(body), MALFORMED, "Delete parser");
  if (input.edits.length > 0) return;

  // Round trips: what upgate's builders write, the store reads back as written.
  const doc = input.doc;
  if (doc.kind !== "hostile") observe(`round-trip:${doc.kind}`);
  if (doc.kind === "tree") {
    check(parsed.ok, () => `parseXml refused a rendered document: ${text.slice(0, 300)}`);
    checkEqual(parsed.value, { [doc.root]: expectedElement(doc.node) }, "parseXml(renderXmlDocument(x))");
  } else if (doc.kind === "cors") {
    check(
      cors.ok,
      () =>
        `parseCorsConfiguration refused putBucketCors's body: ${(cors as { error: Error }).error.message}`,
    );
    const expected = doc.rules.map((r) => ({
      allowedOrigins: r.allowedOrigins,
      allowedMethods: r.allowedMethods,
      ...(r.allowedHeaders !== undefined && { allowedHeaders: r.allowedHeaders }),
      ...(r.exposeHeaders !== undefined && { exposeHeaders: r.exposeHeaders }),
      ...(r.id !== undefined && { id: r.id }),
      ...(r.maxAgeSeconds !== undefined && { maxAgeSeconds: r.maxAgeSeconds }),
    }));
    checkEqual(cors.value, expected, "parseCorsConfiguration(putBucketCors(rules))");
  } else if (doc.kind === "complete") {
    check(plan.ok, "the store refused completeMultipartUpload's body");
    const sorted = [...doc.parts].sort((a, b) => a.partNumber - b.partNumber);
    checkEqual(
      plan.value,
      sorted.map((p) => ({ partNumber: p.partNumber, etag: `"${p.etag}"`, checksums: {} })),
      "parsePlan(completeMultipartUpload(parts))",
    );
  } else if (doc.kind === "delete") {
    check(del.ok, "the store refused a Delete document");
    checkEqual(
      del.value.entries.map((e) => e.key),
      doc.keys,
      "Delete keys",
    );
    checkEqual(del.value.quiet, doc.quiet === true, "Delete Quiet");
  }
}

/** The store's XML request parsers: parseXml and the CORS, CompleteMultipartUpload and Delete readers. */
export const xmlStoreTarget: FuzzTarget<Input> = {
  name: "xml-store",
  subject:
    "store XML: parseXml, PutBucketCors, CompleteMultipartUpload, DeleteObjects (with builder round trips)",
  reaches: [
    "parsed",
    "refused:MalformedXML",
    "round-trip:tree",
    "round-trip:cors",
    "round-trip:complete",
    "round-trip:delete",
  ],
  arbitrary: fc.record({ doc: docArb, edits: editsArb(3) }),
  property,
};
