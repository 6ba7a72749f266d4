/** pytest's JUnit XML report, read into one outcome per test function. */

export type Status = "passed" | "failed" | "error" | "skipped";

export interface TestOutcome {
  status: Status;
  /** The failure, error or skip message (the first line of pytest's explanation). */
  message: string;
  /** The traceback pytest printed, for failures and errors. */
  detail: string;
  seconds: number;
}

/** The worse status wins when a function has several cases or a test also errs in teardown. */
const RANK: Record<Status, number> = { passed: 0, skipped: 1, failed: 2, error: 3 };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, ref: string) => {
    if (ref.startsWith("#x")) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number(ref.slice(1)));
    return { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" }[ref]!;
  });
}

function attribute(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(attrs);
  return m ? decode(m[1]!) : undefined;
}

/** Outcomes by test function name (a parametrized case's "[...]" is dropped). */
export function parseJunit(xml: string): Map<string, TestOutcome> {
  const out = new Map<string, TestOutcome>();
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attrs = m[1]!;
    const body = m[2] ?? "";
    const name = (attribute(attrs, "name") ?? "").replace(/\[.*$/, "");
    if (!name) continue;
    let status: Status = "passed";
    let message = "";
    let detail = "";
    const child = /<(failure|error|skipped)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/.exec(body);
    if (child) {
      status = child[1] === "failure" ? "failed" : (child[1] as Status);
      message = attribute(child[2]!, "message") ?? "";
      detail = decode(child[3] ?? "");
    }
    const seconds = Number(attribute(attrs, "time") ?? 0);
    const previous = out.get(name);
    if (!previous || RANK[status] > RANK[previous.status]) {
      out.set(name, { status, message, detail, seconds: seconds + (previous?.seconds ?? 0) });
    } else {
      previous.seconds += seconds;
    }
  }
  return out;
}
