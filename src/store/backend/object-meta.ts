import type { ByteRange, ObjectMeta, WriteConditions } from "./types.js";

/** A copy the caller may change without touching what the backend keeps. */
export function copyMeta(meta: ObjectMeta): ObjectMeta {
  const copy: ObjectMeta = {
    ...meta,
    lastModified: new Date(meta.lastModified),
    metadata: { ...meta.metadata },
    checksums: { ...meta.checksums },
    headers: { ...meta.headers },
  };
  if (meta.partSizes) copy.partSizes = [...meta.partSizes];
  if (meta.partChecksums) copy.partChecksums = meta.partChecksums.map((c) => ({ ...c }));
  return copy;
}

const unquote = (etag: string): string => etag.replace(/^"(.*)"$/, "$1");

/** Whether a write under these conditions may replace `current` (undefined: the key does not exist). */
export function conditionsHold(
  current: ObjectMeta | undefined,
  conditions: WriteConditions | undefined,
): boolean {
  if (conditions?.ifNoneMatch === "*" && current) return false;
  const ifMatch = conditions?.ifMatch;
  if (ifMatch === undefined) return true;
  if (!current) return false;
  return ifMatch === "*" || unquote(ifMatch) === unquote(current.etag);
}

/**
 * The inclusive byte span to send for `range` of an object of `size` bytes: the end is clamped to the
 * last byte, and undefined means nothing (the range starts past the end, or the object is empty).
 */
export function clampRange(size: number, range: ByteRange | undefined): ByteRange | undefined {
  const start = range?.start ?? 0;
  const end = Math.min(range?.end ?? size - 1, size - 1);
  return start > end ? undefined : { start, end };
}
