import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  compatibilityRows,
  knownStores,
  type MatrixInput,
  PRODUCTION_DOC,
  RELIABILITY_DOC,
  readMeasured,
  renderCompatibility,
  renderEnforcement,
  renderRgwSummary,
  SECURITY_DOC,
  SECURITY_ROWS,
} from "../rgw/compat/matrix.js";
import { PROBES, type Support } from "../rgw/compat/probes.js";

function section(file: string, name: string): string {
  const text = readFileSync(file, "utf8");
  const open = `<!-- generated:${name} -->`;
  const close = `<!-- /generated:${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  expect(start, `${file} has the ${name} section`).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  return text.slice(start + open.length, end).trim();
}

const tableRows = (markdown: string) => markdown.split("\n").filter((l) => l.startsWith("| "));

/** What the matrix says for one store: a measured column, or a documented store's cell. */
function support(input: MatrixInput, store: string, probe: string): Support | "unknown" {
  if (store === "embedded" || store === "rgw") {
    const m = (store === "rgw" ? input.rgw : input.embedded).find((x) => x.id === probe);
    if (!m) throw new Error(`${store} has no measurement for ${probe}`);
    return m.support;
  }
  const cell = knownStores().find((s) => s.id === store)?.cells[probe];
  if (!cell) throw new Error(`${store} has no cell for ${probe}`);
  return cell.support;
}

/**
 * Hand-written sentences that state what a backend enforces, and the matrix cell each depends on:
 * when the matrix changes (a new run, a corrected source), the sentence must change with it.
 */
const CLAIMS: Array<{ doc: string; text: string; store: string; probe: string; is: Support | "unknown" }> = [
  { doc: PRODUCTION_DOC, text: "R2 has **no browser POST uploads**", store: "r2", probe: "post", is: "no" },
  {
    doc: PRODUCTION_DOC,
    text: "**Community MinIO cannot set bucket CORS through the S3 API**",
    store: "minio",
    probe: "cors-config",
    is: "no",
  },
  {
    doc: PRODUCTION_DOC,
    text: "MinIO keeps an unsigned `x-amz-meta-*`",
    store: "minio",
    probe: "unsigned-amz",
    is: "no",
  },
  {
    doc: PRODUCTION_DOC,
    text: "RGW 16 does not refuse unsigned `x-amz-*` headers",
    store: "rgw",
    probe: "unsigned-amz",
    is: "no",
  },
  {
    doc: PRODUCTION_DOC,
    text: "**RGW 16 does not verify `x-amz-checksum-sha256`**",
    store: "rgw",
    probe: "checksum-sha256",
    is: "no",
  },
  {
    doc: PRODUCTION_DOC,
    text: "ignored on CompleteMultipartUpload",
    store: "rgw",
    probe: "write-once-multipart",
    is: "no",
  },
  {
    doc: PRODUCTION_DOC,
    text: "S3 enforces `x-amz-checksum-sha256`",
    store: "aws",
    probe: "checksum-sha256",
    is: "yes",
  },
  {
    doc: PRODUCTION_DOC,
    text: "S3 enforces `x-amz-checksum-sha256` and `if-none-match: *`",
    store: "aws",
    probe: "write-once",
    is: "yes",
  },
  { doc: SECURITY_DOC, text: "(Ceph RGW 16 honours it)", store: "rgw", probe: "write-once", is: "yes" },
  {
    doc: SECURITY_DOC,
    text: "Ceph RGW 16 ignores `x-amz-copy-source-if-*`",
    store: "rgw",
    probe: "copy-if-match",
    is: "no",
  },
  {
    doc: SECURITY_DOC,
    text: "AWS and the embedded store refuse any `x-amz-*` header",
    store: "aws",
    probe: "unsigned-amz",
    is: "yes",
  },
  {
    doc: SECURITY_DOC,
    text: "AWS and the embedded store refuse any `x-amz-*` header",
    store: "embedded",
    probe: "unsigned-amz",
    is: "yes",
  },
  {
    doc: SECURITY_DOC,
    text: "Ceph RGW 16 and community MinIO do not",
    store: "minio",
    probe: "unsigned-amz",
    is: "no",
  },
];

describe("the storage compatibility matrix in the docs", () => {
  const measured = readMeasured();

  it("covers every probe in the recorded run, for both measured stores", () => {
    for (const list of [measured.embedded, measured.rgw])
      expect(list.map((m) => m.id)).toEqual(PROBES.map((p) => p.id));
  });

  it("is what the recorded run and known-stores.json render (run npm run docs:compat after editing them)", () => {
    expect(section(PRODUCTION_DOC, "compatibility")).toBe(renderCompatibility(measured).trim());
    expect(section(SECURITY_DOC, "enforcement")).toBe(renderEnforcement(measured).trim());
    expect(section(RELIABILITY_DOC, "rgw")).toBe(renderRgwSummary(measured).trim());
  });

  it("shows security.md the same rows as production.md, cell for cell", () => {
    const production = tableRows(section(PRODUCTION_DOC, "compatibility"));
    const security = tableRows(section(SECURITY_DOC, "enforcement"));
    expect(security[0]).toBe(production[0]);
    for (const row of security.slice(2)) expect(production).toContain(row);
    expect(security.slice(2)).toHaveLength(SECURITY_ROWS.length);
    const rows = compatibilityRows(measured);
    for (const id of SECURITY_ROWS) expect(rows.has(id), id).toBe(true);
  });

  it("has no hand-written claim that contradicts it", () => {
    for (const claim of CLAIMS) {
      // Sentences wrap: compare with every run of whitespace as one space.
      const text = readFileSync(claim.doc, "utf8").replace(/\s+/g, " ");
      expect(text, `${claim.doc} says: ${claim.text}`).toContain(claim.text);
      expect(
        support(measured, claim.store, claim.probe),
        `"${claim.text}" (${claim.store}, ${claim.probe})`,
      ).toBe(claim.is);
    }
  });

  it("security.md has no hand-made backend table beside the generated one", () => {
    const text = readFileSync(SECURITY_DOC, "utf8");
    expect(text).not.toMatch(/^\| Rule \| AWS S3 \|/m);
    expect(text).not.toMatch(/\buntested\b/);
  });
});
