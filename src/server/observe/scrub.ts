const REDACTED = "[redacted]";

/** Object keys whose values are never logged or returned, whatever they hold. */
const SECRET_KEY =
  /secret|password|passwd|token|signature|authorization|cookie|api[-_]?key|credential|^policy$/i;

export const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Presigned URLs: the signature, the credential scope and any session token in the query.
  [/(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s"'<>]+/gi, `$1${REDACTED}`],
  // Header auth ("Signature=<hex>") and POST form fields ("x-amz-signature": "<hex>").
  [/(\bSignature"?\s*[=:]\s*"?)[0-9a-f]{64}/gi, `$1${REDACTED}`],
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  // Anything shaped like a JWT (header.payload.signature, the header always starting "eyJ").
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
  // An anonymous upload's capability or download token (uploads/capability.ts), wherever it appears.
  [/\bup[cd]_[a-z2-7]{16,}/gi, REDACTED],
];

/**
 * Every PATTERNS match contains one of these (case aside): a string without any cannot match, so
 * the replacements are skipped for it. Keep in step with PATTERNS (scrub.test.ts checks each).
 */
export const PATTERN_TRIGGER = /x-amz-|signature|bearer|basic|eyj|up[cd]_/i;

export type Scrubber = {
  /** A copy of `value` with secrets replaced: known secret values, signatures, tokens, secret-named keys. */
  <T>(value: T): T;
  text(value: string): string;
};

const NONE: readonly string[] = [];

/**
 * Builds the one function everything logged or returned as an error passes through. `secrets` are
 * the configured secret values (storage key, JWT secret, API keys, webhook secrets), and `changing`
 * gives those that change (the storage credentials a provider refreshes; the same array until they
 * do): any string containing one, raw or URL-encoded, has it replaced.
 */
export function createScrubber(
  secrets: readonly string[],
  changing: () => readonly string[] = () => NONE,
): Scrubber {
  const needlesOf = (values: readonly string[]) => {
    const out = [...new Set(values.filter((s) => s.length >= 4).flatMap((s) => [s, encodeURIComponent(s)]))];
    return out.sort((a, b) => b.length - a.length);
  };
  let seen: readonly string[] | undefined;
  let needles: string[] = [];
  /** The needles, rebuilt when `changing` gives a new list (refreshed storage credentials). */
  const current = () => {
    const now = changing();
    if (now !== seen) {
      seen = now;
      needles = needlesOf([...secrets, ...now]);
    }
    return needles;
  };

  const text = (value: string): string => {
    let out = value;
    for (const needle of current()) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    if (!PATTERN_TRIGGER.test(out)) return out;
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };

  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return text(value);
    if (value === null || typeof value !== "object") return value;
    if (depth > 6) return "[deep]";
    if (value instanceof Error) return walk(serializeError(value), depth);
    if (Array.isArray(value)) return value.slice(0, 100).map((item) => walk(item, depth + 1));
    if (value instanceof Date) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        SECRET_KEY.test(key) && item !== undefined && item !== null ? REDACTED : walk(item, depth + 1);
    }
    return out;
  };

  const scrub = ((value: unknown) => walk(value, 0)) as Scrubber;
  scrub.text = text;
  return scrub;
}

/** An error as plain data for a log line: type, message, code, status, stack, and its causes. */
export function serializeError(error: Error, depth = 0): Record<string, unknown> {
  const fields = error as Error & { code?: unknown; status?: unknown };
  const out: Record<string, unknown> = { type: error.name, message: error.message };
  if (fields.code !== undefined) out.code = fields.code;
  if (fields.status !== undefined) out.status = fields.status;
  if (error.stack) out.stack = error.stack;
  if (error.cause !== undefined && depth < 3) {
    out.cause = error.cause instanceof Error ? serializeError(error.cause, depth + 1) : String(error.cause);
  }
  return out;
}
