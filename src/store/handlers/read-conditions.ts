import type { ObjectMeta } from "../backend/types.js";

/** The names of the four conditional headers: If-* for GET/HEAD, x-amz-copy-source-if-* for copies. */
export interface ConditionHeaders {
  ifMatch: string;
  ifNoneMatch: string;
  ifModifiedSince: string;
  ifUnmodifiedSince: string;
}

export const READ_CONDITIONS: ConditionHeaders = {
  ifMatch: "If-Match",
  ifNoneMatch: "If-None-Match",
  ifModifiedSince: "If-Modified-Since",
  ifUnmodifiedSince: "If-Unmodified-Since",
};

export const COPY_SOURCE_CONDITIONS: ConditionHeaders = {
  ifMatch: "x-amz-copy-source-If-Match",
  ifNoneMatch: "x-amz-copy-source-If-None-Match",
  ifModifiedSince: "x-amz-copy-source-If-Modified-Since",
  ifUnmodifiedSince: "x-amz-copy-source-If-Unmodified-Since",
};

/** What the conditions say: go ahead, 304 Not Modified, or 412 naming the failed header. */
export type ConditionOutcome =
  | { kind: "ok" }
  | { kind: "not-modified"; condition: string }
  | { kind: "failed"; condition: string };

const bare = (tag: string): string =>
  tag
    .trim()
    .replace(/^W\//, "")
    .replace(/^"(.*)"$/, "$1");

/** Whether a comma-separated If-Match / If-None-Match list names this ETag ("*" names any). */
export function etagListMatches(list: string, etag: string): boolean {
  const target = bare(etag);
  return list.split(",").some((item) => item.trim() === "*" || bare(item) === target);
}

/** Whole seconds, as Last-Modified is sent and as HTTP dates compare. */
const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

function httpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/**
 * S3's precedence: a true If-Match overrides a false If-Unmodified-Since (200), and a false
 * If-None-Match wins over a true If-Modified-Since (304). Unparseable dates are ignored.
 */
export function evaluateConditions(
  meta: ObjectMeta,
  headers: Map<string, string>,
  names: ConditionHeaders,
): ConditionOutcome {
  const get = (name: string) => headers.get(name.toLowerCase());
  const lastModified = seconds(meta.lastModified);
  const ifMatch = get(names.ifMatch);
  if (ifMatch !== undefined) {
    if (!etagListMatches(ifMatch, meta.etag)) return { kind: "failed", condition: names.ifMatch };
  } else {
    const since = httpDate(get(names.ifUnmodifiedSince));
    if (since !== undefined && lastModified > since)
      return { kind: "failed", condition: names.ifUnmodifiedSince };
  }
  const ifNoneMatch = get(names.ifNoneMatch);
  if (ifNoneMatch !== undefined) {
    if (etagListMatches(ifNoneMatch, meta.etag))
      return { kind: "not-modified", condition: names.ifNoneMatch };
  } else {
    const since = httpDate(get(names.ifModifiedSince));
    if (since !== undefined && lastModified <= since)
      return { kind: "not-modified", condition: names.ifModifiedSince };
  }
  return { kind: "ok" };
}
