import { randomUUID } from "node:crypto";
import type { Ledger, NewUpload, QuotaLimit, ReserveResult } from "../../../src/server/ledger/types.js";

export const MB = 1024 * 1024;
export const CALLS = 200;
/** 1 MB per call against 50 MB: exactly 50 of the 200 calls fit. */
export const BYTE_QUOTA: QuotaLimit = { bytes: 50 * MB };
/** 3 files per call against 100 files: exactly 33 of the 200 calls fit, whole batches only. */
export const FILE_QUOTA: QuotaLimit = { files: 100 };

export function upload(userId: string, route: string, size: number): NewUpload {
  const id = `up_${randomUUID()}`;
  const now = new Date();
  return {
    id,
    userId,
    route,
    bucket: "uploads",
    key: `${route}/${userId}/${id}`,
    name: "race.bin",
    strategy: "put",
    declaredSize: size,
    declaredType: "application/octet-stream",
    sha256: null,
    multipartUploadId: null,
    partSize: null,
    partCount: null,
    clientIp: null,
    userAgent: null,
    metadata: {},
    createdAt: now,
    expiresAt: new Date(now.getTime() + 900_000),
  };
}

/** Fires every call at once, spread round-robin over the instances; `files` uploads of `size` per call. */
export function race(
  ledgers: readonly Ledger[],
  route: string,
  limit: QuotaLimit,
  files: number,
  size: number,
): Promise<ReserveResult[]> {
  const userId = "racer";
  return Promise.all(
    Array.from({ length: CALLS }, (_, call) =>
      ledgers[call % ledgers.length]!.reserve(
        Array.from({ length: files }, () => upload(userId, route, size)),
        { userId, route, limit, now: new Date() },
      ),
    ),
  );
}

/** Every row the racer holds on the route, across pages. */
export async function heldRows(ledger: Ledger, route: string): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await ledger.list({ userId: "racer", route, status: "pending", cursor, limit: 100 });
    count += page.rows.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}
