/**
 * Generated sections inside hand-written Markdown: the text between
 * `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` is replaced, the rest is kept.
 * A missing section is appended at the end of the file (the file is created when missing).
 * Written atomically (temporary file, then rename).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

export function updateSection(file: string, name: string, markdown: string): void {
  const open = `<!-- generated:${name} -->`;
  const close = `<!-- /generated:${name} -->`;
  const block = `${open}\n${markdown.trim()}\n${close}`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  const start = current.indexOf(open);
  const end = current.indexOf(close);
  let next: string;
  if (start !== -1 && end > start) {
    next = current.slice(0, start) + block + current.slice(end + close.length);
  } else {
    next = `${current.trimEnd()}${current ? "\n\n" : ""}${block}\n`;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, next);
  renameSync(tmp, file);
}

/** A Markdown table from a header row and body rows. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.map(String).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
