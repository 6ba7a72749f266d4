import {
  AbortMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type { KeyedStorageConfig } from "../../support/keyed-storage.js";

/** What a snapshot records of a bucket: its objects and its multipart uploads in progress. */
export interface BucketState {
  objects: Array<{ key: string; size: number; etag: string; contentType: string }>;
  multipart: Array<{ key: string; uploadId: string; parts: Array<[number, number, string]> }>;
}

/**
 * A bucket's state read through the S3 API with an independent client (the AWS SDK), for worlds
 * whose storage is not in this process (Ceph RGW). Buckets in the catalogue hold a few objects, so
 * one HEAD each (for the content type a listing does not give) is cheap.
 */
export function rgwBucketState(storage: KeyedStorageConfig): {
  read(): Promise<BucketState>;
  /** Empties and deletes the bucket: RGW's memstore OSD is small, and a full one hangs every write. */
  remove(): Promise<void>;
} {
  const s3 = new S3Client({
    endpoint: storage.endpoint,
    region: storage.region,
    credentials: { ...storage.credentials },
    forcePathStyle: true,
    maxAttempts: 3,
  });
  const Bucket = storage.bucket;

  async function objects(): Promise<BucketState["objects"]> {
    const out: BucketState["objects"] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken }));
      for (const o of page.Contents ?? []) {
        const head = await s3.send(new HeadObjectCommand({ Bucket, Key: o.Key! }));
        out.push({ key: o.Key!, size: o.Size ?? 0, etag: o.ETag ?? "", contentType: head.ContentType ?? "" });
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return out;
  }

  async function multipart(): Promise<BucketState["multipart"]> {
    const page = await s3.send(new ListMultipartUploadsCommand({ Bucket }));
    const out: BucketState["multipart"] = [];
    for (const u of page.Uploads ?? []) {
      const parts = await s3.send(new ListPartsCommand({ Bucket, Key: u.Key!, UploadId: u.UploadId! }));
      out.push({
        key: u.Key!,
        uploadId: u.UploadId!,
        parts: (parts.Parts ?? []).map((p) => [p.PartNumber!, p.Size ?? 0, p.ETag ?? ""]),
      });
    }
    return out.sort((a, b) => (a.uploadId < b.uploadId ? -1 : 1));
  }

  const read = async () => ({ objects: await objects(), multipart: await multipart() });
  return {
    read,
    async remove() {
      const { objects: stored, multipart: open } = await read();
      for (const o of stored) await s3.send(new DeleteObjectCommand({ Bucket, Key: o.key }));
      for (const u of open)
        await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: u.key, UploadId: u.uploadId }));
      await s3.send(new DeleteBucketCommand({ Bucket }));
      s3.destroy();
    },
  };
}
