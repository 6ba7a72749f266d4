/** Unfinished multipart uploads the state store remembers: what a page offers to resume after a reload. */
import type { ResumeRecord, StateStore } from "../client/index.js";

export interface StoredUpload {
  /** The state store's key for it. */
  key: string;
  /** The gateway's upload id. */
  id: string;
  route: string;
  name: string;
  size: number;
  lastModified: number;
  /** Bytes of the parts this browser saw stored (the gateway's answer decides on resume). */
  stored: number;
  /** stored / size in whole percent. */
  percent: number;
  expiresAt: string;
}

/** The record as an offer, or undefined for a record this version cannot read. */
export function storedUpload(record: ResumeRecord): StoredUpload | undefined {
  let identity: unknown;
  try {
    identity = JSON.parse(record.key);
  } catch {
    return undefined;
  }
  if (!Array.isArray(identity)) return undefined;
  const [, name, size, lastModified] = identity as [unknown, unknown, unknown, unknown];
  if (typeof name !== "string" || typeof size !== "number" || typeof lastModified !== "number")
    return undefined;
  const stored = Object.keys(record.etags).reduce((sum, n) => sum + (record.sizes[Number(n) - 1] ?? 0), 0);
  return {
    key: record.key,
    id: record.id,
    route: record.route,
    name,
    size,
    lastModified,
    stored,
    percent: size > 0 ? Math.floor((stored / size) * 100) : 0,
    expiresAt: record.expiresAt,
  };
}

/** The route's unfinished uploads that have not expired, newest first; none when the store cannot list. */
export async function storedUploads(
  state: StateStore,
  route: string,
  now = Date.now(),
): Promise<StoredUpload[]> {
  if (!state.list) return [];
  const records = await state.list().catch(() => []);
  return records
    .filter((r) => r.route === route && Date.parse(r.expiresAt) > now)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .flatMap((r) => storedUpload(r) ?? []);
}

/** Whether `file` is the one an offer was made for (the client then checks every part's hash). */
export function isSameFile(offer: StoredUpload, file: File): boolean {
  return file.name === offer.name && file.size === offer.size && file.lastModified === offer.lastModified;
}
