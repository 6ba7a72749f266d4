/**
 * The HTTP examples in docs/api.md, as data: fenced blocks tagged "http request" and "http
 * response", in pairs. `{{name}}` in a response captures the actual text there into a variable;
 * `{{*}}` matches anything; `{{name}}` in a request is replaced by the variable's value.
 */

export interface HttpExample {
  /** The heading the example is under, for messages. */
  title: string;
  request: { method: string; target: string; headers: Array<[string, string]>; body: string };
  response: { status: number; headers: Array<[string, string]>; body: string };
}

function parseBlock(text: string): { start: string; headers: Array<[string, string]>; body: string } {
  const [head = "", ...rest] = text.split(/\n\n/);
  const [start = "", ...headerLines] = head.split("\n");
  const headers = headerLines
    .filter((line) => line.trim() !== "")
    .map((line): [string, string] => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    });
  return { start: start.trim(), headers, body: rest.join("\n\n").trim() };
}

export function parseExamples(markdown: string): HttpExample[] {
  const examples: HttpExample[] = [];
  let title = "";
  let pending: ReturnType<typeof parseBlock> | undefined;
  const pattern = /^(#{1,6} .*)$|^```http (request|response)\n([\s\S]*?)\n```$/gm;
  for (const match of markdown.matchAll(pattern)) {
    if (match[1]) {
      title = match[1].replace(/^#+ /, "");
      continue;
    }
    const block = parseBlock(match[3]!);
    if (match[2] === "request") {
      if (pending) throw new Error(`"${title}": a request without a response`);
      pending = block;
      continue;
    }
    if (!pending) throw new Error(`"${title}": a response without a request`);
    const [method = "", target = ""] = pending.start.split(" ");
    const status = Number(block.start.split(" ")[1]);
    examples.push({
      title,
      request: { method, target, headers: pending.headers, body: pending.body },
      response: { status, headers: block.headers, body: block.body },
    });
    pending = undefined;
  }
  if (pending) throw new Error(`"${title}": a request without a response`);
  return examples;
}

const PLACEHOLDER = /\{\{([\w*.-]+)\}\}/g;

export function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    if (!(name in vars)) throw new Error(`no value for {{${name}}}`);
    return vars[name]!;
  });
}

/** Matches `actual` against an expected string with placeholders, capturing into `vars`. */
function matchString(expected: string, actual: string, vars: Record<string, string>): boolean {
  const names: string[] = [];
  let source = "";
  let last = 0;
  for (const m of expected.matchAll(PLACEHOLDER)) {
    source += expected.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    source += "([\\s\\S]*?)";
    names.push(m[1]!);
    last = m.index! + m[0].length;
  }
  source += expected.slice(last).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const found = new RegExp(`^${source}$`).exec(actual);
  if (!found) return false;
  names.forEach((name, i) => {
    if (name !== "*") vars[name] = found[i + 1]!;
  });
  return true;
}

/** Deep match: same keys, same array lengths, strings by pattern, everything else equal. */
export function matchJson(
  expected: unknown,
  actual: unknown,
  vars: Record<string, string>,
  path = "$",
): string[] {
  if (typeof expected === "string") {
    if (expected === "{{*}}") return [];
    return typeof actual === "string" && matchString(expected, actual, vars)
      ? []
      : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [`${path}: expected ${expected.length} items, got ${JSON.stringify(actual)}`];
    }
    return expected.flatMap((item, i) => matchJson(item, actual[i], vars, `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual))
      return [`${path}: expected an object`];
    const want = Object.keys(expected).sort();
    const got = Object.keys(actual).sort();
    if (want.join() !== got.join())
      return [`${path}: expected keys ${want.join(", ")}, got ${got.join(", ")}`];
    return want.flatMap((k) =>
      matchJson(
        (expected as Record<string, unknown>)[k],
        (actual as Record<string, unknown>)[k],
        vars,
        `${path}.${k}`,
      ),
    );
  }
  return Object.is(expected, actual)
    ? []
    : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

export function matchHeader(expected: string, actual: string | null, vars: Record<string, string>): boolean {
  return actual !== null && matchString(expected, actual, vars);
}

/** A text body: the whole of it, with placeholders. */
export function matchText(expected: string, actual: string, vars: Record<string, string>): boolean {
  return matchString(expected, actual.trim(), vars);
}
