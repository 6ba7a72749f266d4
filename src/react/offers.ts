/** Unfinished multipart uploads the state store remembers: what a page offers to resume after a reload. */
import type { ResumeRecord, StateStore, Uploader } from "../client/index.js";

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
  };
}

/** The ids of the caller's uploads on this route the gateway still holds open, or undefined if it cannot say. */
async function pendingIds(uploader: Uploader, route: string): Promise<Set<string> | undefined> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  try {
    for (let page = 0; page < 10; page++) {
      const list = await uploader.list({ route, status: "pending", ...(cursor !== undefined && { cursor }) });
      for (const upload of list.uploads) ids.add(upload.id);
      cursor = list.nextCursor;
      if (cursor === undefined) return ids;
    }
  } catch {
    // Anonymous routes cannot list, and a network error says nothing: offer what the store has.
  }
  return undefined;
}

/**
 * The route's unfinished uploads, newest first. The gateway decides which can still resume (the
 * caller's pending uploads): records of uploads it verified, expired or deleted are removed from
 * the store. When it cannot say, every record is offered (a resume that finds its upload gone
 * starts over).
 */
export async function storedUploads(
  state: StateStore,
  uploader: Uploader,
  route: string,
): Promise<StoredUpload[]> {
  if (!state.list) return [];
  const records = (await state.list().catch(() => [])).filter((r) => r.route === route);
  if (records.length === 0) return [];
  const pending = await pendingIds(uploader, route);
  const open = records.filter((r) => pending === undefined || pending.has(r.id));
  for (const gone of records.filter((r) => !open.includes(r))) await state.delete(gone.key).catch(() => {});
  return open.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).flatMap((r) => storedUpload(r) ?? []);
}

/** Whether `file` is the one an offer was made for (the client then checks every part's hash). */
export function isSameFile(offer: StoredUpload, file: File): boolean {
  return file.name === offer.name && file.size === offer.size && file.lastModified === offer.lastModified;
}
