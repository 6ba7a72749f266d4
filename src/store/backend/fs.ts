import { Durable } from "./fs-atomic.js";
import { createBucket, deleteBucket, getBucket, listBuckets, setBucketCors } from "./fs-buckets.js";
import { FsLayout } from "./fs-layout.js";
import { loadState } from "./fs-load.js";
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  getMultipartUpload,
  listMultipartUploads,
  listParts,
  stagePart,
} from "./fs-multipart.js";
import { deleteObject, headObject, listObjects, readObject, stageObject } from "./fs-objects.js";
import { FsState } from "./fs-state.js";
import type { Durability, StorageBackend } from "./types.js";

export interface FsBackendOptions {
  dataDir: string;
  /** "fsync" (default) survives power loss; "none" only survives the process dying. */
  durability?: Durability;
}

/**
 * The filesystem backend: one file per object (bytes followed by their metadata record), committed by a
 * single rename; an in-memory sorted index per bucket, rebuilt by init(). Layout in fs-layout.ts.
 * One process per dataDir.
 */
export function createFsBackend({ dataDir, durability = "fsync" }: FsBackendOptions): StorageBackend {
  const state = new FsState(new FsLayout(dataDir), new Durable(durability));
  return {
    init: () => loadState(state),
    async close() {
      state.buckets.clear();
    },

    listBuckets: async () => listBuckets(state),
    getBucket: async (name) => getBucket(state, name),
    createBucket: async (name) => createBucket(state, name),
    deleteBucket: (name) => deleteBucket(state, name),
    setBucketCors: (name, rules) => setBucketCors(state, name, rules),

    stageObject: (bucket, key) => stageObject(state, bucket, key),
    headObject: async (bucket, key) => headObject(state, bucket, key),
    readObject: (bucket, key, range) => readObject(state, bucket, key, range),
    deleteObject: (bucket, key) => deleteObject(state, bucket, key),
    listObjects: async (bucket, query) => listObjects(state, bucket, query),

    createMultipartUpload: (bucket, key, attributes) => createMultipartUpload(state, bucket, key, attributes),
    getMultipartUpload: async (bucket, key, uploadId) => getMultipartUpload(state, bucket, key, uploadId),
    stagePart: (upload, partNumber) => stagePart(state, upload, partNumber),
    listParts: (upload) => listParts(state, upload),
    listMultipartUploads: async (bucket) => listMultipartUploads(state, bucket),
    completeMultipartUpload: (upload, parts, etag, conditions, checksums, partChecksums) =>
      completeMultipartUpload(state, upload, parts, etag, conditions, checksums, partChecksums),
    abortMultipartUpload: (upload) => abortMultipartUpload(state, upload),
  };
}
