import { compareKeys } from "../../../core/s3/key-order.js";
import { BackendError } from "../errors.js";
import { isValidBucketName } from "../names.js";
import type { BucketInfo, CorsRule } from "../types.js";
import { createDirWith, removeTree, replaceFile } from "./atomic.js";
import { BUCKET_FILE, OBJECTS_DIR, UPLOADS_DIR } from "./layout.js";
import { encodeBucket } from "./records.js";
import type { FsState } from "./state.js";

const copyInfo = (info: BucketInfo): BucketInfo => structuredClone(info);

export function listBuckets(state: FsState): BucketInfo[] {
  return [...state.buckets.values()]
    .map((bucket) => copyInfo(bucket.info))
    .sort((a, b) => compareKeys(a.name, b.name));
}

export function getBucket(state: FsState, name: string): BucketInfo | undefined {
  const bucket = state.buckets.get(name);
  return bucket ? copyInfo(bucket.info) : undefined;
}

/** The bucket's directory is built in tmp/ and renamed into place, so it appears complete or not at all. */
export function createBucket(state: FsState, name: string): Promise<"created" | "exists"> {
  if (!isValidBucketName(name)) throw new BackendError("InvalidBucketName", `invalid bucket name ${name}`);
  return state.bucketNames.run(name, async () => {
    if (state.buckets.has(name)) return "exists";
    const info: BucketInfo = { name, createdAt: new Date() };
    const contents = { files: { [BUCKET_FILE]: encodeBucket(info) }, dirs: [OBJECTS_DIR, UPLOADS_DIR] };
    const path = state.layout.bucketDir(name);
    if (!(await createDirWith(path, contents, state.layout.tmpPath(), state.durable))) {
      throw new Error(`bucket directory ${path} exists but the bucket is not loaded`);
    }
    state.buckets.set(name, state.newBucket(info));
    return "created";
  });
}

/**
 * Refuses while objects remain. Unfinished multipart uploads do not keep a bucket alive: as in S3,
 * they are deleted with it.
 */
export function deleteBucket(state: FsState, name: string): Promise<"deleted" | "not-empty" | "missing"> {
  return state.bucketNames.run(name, async () => {
    const bucket = state.buckets.get(name);
    if (!bucket) return "missing";
    return bucket.lock.exclusive(async () => {
      if (bucket.objects.size > 0) return "not-empty";
      await removeTree(state.layout.bucketDir(name), state.layout.tmpPath(), state.durable);
      state.buckets.delete(name);
      return "deleted";
    });
  });
}

export async function setBucketCors(
  state: FsState,
  name: string,
  rules: CorsRule[] | undefined,
): Promise<boolean> {
  const bucket = state.buckets.get(name);
  if (!bucket) return false;
  return bucket.lock.exclusive(async () => {
    if (state.buckets.get(name) !== bucket) return false;
    const info: BucketInfo = { name, createdAt: bucket.info.createdAt };
    if (rules !== undefined) info.cors = structuredClone(rules);
    await replaceFile(
      state.layout.bucketFile(name),
      encodeBucket(info),
      state.layout.tmpPath(),
      state.durable,
    );
    bucket.info = info;
    return true;
  });
}
