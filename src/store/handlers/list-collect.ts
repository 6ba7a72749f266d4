import type { ObjectMeta, StorageBackend } from "../backend/types.js";

/** One listing entry: an object, or a common prefix standing for every key that shares it. */
export type ListEntry = { kind: "object"; meta: ObjectMeta } | { kind: "prefix"; prefix: string };

export interface CollectQuery {
  prefix: string;
  /** "" groups nothing. */
  delimiter: string;
  /** Resume strictly after this key or common prefix (marker, start-after, continuation token). */
  after: string | undefined;
  maxKeys: number;
}

/**
 * Appended to a common prefix, this sorts after nearly every key that has the prefix, so the next
 * backend page starts past the group (the few keys that sort later are skipped one by one).
 */
const PAST_GROUP = "\u{10FFFF}";

/** The common prefix `key` rolls up into, if the delimiter occurs after the prefix. */
export function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  if (delimiter === "") return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}

/**
 * Walks the sorted keys under `prefix` after `after`, rolling keys up into common prefixes, until
 * `maxKeys` entries (a common prefix counts as one) are found. Resuming after a common prefix
 * skips its whole group, so pages never repeat or split a group.
 */
export async function collectEntries(
  backend: StorageBackend,
  bucket: string,
  query: CollectQuery,
): Promise<{ entries: ListEntry[]; truncated: boolean }> {
  const entries: ListEntry[] = [];
  if (query.maxKeys <= 0) return { entries, truncated: false };
  const want = query.maxKeys + 1;
  let skipGroup: string | undefined;
  let cursor = query.after;
  if (cursor?.startsWith(query.prefix)) {
    const group = commonPrefixOf(cursor, query.prefix, query.delimiter);
    if (group === cursor) {
      skipGroup = group;
      cursor = group + PAST_GROUP;
    }
  }
  while (entries.length < want) {
    const page = await backend.listObjects(bucket, {
      prefix: query.prefix === "" ? undefined : query.prefix,
      after: cursor,
      limit: Math.min(1000, want - entries.length),
    });
    let jumped = false;
    for (const meta of page.objects) {
      cursor = meta.key;
      if (skipGroup !== undefined && meta.key.startsWith(skipGroup)) continue;
      const group = commonPrefixOf(meta.key, query.prefix, query.delimiter);
      if (group === undefined) {
        entries.push({ kind: "object", meta });
      } else {
        entries.push({ kind: "prefix", prefix: group });
        skipGroup = group;
        cursor = group + PAST_GROUP;
        jumped = true;
      }
      if (jumped || entries.length === want) break;
    }
    if (!jumped && !page.truncated) break;
  }
  const truncated = entries.length === want;
  if (truncated) entries.pop();
  return { entries, truncated };
}

/** The key or common prefix a listing resumes after. */
export function entryName(entry: ListEntry): string {
  return entry.kind === "object" ? entry.meta.key : entry.prefix;
}
