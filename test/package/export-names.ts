/**
 * The names a source entry point exports, and whether each is a value (present at runtime) or a
 * type, read from the `export` statements of the entry and, recursively, of every module it
 * re-exports from. TypeScript 7's tsc has no JS compiler API, so this reads the statements
 * itself (statements that start a line, as Biome formats them); it throws on any it does not
 * understand rather than skip it, and
 * api-surface.test.ts checks its value names against the module's real keys.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export interface ExportKind {
  value: boolean;
  type: boolean;
}

export type ExportMap = Map<string, ExportKind>;

const cache = new Map<string, ExportMap>();

/** Every name `file` exports, with its kind. */
export function exportNames(file: string): ExportMap {
  const cached = cache.get(file);
  if (cached) return cached;
  const names: ExportMap = new Map();
  cache.set(file, names); // a re-export cycle then sees a partial map instead of recursing forever
  const source = readFileSync(file, "utf8");
  const where = (statement: string) => `${relative(process.cwd(), file)}: ${statement.slice(0, 120)}`;
  for (const statement of topLevelStatements(source, "export")) {
    readExport(file, source, statement, names, where);
  }
  return names;
}

function readExport(
  file: string,
  source: string,
  statement: string,
  names: ExportMap,
  where: (s: string) => string,
): void {
  const add = (name: string, kind: ExportKind): void => {
    const had = names.get(name);
    names.set(name, { value: kind.value || !!had?.value, type: kind.type || !!had?.type });
  };
  const star = statement.match(/^export\s+(type\s+)?\*\s+(?:as\s+([\w$]+)\s+)?from\s+["']([^"']+)["']/);
  if (star) {
    const typeOnly = !!star[1];
    if (star[2]) {
      add(star[2], { value: !typeOnly, type: true });
      return;
    }
    for (const [name, kind] of exportNames(resolveModule(file, star[3]!, where(statement)))) {
      if (name !== "default") add(name, typeOnly ? { value: false, type: kind.type || kind.value } : kind);
    }
    return;
  }
  const list = statement.match(/^export\s+(type\s+)?\{([^}]*)\}\s*(?:from\s+["']([^"']+)["'])?\s*;?$/);
  if (list) {
    const target =
      list[3] === undefined ? undefined : exportNames(resolveModule(file, list[3], where(statement)));
    for (const specifier of splitList(list[2]!)) {
      const s = specifier.match(/^(type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?$/);
      if (!s) throw new Error(`unreadable export specifier "${specifier}" in ${where(statement)}`);
      const local = s[2]!;
      const kind = target ? target.get(local) : localKind(file, source, local, where(statement));
      if (!kind) throw new Error(`"${local}" is not exported by the module in ${where(statement)}`);
      const asType = !!list[1] || !!s[1];
      add(s[3] ?? local, asType ? { value: false, type: kind.type || kind.value } : kind);
    }
    return;
  }
  for (const [pattern, kind] of DECLARATIONS) {
    const declared = statement.match(pattern);
    if (declared) {
      add(declared[1] ?? "default", kind);
      return;
    }
  }
  throw new Error(`unrecognised export statement in ${where(statement)}`);
}

const VALUE = { value: true, type: false };
const TYPE = { value: false, type: true };
const BOTH = { value: true, type: true };
/** `export <declaration>`: the pattern's group 1 is the name. */
const DECLARATIONS: Array<[RegExp, ExportKind]> = [
  [/^export\s+default\b/, VALUE],
  [/^export\s+(?:declare\s+)?(?:async\s+)?function\s*\*?\s*([\w$]+)/, VALUE],
  [/^export\s+(?:declare\s+)?(?:abstract\s+)?class\s+([\w$]+)/, BOTH],
  [/^export\s+(?:declare\s+)?(?:const\s+)?enum\s+([\w$]+)/, BOTH],
  [/^export\s+(?:declare\s+)?(?:const|let|var)\s+([\w$]+)\s*[:=;]/, VALUE],
  [/^export\s+(?:declare\s+)?(?:interface|type)\s+([\w$]+)\b/, TYPE],
];

/** The kind of a name declared or imported in `source` and exported with a bare `export { name }`. */
function localKind(file: string, source: string, name: string, where: string): ExportKind | undefined {
  const n = name.replace(/\$/g, "\\$");
  const kind: ExportKind = { value: false, type: false };
  const declared = (pattern: string) => new RegExp(`^(?:declare\\s+)?${pattern}`, "m").test(source);
  if (declared(`(?:async\\s+)?function\\s*\\*?\\s*${n}\\b`) || declared(`(?:const|let|var)\\s+${n}\\b`)) {
    kind.value = true;
  }
  if (declared(`(?:abstract\\s+)?class\\s+${n}\\b`) || declared(`(?:const\\s+)?enum\\s+${n}\\b`)) {
    kind.value = true;
    kind.type = true;
  }
  if (declared(`(?:interface|type)\\s+${n}\\b`)) kind.type = true;
  if (kind.value || kind.type) return kind;
  for (const statement of topLevelStatements(source, "import")) {
    const m = statement.match(/^import\s+(type\s+)?\{([^}]*)\}\s*from\s+["']([^"']+)["']/);
    if (!m) continue;
    for (const specifier of splitList(m[2]!)) {
      const s = specifier.match(/^(type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?$/);
      if (!s || (s[3] ?? s[2]) !== name) continue;
      const imported = exportNames(resolveModule(file, m[3]!, where)).get(s[2]!);
      if (!imported) return undefined;
      return m[1] || s[1] ? { value: false, type: imported.type || imported.value } : imported;
    }
  }
  return undefined;
}

/** A relative import of a source file: `./x.js` is `./x.ts` (or `.tsx`) on disk. */
export function resolveModule(from: string, specifier: string, where: string): string {
  if (!specifier.startsWith(".")) throw new Error(`re-export of a package ("${specifier}") in ${where}`);
  const base = join(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, ".ts"), base.replace(/\.js$/, ".tsx"), base];
  const found = candidates.find((c) => /\.tsx?$/.test(c) && existsSync(c));
  if (!found)
    throw new Error(`cannot find the module "${specifier}" (tried ${candidates.join(", ")}) in ${where}`);
  return found;
}

/** The statements that start a line with `keyword`, each up to its end (balanced braces, then `;` or newline). */
export function topLevelStatements(source: string, keyword: "export" | "import"): string[] {
  const statements: string[] = [];
  const start = new RegExp(`^${keyword}\\b`, "gm");
  for (const m of source.matchAll(start)) {
    let depth = 0;
    let i = m.index;
    for (; i < source.length; i++) {
      const c = source[i];
      if (c === "{") depth++;
      else if (c === "}") depth--;
      else if (depth === 0 && (c === ";" || c === "\n")) {
        // a statement like `export {\n a,\n} from "x"` continues after its closing brace
        if (c === "\n" && /^\s*from\b/.test(source.slice(i + 1))) continue;
        break;
      }
    }
    const text = source
      .slice(m.index, i)
      .replace(/\/\*[\s\S]*?\*\//g, " ")
      .replace(/\/\/[^\n]*/g, "");
    statements.push(text.replace(/\s+/g, " ").trim());
  }
  return statements;
}

function splitList(list: string): string[] {
  return list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
