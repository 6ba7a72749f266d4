import fc from "fast-check";
import type { SigV4Failure } from "../../src/core/sigv4/failure.js";
import type { VerifyResult } from "../../src/core/sigv4/verify.js";
import { rfc3986 } from "../support/rfc3986.js";

/** A single-character edit: which position (taken modulo the length) and what to put there. */
export interface Edit {
  at: number;
  pick: number;
}
export const editArb: fc.Arbitrary<Edit> = fc.record({ at: fc.nat(), pick: fc.nat() });

/**
 * Replaces one code point of `text` with a different one from `alphabet` (so the text really
 * changes). `text` must not be empty.
 */
export function replaceOne(text: string, edit: Edit, alphabet: string): string {
  const chars = Array.from(text);
  const i = edit.at % chars.length;
  const options = Array.from(alphabet).filter((c) => c !== chars[i]);
  chars[i] = options[edit.pick % options.length]!;
  return chars.join("");
}

export const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** What a tampered query value may become: anything, encoded when the URL is rebuilt. */
export const ANY_CHAR = `${ALNUM}-_.~ /+=%:;&?#é😀`;
/** Visible, never whitespace: a header value edited with one of these changes canonically too. */
export const VISIBLE = `${ALNUM}-_.~/+=:;,*!"'()[]{}<>@#$%^&|`;

/** A URL split into origin, raw path and decoded query pairs, and put back together. */
export interface UrlParts {
  origin: string;
  path: string;
  query: Array<[string, string]>;
}

export function splitUrl(url: string): UrlParts {
  const scheme = url.indexOf("://") + 3;
  const slash = url.indexOf("/", scheme);
  const q = url.indexOf("?");
  const rawQuery = q === -1 ? "" : url.slice(q + 1);
  const query = rawQuery
    .split("&")
    .filter(Boolean)
    .map((part): [string, string] => {
      const eq = part.indexOf("=");
      return [decodeURIComponent(part.slice(0, eq)), decodeURIComponent(part.slice(eq + 1))];
    });
  return { origin: url.slice(0, slash), path: url.slice(slash, q === -1 ? undefined : q), query };
}

export function joinUrl(parts: UrlParts): string {
  const query = parts.query.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join("&");
  return `${parts.origin}${parts.path}${query ? `?${query}` : ""}`;
}

/** The pairs (query or headers) with the value of each pair named exactly `name` passed through `edit`. */
export function editValue(
  pairs: Array<[string, string]>,
  name: string,
  edit: (value: string) => string,
): Array<[string, string]> {
  return pairs.map(([k, v]) => [k, k === name ? edit(v) : v]);
}

/** "ok" or the failure's code, which is what each tamper oracle predicts. */
export const outcome = (r: VerifyResult): string => (r.ok ? "ok" : r.error.code);

export function failureOf(r: { ok: boolean; error?: SigV4Failure }): SigV4Failure {
  if (r.ok || !r.error) throw new Error("expected the verification to fail");
  return r.error;
}

export const detail = (f: SigV4Failure, name: string): string | undefined =>
  f.details.find(([n]) => n === name)?.[1];

/** Decodes a raw path once as S3 does; undefined on a bad escape or invalid UTF-8. */
export function decodePath(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** What a path edited from `signed` to `sent` gets: InvalidURI on a bad escape, ok if it decodes the same. */
export function expectedForPath(signed: string, sent: string): string {
  const decoded = decodePath(sent);
  if (decoded === undefined) return "InvalidURI";
  return decoded === decodePath(signed) ? "ok" : "SignatureDoesNotMatch";
}

/** Counts outcomes per kind so a suite can prove every branch of its oracle was reached. */
export class OutcomeLog {
  private readonly seen = new Map<string, Set<string>>();
  add(kind: string, code: string): void {
    const set = this.seen.get(kind) ?? new Set<string>();
    this.seen.set(kind, set.add(code));
  }
  of(kind: string): string[] {
    return [...(this.seen.get(kind) ?? [])].sort();
  }
}
