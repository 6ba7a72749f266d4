import type { CorsRule } from "../core/s3/cors.js";

/** One "*" may stand anywhere in an origin or header pattern. */
function wildcardMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  const star = p.indexOf("*");
  if (star === -1) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

const originMatches = (rule: CorsRule, origin: string) =>
  rule.allowedOrigins.some((o) => wildcardMatch(o, origin, false));

/** The first rule allowing the origin, the method and every requested header (S3's evaluation). */
export function matchCorsRule(
  rules: readonly CorsRule[] | undefined,
  origin: string,
  method: string,
  requestHeaders: readonly string[] = [],
): CorsRule | undefined {
  return rules?.find(
    (rule) =>
      originMatches(rule, origin) &&
      (rule.allowedMethods as readonly string[]).includes(method) &&
      requestHeaders.every((h) => (rule.allowedHeaders ?? []).some((a) => wildcardMatch(a, h, true))),
  );
}

const VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

/** Headers for a matched rule; Allow-Headers only on preflights (echoing the request's list). */
export function corsResponseHeaders(
  rule: CorsRule,
  origin: string,
  preflightHeaders?: string,
): Record<string, string> {
  const anyOrigin = rule.allowedOrigins.includes("*");
  const out: Record<string, string> = {
    "access-control-allow-origin": anyOrigin ? "*" : origin,
    "access-control-allow-methods": rule.allowedMethods.join(", "),
    vary: VARY,
  };
  if (!anyOrigin) out["access-control-allow-credentials"] = "true";
  if (preflightHeaders) out["access-control-allow-headers"] = preflightHeaders;
  const expose = rule.exposeHeaders ?? [];
  if (expose.length > 0) out["access-control-expose-headers"] = expose.join(", ");
  if (rule.maxAgeSeconds !== undefined) out["access-control-max-age"] = String(rule.maxAgeSeconds);
  return out;
}

export function parseRequestHeaderList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}
