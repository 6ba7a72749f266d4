import type { RouteChecksumAlgorithm, UploadStatus } from "../../core/protocol.js";
import type { IdempotentRequest, NewUpload, Strategy, TransitionPatch, UploadRow } from "./types.js";

/** The uploads table's columns, in the order insertValues() produces them. */
export const UPLOAD_COLUMNS = [
  "id",
  "user_id",
  "route",
  "bucket",
  "key",
  "name",
  "strategy",
  "declared_size",
  "declared_type",
  "sha256",
  "verified_size",
  "verified_type",
  "status",
  "reason",
  "multipart_upload_id",
  "part_size",
  "part_count",
  "client_ip",
  "user_agent",
  "metadata",
  "created_at",
  "expires_at",
  "updated_at",
  "completed_at",
  "idempotency_key",
  "request_hash",
  "file_index",
  "verified_etag",
  "quota_subject",
  "capability_hash",
  "download_token_hash",
  "checksum_algorithm",
  "checksum",
] as const;

const PATCH_COLUMNS: Record<Exclude<keyof TransitionPatch, "forgetIdempotency">, string> = {
  reason: "reason",
  verifiedSize: "verified_size",
  verifiedType: "verified_type",
  verifiedEtag: "verified_etag",
  key: "key",
  completedAt: "completed_at",
  expiresAt: "expires_at",
  capabilityHash: "capability_hash",
  downloadTokenHash: "download_token_hash",
  checksum: "checksum",
};

/** What every transition also sets: a status change ends the row's verification lease. */
export const LEASE_ENDED: ReadonlyArray<[column: string, value: unknown]> = [
  ["verify_lease_id", null],
  ["verify_lease_until", null],
];

/**
 * The values of a new pending row; `time` turns a Date into the dialect's timestamp value, `index` is
 * the row's place in its reserve() call (its file's index in the create request).
 */
export function insertValues(row: NewUpload, time: (date: Date) => unknown, index: number): unknown[] {
  return [
    row.id,
    row.userId,
    row.route,
    row.bucket,
    row.key,
    row.name,
    row.strategy,
    row.declaredSize,
    row.declaredType,
    row.sha256,
    null,
    null,
    "pending",
    null,
    row.multipartUploadId,
    row.partSize,
    row.partCount,
    row.clientIp,
    row.userAgent,
    JSON.stringify(row.metadata),
    time(row.createdAt),
    time(row.expiresAt),
    time(row.createdAt),
    null,
    row.idempotency?.key ?? null,
    row.idempotency?.requestHash ?? null,
    row.idempotency ? index : null,
    null,
    subjectOf(row),
    row.capabilityHash ?? null,
    row.downloadTokenHash ?? null,
    row.checksumAlgorithm ?? "sha256",
    row.checksum ?? row.sha256,
  ];
}

/** A new row's quota subject: its user unless it says otherwise. */
export function subjectOf(row: { userId: string; quotaSubject?: string }): string {
  return row.quotaSubject ?? row.userId;
}

/** The columns a transition patch sets, with their values; fields left undefined are not touched. */
export function patchAssignments(
  patch: TransitionPatch,
  time: (date: Date) => unknown,
): Array<[column: string, value: unknown]> {
  const assignments: Array<[string, unknown]> = [];
  for (const field of Object.keys(PATCH_COLUMNS) as Array<keyof typeof PATCH_COLUMNS>) {
    const value = patch[field];
    if (value === undefined) continue;
    assignments.push([PATCH_COLUMNS[field], value instanceof Date ? time(value) : value]);
  }
  if (patch.forgetIdempotency) {
    assignments.push(["idempotency_key", null], ["request_hash", null], ["file_index", null]);
  }
  return assignments;
}

/** Maps a row as either driver returns it (BIGINT as string, timestamps as Date or ms, JSON as text or object). */
export function toUploadRow(raw: Record<string, unknown>): UploadRow {
  return {
    id: String(raw.id),
    userId: String(raw.user_id),
    route: String(raw.route),
    bucket: String(raw.bucket),
    key: String(raw.key),
    name: String(raw.name),
    strategy: raw.strategy as Strategy,
    declaredSize: Number(raw.declared_size),
    declaredType: String(raw.declared_type),
    sha256: nullableString(raw.sha256),
    checksumAlgorithm: (raw.checksum_algorithm ?? "sha256") as RouteChecksumAlgorithm,
    checksum: nullableString(raw.checksum),
    verifiedSize: nullableNumber(raw.verified_size),
    verifiedType: nullableString(raw.verified_type),
    verifiedEtag: nullableString(raw.verified_etag),
    status: raw.status as UploadStatus,
    reason: nullableString(raw.reason),
    multipartUploadId: nullableString(raw.multipart_upload_id),
    partSize: nullableNumber(raw.part_size),
    partCount: nullableNumber(raw.part_count),
    clientIp: nullableString(raw.client_ip),
    userAgent: nullableString(raw.user_agent),
    quotaSubject: String(raw.quota_subject),
    capabilityHash: nullableString(raw.capability_hash),
    downloadTokenHash: nullableString(raw.download_token_hash),
    metadata: (typeof raw.metadata === "string" ? JSON.parse(raw.metadata) : raw.metadata) as Record<
      string,
      string
    >,
    createdAt: toDate(raw.created_at),
    expiresAt: toDate(raw.expires_at),
    updatedAt: toDate(raw.updated_at),
    completedAt: raw.completed_at === null ? null : toDate(raw.completed_at),
  };
}

/** The rows of one Idempotency-Key, ordered by file index, as IdempotentRequest; undefined when none. */
export function toIdempotentRequest(raws: readonly Record<string, unknown>[]): IdempotentRequest | undefined {
  const first = raws[0];
  if (!first) return undefined;
  return { requestHash: String(first.request_hash), rows: raws.map(toUploadRow) };
}

function nullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(Number(value));
}
