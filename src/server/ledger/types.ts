import type { RouteChecksumAlgorithm, UploadStatus } from "../../core/protocol.js";

export type Strategy = "put" | "post" | "multipart";

/** One upload, from signing to its end. Every object can be traced to its uploader through it. */
export interface UploadRow {
  id: string;
  userId: string;
  route: string;
  bucket: string;
  key: string;
  /** The file name the client declared (display only; never part of the key's path). */
  name: string;
  strategy: Strategy;
  declaredSize: number;
  declaredType: string;
  /** Base64 SHA-256 the client declared (bound into the signature). */
  sha256: string | null;
  /** The route's checksum algorithm when the upload was created. */
  checksumAlgorithm: RouteChecksumAlgorithm;
  /**
   * The whole file's checksum in that algorithm, base64: declared at create (and signed), or, for a
   * CRC multipart upload, given at Complete and recorded once verified. Equal to sha256 on sha256 routes.
   */
  checksum: string | null;
  verifiedSize: number | null;
  verifiedType: string | null;
  /** The object's ETag when it was verified: a download of an object with another ETag is refused. */
  verifiedEtag: string | null;
  status: UploadStatus;
  /** Reason code when rejected, expired or aborted. */
  reason: string | null;
  /** The storage's multipart upload id. */
  multipartUploadId: string | null;
  partSize: number | null;
  partCount: number | null;
  clientIp: string | null;
  userAgent: string | null;
  /**
   * Whose quota, rate limit and Idempotency-Keys the upload counts against: the user id for a
   * signed-in user, `anonymous@<client address>` for an anonymous caller (see quota-subject.ts).
   */
  quotaSubject: string;
  /** SHA-256 (hex) of an anonymous upload's capability; null for signed-in users' uploads. */
  capabilityHash: string | null;
  /** SHA-256 (hex) of the upload's read-only download token; null when none was issued. */
  downloadTokenHash: string | null;
  metadata: Record<string, string>;
  createdAt: Date;
  /** When the signed URLs stop working. */
  expiresAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

export type NewUpload = Omit<
  UploadRow,
  | "status"
  | "reason"
  | "verifiedSize"
  | "verifiedType"
  | "verifiedEtag"
  | "updatedAt"
  | "completedAt"
  | "quotaSubject"
  | "capabilityHash"
  | "downloadTokenHash"
  | "checksumAlgorithm"
  | "checksum"
> & {
  /** Default "sha256". */
  checksumAlgorithm?: RouteChecksumAlgorithm;
  /** Default: sha256. */
  checksum?: string | null;
  /** Default: the user id (see UploadRow.quotaSubject). */
  quotaSubject?: string;
  /** Default null. */
  capabilityHash?: string | null;
  /** Default null. */
  downloadTokenHash?: string | null;
  /** The create request's Idempotency-Key; every row of one reserve() call carries the same one. */
  idempotency?: IdempotencyTag;
};

/** An Idempotency-Key with the hash of the canonical request it was first sent with. */
export interface IdempotencyTag {
  key: string;
  requestHash: string;
}

/** The rows one Idempotency-Key reserved, in the order of the request's files. */
export interface IdempotentRequest {
  requestHash: string;
  rows: UploadRow[];
}

/** A user's quota on one route: bytes and file count, over a rolling period or in total. */
export interface QuotaLimit {
  bytes?: number;
  files?: number;
  /** Rolling window length; undefined counts every upload ever made that still holds its bytes. */
  periodMs?: number;
}

export interface QuotaUsage {
  bytes: number;
  files: number;
}

/**
 * `existing`: the user already reserved with this Idempotency-Key, so nothing was inserted or counted
 * again; these are the first request's rows.
 */
export type ReserveResult =
  | { ok: true; existing?: IdempotentRequest }
  | {
      ok: false;
      used: QuotaUsage;
      limit: QuotaLimit;
      /** Set when the route-wide cap refused (`used` is then the whole route's). */
      scope?: "route";
    };

/** What a reservation is counted against. */
export interface ReserveQuota {
  /** The rows' user: every row of the call must carry it. */
  userId: string;
  /** The rows' quota subject (default: the user id): every row of the call must carry it. */
  subject?: string;
  route: string;
  /** The subject's quota on the route. */
  limit: QuotaLimit;
  /** The route-wide cap over every subject's uploads, when the route sets one. */
  routeLimit?: QuotaLimit;
  now: Date;
}

/** Statuses whose bytes count against a quota (reserved or stored). */
export const HOLDING_STATUSES: readonly UploadStatus[] = ["pending", "uploaded", "verified"];

export interface ListQuery {
  userId: string;
  route?: string;
  status?: UploadStatus;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  limit: number;
}

export interface RateResult {
  ok: boolean;
  /** When not ok: how long until one token is available. */
  retryAfterMs: number;
}

/**
 * What a transition may change besides the status. `key`: the object moved (a POST upload is
 * promoted to a key no form was signed for when it is verified).
 */
export type TransitionPatch = Partial<
  Pick<
    UploadRow,
    | "reason"
    | "verifiedSize"
    | "verifiedType"
    | "verifiedEtag"
    | "key"
    | "completedAt"
    | "expiresAt"
    | "capabilityHash"
    | "downloadTokenHash"
    | "checksum"
  >
> & {
  /** Detaches the row from its Idempotency-Key, so a retry with that key creates anew. */
  forgetIdempotency?: boolean;
};

/**
 * The audit ledger. SQLite (one instance) and Postgres (several instances) implement it, and both
 * pass test/contract/ledger.contract.ts. Every method is safe under concurrent calls from several
 * gateway processes sharing one database.
 */
export interface Ledger {
  /** Applies pending migrations (versioned, idempotent). */
  migrate(): Promise<void>;
  migrationStatus(): Promise<{ current: number; latest: number }>;
  /** Cheap round trip, for /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /**
   * Inserts the rows as "pending" and reserves their bytes, all or nothing, in one transaction that
   * serializes with every other reservation for the same quota subject and route (and, with a
   * route-wide cap, for the route): concurrent calls can never push usage past either limit. Rows
   * tagged with an Idempotency-Key that the subject already reserved with are not inserted (nor
   * checked against the quota): the result carries the existing rows. Same-key calls are atomic
   * with each other: exactly one of them inserts.
   */
  reserve(rows: NewUpload[], quota: ReserveQuota): Promise<ReserveResult>;
  /** The quota subject's holding usage on a route (see UploadRow.quotaSubject). */
  usage(subject: string, route: string, periodMs: number | undefined, now: Date): Promise<QuotaUsage>;
  /** The rows this quota subject reserved with this Idempotency-Key, or undefined; never another's. */
  findIdempotent(subject: string, key: string): Promise<IdempotentRequest | undefined>;

