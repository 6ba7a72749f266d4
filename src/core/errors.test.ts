import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, type ErrorCode, UpgateError } from "./errors.js";

const doc = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");

/** The rows of the doc's table: | `CODE` | status | meaning | */
function docRows(markdown: string): Array<{ code: string; status: number; meaning: string }> {
  const rows: Array<{ code: string; status: number; meaning: string }> = [];
  for (const line of markdown.split("\n")) {
    const m = /^\|\s*`([A-Z0-9_]+)`\s*\|\s*(\d{3})\s*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (m) rows.push({ code: m[1]!, status: Number(m[2]), meaning: m[3]! });
  }
  return rows;
}

describe("docs/errors.md", () => {
  const rows = docRows(doc);

  it("lists exactly the codes of ERROR_CODES, each once, with the same status", () => {
    const fromDoc = rows.map((r) => [r.code, r.status] as const).sort(([a], [b]) => a.localeCompare(b));
    const fromCode = Object.entries(ERROR_CODES)
      .map(([code, { status }]) => [code, status] as const)
      .sort(([a], [b]) => a.localeCompare(b));
    expect(fromDoc).toEqual(fromCode);
  });

  it("explains every code", () => {
    for (const row of rows) expect(row.meaning, row.code).not.toBe("");
  });

  it("is parsed by the row matcher (a table the matcher cannot read would pass vacuously)", () => {
    expect(docRows("| `A_B` | 404 | gone |\n| Code | Status | Meaning |\n| `lower` | 400 | x |")).toEqual([
      { code: "A_B", status: 404, meaning: "gone" },
    ]);
  });
});

describe("ERROR_CODES", () => {
  it("has an HTTP error status and a one-line description for every code", () => {
    for (const [code, { status, description }] of Object.entries(ERROR_CODES)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
      expect(description.length, code).toBeGreaterThan(10);
      expect(description, code).not.toContain("\n");
    }
  });

  it.each<[ErrorCode, number]>([
    ["POLICY_TYPE_NOT_ALLOWED", 400],
    ["POLICY_TOO_LARGE", 413],
    ["AUTH_REQUIRED", 401],
    ["UPLOAD_NOT_FOUND", 404],
    ["QUOTA_EXCEEDED", 429],
    ["RATE_LIMITED", 429],
    ["VERIFY_CONTENT_MISMATCH", 422],
    ["STORAGE_UNAVAILABLE", 503],
  ])("gives %s the status %i the issue asks for", (code, status) => {
    expect(ERROR_CODES[code].status).toBe(status);
  });
});

describe("UpgateError", () => {
  it("takes its status from the table and serializes to the wire form", () => {
    const cause = new Error("inner");
    const err = new UpgateError("POLICY_TOO_LARGE", "too big", { details: { size: 5 }, cause });
    expect(err.status).toBe(413);
    expect(err.cause).toBe(cause);
    expect(err.toJSON()).toEqual({
      error: { code: "POLICY_TOO_LARGE", message: "too big", details: { size: 5 } },
    });
    expect(new UpgateError("NOT_FOUND", "nope").toJSON()).toEqual({
      error: { code: "NOT_FOUND", message: "nope" },
    });
  });
});
