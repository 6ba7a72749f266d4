/** test/peer/s3-tests-selection.txt: which ceph/s3-tests tests the store must pass, and why the rest are excluded. */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const SELECTION_FILE = resolve(dirname(fileURLToPath(import.meta.url)), "../s3-tests-selection.txt");

export interface SelectionSection {
  kind: "select" | "exclude";
  /** The area (select) or group (exclude) name. */
  name: string;
  /** What the area covers, or why the group is excluded. */
  text: string;
  tests: string[];
}

export interface Selection {
  sections: SelectionSection[];
  /** Names of the selected tests, in file order. */
  selected: string[];
}

/** Parses the selection file; throws naming the line for anything malformed or a test listed twice. */
export function parseSelection(text: string, file = SELECTION_FILE): Selection {
  const sections: SelectionSection[] = [];
  const seen = new Map<string, number>();
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    const where = `${file}:${index + 1}`;
    if (line === "" || line.startsWith("#")) return;
    const header = /^\[(select|exclude) ([a-z0-9-]+)\] (.+)$/.exec(line);
    if (header) {
      if (sections.some((s) => s.name === header[2]))
        throw new Error(`${where}: section ${header[2]} appears twice`);
      sections.push({
        kind: header[1] as "select" | "exclude",
        name: header[2]!,
        text: header[3]!,
        tests: [],
      });
      return;
    }
    if (!/^test_\w+$/.test(line)) throw new Error(`${where}: not a test name or a section header: ${line}`);
    const section = sections.at(-1);
    if (!section) throw new Error(`${where}: test ${line} comes before any section`);
    const previous = seen.get(line);
    if (previous !== undefined) throw new Error(`${where}: ${line} is already listed at line ${previous}`);
    seen.set(line, index + 1);
    section.tests.push(line);
  });
  const selected = sections.filter((s) => s.kind === "select").flatMap((s) => s.tests);
  return { sections, selected };
}

export function loadSelection(): Selection {
  return parseSelection(readFileSync(SELECTION_FILE, "utf8"));
}

/** What the collected suite and the selection disagree on: tests not listed, and listed tests the suite lacks. */
export function compareWithSuite(
  selection: Selection,
  collected: readonly string[],
): { unlisted: string[]; missing: string[] } {
  const listed = new Set(selection.sections.flatMap((s) => s.tests));
  const present = new Set(collected);
  return {
    unlisted: collected.filter((name) => !listed.has(name)),
    missing: [...listed].filter((name) => !present.has(name)),
  };
}

/** The Markdown table docs/store.md shows: every area and group with its count and text. */
export function selectionTable(selection: Selection): string {
  const rows = selection.sections.map(
    (s) => `| ${s.kind === "select" ? "selected" : "excluded"} | ${s.name} | ${s.tests.length} | ${s.text} |`,
  );
  const excluded = selection.sections
    .filter((s) => s.kind === "exclude")
    .reduce((n, s) => n + s.tests.length, 0);
  return [
    "| | area or group | tests | what it covers, or why it is excluded |",
    "| --- | --- | --- | --- |",
    ...rows,
    `| **total** | | **${selection.selected.length + excluded}** | **${selection.selected.length} selected, ${excluded} excluded** |`,
  ].join("\n");
}
