import { encodeCursor } from "./list-cursor.js";
import type { UploadRow } from "./types.js";

export function assertLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`A page limit must be a positive integer, got ${limit}.`);
  }
}

/** Cuts the extra row list() fetched to learn whether another page follows. */
export function page(rows: UploadRow[], limit: number): { rows: UploadRow[]; nextCursor?: string } {
  if (rows.length <= limit) return { rows };
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1]!;
  return { rows: kept, nextCursor: encodeCursor({ createdAtMs: last.createdAt.getTime(), id: last.id }) };
}
