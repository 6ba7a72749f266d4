import type { CorsRule } from "../../core/s3/cors.js";

/** A rule as lines of text, one value per line, in the order of the XML elements. */
export function ruleLines(rule: CorsRule): string[] {
  return [
    `CORSRule${rule.id ? ` ${rule.id}` : ""}`,
    ...rule.allowedOrigins.map((v) => `  AllowedOrigin ${v}`),
    ...rule.allowedMethods.map((v) => `  AllowedMethod ${v}`),
    ...(rule.allowedHeaders ?? []).map((v) => `  AllowedHeader ${v}`),
    ...(rule.exposeHeaders ?? []).map((v) => `  ExposeHeader ${v}`),
    ...(rule.maxAgeSeconds === undefined ? [] : [`  MaxAgeSeconds ${rule.maxAgeSeconds}`]),
  ];
}

export const rulesLines = (rules: readonly CorsRule[] | undefined): string[] =>
  (rules ?? []).flatMap(ruleLines);

/** A line diff (longest common subsequence): "  " kept, "- " only in `before`, "+ " only in `after`. */
export function diffLines(before: readonly string[], after: readonly string[]): string[] {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] =
        before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push(`  ${before[i++]}`);
      j++;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push(`- ${before[i++]}`);
    } else {
      out.push(`+ ${after[j++]}`);
    }
  }
  return out;
}

/**
 * The same rules, in the same order (S3 answers with the first that matches). Within a rule the
 * order of values means nothing, and Ceph RGW returns them reordered (methods, headers sorted).
 */
export function sameRules(a: readonly CorsRule[] | undefined, b: readonly CorsRule[] | undefined): boolean {
  const sorted = (rules: readonly CorsRule[] | undefined) =>
    (rules ?? []).flatMap((rule) => {
      const [head, ...values] = ruleLines(rule);
      return [head!, ...values.sort()];
    });
  const x = sorted(a);
  const y = sorted(b);
  return x.length === y.length && x.every((line, i) => line === y[i]);
}
