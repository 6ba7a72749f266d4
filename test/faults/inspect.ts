/** Reads back what the ledger and the bucket hold, for the checks after each restart. */
import { createHash } from "node:crypto";
import {
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { Ledger, UploadRow } from "../../src/server/ledger/types.js";

/** Every row of every user, newest first. */
export async function readRows(ledger: Ledger, users: readonly string[]): Promise<Map<string, UploadRow>> {
  const rows = new Map<string, UploadRow>();
  for (const userId of users) {
    let cursor: string | undefined;
    do {
      const page = await ledger.list({ userId, limit: 100, ...(cursor && { cursor }) });
      for (const row of page.rows) rows.set(row.id, row);
      cursor = page.nextCursor;
    } while (cursor);
  }
  return rows;
}

/** Every object in the bucket, read in full: key -> hex SHA-256 of its bytes. */
export async function readBucket(s3: S3Client, bucket: string): Promise<Map<string, string>> {
  const objects = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const listed of page.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: listed.Key! }));
      const body = await got.Body!.transformToByteArray();
      if (body.length !== listed.Size)
        throw new Error(`${listed.Key}: listed ${listed.Size} bytes, read ${body.length}`);
      objects.set(listed.Key!, createHash("sha256").update(body).digest("hex"));
    }
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}

/** Multipart uploads still open in the bucket: "key uploadId". */
export async function openMultipartUploads(s3: S3Client, bucket: string): Promise<string[]> {
  const page = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return (page.Uploads ?? []).map((u) => `${u.Key} ${u.UploadId}`);
}
