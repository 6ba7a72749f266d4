/**
 * The prefixes to sweep, each read as a folder ("images" → "images/"), with those inside another
 * dropped so nothing is listed twice. An empty prefix would cover the whole bucket: refused.
 */
export function sweepPrefixes(prefixes: readonly string[]): string[] {
  const folders = prefixes.map((prefix) => {
    const trimmed = prefix.replace(/^\/+/, "");
    if (trimmed === "" || trimmed === "/") {
      throw new RangeError("upgate: sweep prefixes must name a folder; an empty one would cover the bucket");
    }
    return trimmed.endsWith("/") ? trimmed : `${trimmed}/`;
  });
  const unique = [...new Set(folders)].sort();
  return unique.filter((prefix) => !unique.some((other) => other !== prefix && prefix.startsWith(other)));
}
