import { describe, expect, it } from "vitest";
import { parseResults, problems, renderTable, summarize } from "../../scripts/adversarial-summary.js";
import type { CaseResult } from "../adversarial/support/runner.js";

const ok = (family: string, name: string): CaseResult => ({
  family,
  name,
  refused: true,
  changed: false,
  got: { status: 403, code: "SignatureDoesNotMatch" },
});

describe("the adversarial summary table", () => {
  const results: CaseResult[] = [
    ok("expiry", "a"),
    ok("signature tampering", "b"),
    ok("signature tampering", "c"),
    { ...ok("signature tampering", "d"), refused: false, got: { status: 200, code: "" } },
    { ...ok("overwrite", "e"), changed: true },
    { ...ok("overwrite", "f"), refused: false, changed: true, got: { status: 200, code: "" } },
    {
      family: "slow clients",
      name: "g",
      refused: false,
      changed: false,
      got: null,
      error: "socket never freed",
    },
    ok("some new family", "h"),
  ];

  it("counts cases, correct refusals and stored-by-mistake per family, in catalogue order, with totals", () => {
    const s = summarize(results);
    expect(s.rows).toEqual([
      { family: "signature tampering", cases: 3, refused: 2, stored: 0 },
      { family: "expiry", cases: 1, refused: 1, stored: 0 },
      { family: "overwrite", cases: 2, refused: 0, stored: 2 },
      { family: "slow clients", cases: 1, refused: 0, stored: 0 },
      { family: "some new family", cases: 1, refused: 1, stored: 0 },
    ]);
    expect(s.total).toEqual({ family: "total", cases: 8, refused: 4, stored: 2 });
    expect(s.failed.map((f) => [f.name, f.why])).toEqual([
      ["d", "got 200 "],
      ["e", "state changed (got 403 SignatureDoesNotMatch)"],
      ["f", "state changed (got 200 )"],
      ["g", "socket never freed"],
    ]);
  });

  it("renders the Markdown table with a bold total row", () => {
    const text = renderTable(summarize(results.slice(0, 3)));
    expect(text.split("\n")).toEqual([
      "| family | cases | refused correctly | stored by mistake |",
      "| --- | --- | --- | --- |",
      "| signature tampering | 2 | 2 | 0 |",
      "| expiry | 1 | 1 | 0 |",
      "| **total** | **3** | **3** | **0** |",
    ]);
  });

  it("fails the run on a bad case, anything stored, too few cases, or a vitest failure", () => {
    const clean = summarize(Array.from({ length: 150 }, (_, i) => ok("replay", `r${i}`)));
    expect(problems(clean, 150, 0)).toEqual([]);
    expect(problems(clean, 151, 0)).toEqual(["only 150 cases ran; at least 151 are required"]);
    expect(problems(clean, 150, 1)).toEqual(["vitest exited with 1"]);
    expect(problems(summarize(results), 1, 0)).toEqual([
      "4 case(s) not refused as expected",
      "2 case(s) stored or changed something",
    ]);
  });

  it("reads the runner's .jsonl lines", () => {
    const text = `${JSON.stringify(results[0])}\n\n${JSON.stringify(results[4])}\n`;
    expect(parseResults(text)).toEqual([results[0], results[4]]);
  });
});
