import { describe, expect, it } from "vitest";
import { parseJunit } from "./s3-tests/junit.js";
import { compareWithSuite, parseSelection } from "./s3-tests/selection.js";

describe("pytest's JUnit XML", () => {
  const xml = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" failures="1">
<testcase classname="s3tests.functional.test_s3" name="test_ok" time="0.5" />
<testcase classname="s3tests.functional.test_s3" name="test_bad" time="1.25"><failure message="assert 400 == 403">def test_bad():
&gt;   assert res[&apos;status_code&apos;] == 403
E   assert 400 == 403</failure></testcase>
<testcase classname="s3tests.functional.test_s3" name="test_param[a]" time="0.1" />
<testcase classname="s3tests.functional.test_s3" name="test_param[b]" time="0.2"><skipped type="pytest.skip" message="no &quot;b&quot;" /></testcase>
<testcase classname="s3tests.functional.test_s3" name="test_teardown" time="0.1"><error message="failed on teardown with &quot;ClientError&quot;">trace</error></testcase>
</testsuite></testsuites>`;

  it("reads one outcome per test function, its message and its traceback", () => {
    const outcomes = parseJunit(xml);
    expect(outcomes.get("test_ok")).toEqual({ status: "passed", message: "", detail: "", seconds: 0.5 });
    expect(outcomes.get("test_bad")).toMatchObject({ status: "failed", message: "assert 400 == 403" });
    expect(outcomes.get("test_bad")?.detail).toContain(">   assert res['status_code'] == 403");
    expect(outcomes.get("test_teardown")).toMatchObject({
      status: "error",
      message: 'failed on teardown with "ClientError"',
    });
  });

  it("gives a parametrized function the worst outcome of its cases", () => {
    expect(parseJunit(xml).get("test_param")).toMatchObject({ status: "skipped", message: 'no "b"' });
  });
});

describe("the selection file", () => {
  const text = `# comment
[select listing] what it covers
test_a
test_b

[exclude acl] why
test_c
`;

  it("reads areas, groups and the selected tests", () => {
    const selection = parseSelection(text, "sel.txt");
    expect(selection.selected).toEqual(["test_a", "test_b"]);
    expect(selection.sections.map((s) => [s.kind, s.name, s.text, s.tests])).toEqual([
      ["select", "listing", "what it covers", ["test_a", "test_b"]],
      ["exclude", "acl", "why", ["test_c"]],
    ]);
  });

  it("names what the suite and the file disagree on", () => {
    expect(compareWithSuite(parseSelection(text, "sel.txt"), ["test_a", "test_c", "test_new"])).toEqual({
      unlisted: ["test_new"],
      missing: ["test_b"],
    });
  });

  it.each([
    ["[select listing] x\ntest_a\ntest_a\n", "sel.txt:3: test_a is already listed at line 2"],
    ["test_a\n", "sel.txt:1: test test_a comes before any section"],
    ["[select listing] x\nnot a test\n", "sel.txt:2: not a test name or a section header: not a test"],
    ["[select a] x\n[exclude a] y\n", "sel.txt:2: section a appears twice"],
  ])("refuses %j", (bad, message) => {
    expect(() => parseSelection(bad, "sel.txt")).toThrow(message);
  });
});
