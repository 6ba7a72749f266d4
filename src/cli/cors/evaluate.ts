import type { CorsRule } from "../../core/s3/cors.js";
import { matchCorsRule } from "../../store/cors.js";

/** Stands for "any origin" when the configured origins are "*". */
const SAMPLE_ORIGIN = "https://any-origin.example";

/**
 * What the bucket's rules refuse a browser, evaluated as S3 does: a preflight needs the first rule
 * that allows the origin, the method and every requested header; the real request then uses the
 * first rule allowing origin and method, which must expose ETag for uploads (multipart reads it).
 * An empty list means every origin can upload.
 */
export function corsProblems(
  rules: readonly CorsRule[] | undefined,
  origins: readonly string[] | "*",
  methods: readonly string[],
  headers: readonly string[],
): string[] {
  const storeRules = rules ?? [];
  const problems: string[] = [];
  for (const origin of origins === "*" ? [SAMPLE_ORIGIN] : origins) {
    const shown = origins === "*" ? "any origin" : origin;
    for (const method of methods) {
      const sent = method === "PUT" ? headers : [];
      if (!matchCorsRule(storeRules, origin, method, sent)) {
        const partial = matchCorsRule(storeRules, origin, method);
        const missing = partial ? sent.filter((h) => !matchCorsRule([partial], origin, method, [h])) : [];
        problems.push(
          missing.length > 0
            ? `${method} from ${shown} may not send ${missing.join(", ")}`
            : `${method} from ${shown} is not allowed`,
        );
        continue;
      }
      const used = matchCorsRule(storeRules, origin, method);
      const writes = method === "PUT" || method === "POST";
      if (writes && !used?.exposeHeaders?.some((h) => h.toLowerCase() === "etag")) {
        problems.push(`${method} from ${shown} does not expose ETag`);
      }
    }
  }
  return problems;
}
