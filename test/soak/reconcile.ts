import {
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import type { Gateway } from "../../src/server/gateway.js";
import type { SweepReport } from "../../src/server/sweep/types.js";
import type { LedgerView } from "./ledger-view.js";
import type { SoakStorage } from "./options.js";
import type { SoakQuota } from "./route.js";
import type { Tally } from "./tally.js";

export interface Reconciliation {
  sweep: {
    runs: number;
    /** Abandoned uploads with every byte stored, completed by the sweep. */
    verified: number;
    expired: number;
    abortedMultipart: number;
    deletedObjects: number;
    failed: number;
  };
  ledgerVerified: number;
  bucketObjects: number;
  /** Verified in the ledger, absent from the bucket. */
  missingInBucket: string[];
  /** In the bucket, not verified in the ledger (orphans). */
  extraInBucket: string[];
  sizeMismatches: Array<{ key: string; ledger: number; bucket: number }>;
  multipartUploadsLeft: number;
  /** Rows still pending or uploaded after the sweep. */
  liveRowsLeft: number;
  /** Verified rows the users did not upload (or with another sha256 or size), and uploads they hold that are not verified. */
  unexplained: string[];
  /** Users whose stored bytes or files exceed the quota. */
  usersOverQuota: Array<{ userId: string; bytes: number; files: number }>;
}

export function s3For(storage: SoakStorage): S3Client {
  return new S3Client({
    endpoint: storage.endpoint,
    region: storage.region,
    forcePathStyle: storage.forcePathStyle ?? true,
    credentials: { accessKeyId: storage.accessKeyId, secretAccessKey: storage.secretAccessKey },
  });
}

/**
 * The final sweep (its clock an hour ahead, so every reservation has expired and every orphan is
 * past the grace period), then the ledger against the bucket, key by key.
 */
export async function reconcile(
  sweeper: Gateway,
  s3: S3Client,
  bucket: string,
  prefix: string,
  view: LedgerView,
  route: string,
  quota: SoakQuota,
  tally: Tally,
): Promise<Reconciliation> {
  const sweep = { runs: 0, verified: 0, expired: 0, abortedMultipart: 0, deletedObjects: 0, failed: 0 };
  const sweptVerified = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const report: SweepReport = await sweeper.sweep({
      now: new Date(Date.now() + 3_600_000),
      ...(cursor === undefined ? {} : { cursor }),
    });
    sweep.runs++;
    sweep.verified += report.counts.verified;
    for (const done of report.verified) sweptVerified.add(done.id);
    sweep.expired += report.counts.expired;
    sweep.abortedMultipart += report.counts.abortedMultipart;
    sweep.deletedObjects += report.counts.deletedObjects;
    sweep.failed += report.counts.failed;
    if (report.complete || !report.next || sweep.runs >= 50) break;
    cursor = report.next;
  }
  const objects = await listObjects(s3, bucket, prefix);
  const multipartUploadsLeft = await countMultipart(s3, bucket, prefix);
  const rows = await view.rows(route);
  const verified = rows.filter((row) => row.status === "verified");
  const ledger = new Map(verified.map((row) => [row.key, row.size]));
  const missingInBucket = [...ledger.keys()].filter((key) => !objects.has(key));
  const extraInBucket = [...objects.keys()].filter((key) => !ledger.has(key));
  const sizeMismatches = [...ledger]
    .filter(([key, size]) => objects.has(key) && objects.get(key) !== size)
    .map(([key, size]) => ({ key, ledger: size, bucket: objects.get(key)! }));
  const unexplained: string[] = [];
  const verifiedIds = new Set(verified.map((row) => row.id));
  for (const row of verified) {
    // An upload its user abandoned with every byte stored: the sweep completed it, as it should.
    const expected =
      tally.expected.get(row.id) ?? (sweptVerified.has(row.id) ? tally.abandoned.get(row.id) : undefined);
    if (!expected)
      unexplained.push(`${row.id}: verified in the ledger, but its user deleted or never received it`);
    else if (expected.size !== row.size || expected.sha256 !== row.sha256 || expected.userId !== row.userId)
      unexplained.push(
        `${row.id}: the ledger says ${row.userId} ${row.size} B ${row.sha256}, the user uploaded ${expected.size} B ${expected.sha256}`,
      );
  }
  for (const id of tally.expected.keys()) {
    if (!verifiedIds.has(id)) unexplained.push(`${id}: held by its user, but not verified in the ledger`);
  }
  const perUser = new Map<string, { bytes: number; files: number }>();
  for (const row of verified) {
    const bytes = objects.get(row.key) ?? row.size;
    const entry = perUser.get(row.userId) ?? { bytes: 0, files: 0 };
    entry.bytes += bytes;
    entry.files++;
    perUser.set(row.userId, entry);
  }
  const usersOverQuota = [...perUser]
    .filter(([, use]) => use.bytes > quota.bytes || use.files > quota.files)
    .map(([userId, use]) => ({ userId, ...use }));
  return {
    sweep,
    ledgerVerified: verified.length,
    bucketObjects: objects.size,
    missingInBucket,
    extraInBucket,
    sizeMismatches,
    multipartUploadsLeft,
    liveRowsLeft: rows.filter((row) => row.status === "pending" || row.status === "uploaded").length,
    unexplained,
    usersOverQuota,
  };
}

async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) out.set(object.Key!, object.Size ?? -1);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

async function countMultipart(s3: S3Client, bucket: string, prefix: string): Promise<number> {
  let count = 0;
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListMultipartUploadsCommand({
        Bucket: bucket,
        Prefix: prefix,
        KeyMarker: keyMarker,
        UploadIdMarker: uploadIdMarker,
      }),
    );
    count += page.Uploads?.length ?? 0;
    if (!page.IsTruncated) return count;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}

/** Removes what the run left under its prefix (for a bucket that outlives the run, such as RGW's). */
export async function emptyPrefix(s3: S3Client, bucket: string, prefix: string): Promise<void> {
  const keys = [...(await listObjects(s3, bucket, prefix)).keys()];
  for (let i = 0; i < keys.length; i += 16) {
    await Promise.all(
      keys.slice(i, i + 16).map((Key) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }))),
    );
  }
}