  get(id: string): Promise<UploadRow | undefined>;
  /**
   * Compare-and-set: moves the row to `to` only if its status is one of `from`, applying `patch`.
   * Returns the updated row, or undefined when the row is missing or in another status. Ends any
   * verification lease on the row.
   */
  transition(
    id: string,
    from: readonly UploadStatus[],
    to: UploadStatus,
    patch?: TransitionPatch,
  ): Promise<UploadRow | undefined>;
  /**
   * Compare-and-set: gives the verification lease of an "uploaded" row to `leaseId` until `until`,
   * if no other lease is live at `now` (none, or its end at or before `now`). Returns the row, or
   * undefined when it is missing, not "uploaded", or another lease holds it. One caller at a time
   * verifies an upload, across every instance; a holder that dies loses the lease when it ends.
   */
  claimVerification(id: string, leaseId: string, until: Date, now: Date): Promise<UploadRow | undefined>;
  /** Moves the end of `leaseId`'s lease to `until`; false when the lease is no longer its own. */
  renewVerification(id: string, leaseId: string, until: Date): Promise<boolean>;
  /** Ends `leaseId`'s lease, if it still holds it (a transition ends it anyway). */
  releaseVerification(id: string, leaseId: string): Promise<void>;
  /** Extends a pending upload's URL expiry (fresh part URLs). */
  extendExpiry(id: string, expiresAt: Date): Promise<void>;
  list(query: ListQuery): Promise<{ rows: UploadRow[]; nextCursor?: string }>;

  /** Pending or uploaded rows whose expiresAt is before `before`, oldest first. */
  findStale(before: Date, limit: number): Promise<UploadRow[]>;
  /** Whether any row in one of `statuses` owns this bucket key. */
  ownsKey(bucket: string, key: string, statuses: readonly UploadStatus[]): Promise<boolean>;

  /**
   * Token bucket shared by every instance: `perMinute` tokens refill per minute, burst = perMinute.
   * Takes one token for `bucketKey` or says how long to wait.
   */
  takeToken(bucketKey: string, perMinute: number, now: Date): Promise<RateResult>;
}
