import type { Dirent } from "node:fs";
import { mkdir, open, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { isValidBucketName, isWellFormedUploadId } from "../names.js";
import { isErrno, removeTree } from "./atomic.js";
import { BLOB_ID, BUCKET_FILE, FAN_DIR_NAME, keyHash, OBJECT_FILE_NAME, UPLOAD_FILE } from "./layout.js";
import { mapLimit } from "./map-limit.js";
import { type ObjectRecord, parseBucket, parseObjectRecord, parseUpload } from "./records.js";
import type { FsBucket, FsState } from "./state.js";
import { readTrailer } from "./trailer.js";

const OPEN_FILES = 32;

/**
 * Rebuilds the in-memory state from dataDir and clears what crashes leave behind: everything in tmp/
 * (unfinished writes and half-removed trees), the directories of multipart uploads whose object
 * was committed before the crash, and blobs no object names (a complete refused or cut before its
 * commit, an object replaced or deleted before its blob was removed). Anything else unexpected is an
 * error, never silently dropped.
 */
export async function loadState(state: FsState): Promise<void> {
  const { layout } = state;
  await mkdir(layout.tmpDir, { recursive: true });
  await mkdir(layout.bucketsDir, { recursive: true });
  await state.durable.syncDir(layout.root);
  for (const name of await readdir(layout.tmpDir)) {
    await rm(join(layout.tmpDir, name), { recursive: true, force: true });
  }
  await state.durable.syncDir(layout.tmpDir);

  state.buckets.clear();
  for (const entry of await readdir(layout.bucketsDir, { withFileTypes: true })) {
    const path = join(layout.bucketsDir, entry.name);
    if (!entry.isDirectory() || !isValidBucketName(entry.name)) throw unexpected(path);
    const raw = JSON.parse(await readFile(join(path, BUCKET_FILE), "utf8"));
    const bucket = state.newBucket(parseBucket(raw, join(path, BUCKET_FILE)));
    if (bucket.info.name !== entry.name) throw new Error(`${path}/${BUCKET_FILE} names another bucket`);
    const completed = await loadObjects(state, bucket);
    await loadUploads(state, bucket, completed);
    await loadBlobs(state, bucket);
    state.buckets.set(entry.name, bucket);
  }
}

function unexpected(path: string): Error {
  return new Error(`unexpected entry in the store's data directory: ${path}`);
}

/** The subdirectories of `path`, which must all have names that `accept` accepts. */
async function directories(path: string, accept: (name: string) => boolean): Promise<Dirent[]> {
  const entries = await readdir(path, { withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isDirectory() || !accept(entry.name)) throw unexpected(join(path, entry.name));
  }
  return entries;
}

/** Indexes every object file; returns the upload ids that committed objects were completed from. */
async function loadObjects(state: FsState, bucket: FsBucket): Promise<Set<string>> {
  const objectsDir = state.layout.objectsDir(bucket.info.name);
  const files: string[] = [];
  for (const fan of await directories(objectsDir, (name) => FAN_DIR_NAME.test(name))) {
    const fanDir = join(objectsDir, fan.name);
    bucket.dirs.known(fanDir);
    for (const name of await readdir(fanDir)) {
      if (!OBJECT_FILE_NAME.test(name) || !name.startsWith(fan.name)) throw unexpected(join(fanDir, name));
      files.push(join(fanDir, name));
    }
  }
  const records = await mapLimit(files, OPEN_FILES, readObjectRecord);
  const completed = new Set<string>();
  for (const [i, { meta, completedUpload, blob }] of records.entries()) {
    if (keyHash(meta.key) !== files[i]!.slice(-64)) throw new Error(`${files[i]} holds another key's object`);
    bucket.objects.set(meta.key, meta);
    if (blob !== undefined) bucket.blobs.set(meta.key, blob.id);
    if (completedUpload !== undefined) completed.add(completedUpload);
  }
  return completed;
}

async function readObjectRecord(path: string): Promise<ObjectRecord> {
  const handle = await open(path, "r");
  try {
    const { record, dataSize } = await readTrailer(handle, path);
    return parseObjectRecord(record, dataSize, path);
  } finally {
    await handle.close();
  }
}

async function loadUploads(state: FsState, bucket: FsBucket, completed: Set<string>): Promise<void> {
  const { name } = bucket.info;
  const uploadsDir = state.layout.uploadsDir(name);
  for (const entry of await directories(uploadsDir, isWellFormedUploadId)) {
    const path = join(uploadsDir, entry.name);
    const upload = parseUpload(JSON.parse(await readFile(join(path, UPLOAD_FILE), "utf8")), path);
    if (upload.uploadId !== entry.name || upload.bucket !== name)
      throw new Error(`${path} names another upload`);
    if (completed.has(upload.uploadId)) {
      // Completed before a crash that came before the directory was removed.
      await removeTree(path, state.layout.tmpPath(), state.durable);
    } else {
      bucket.uploads.set(upload.uploadId, upload);
    }
  }
}

/** Removes the blobs no object names; a named blob that is missing stops init. */
async function loadBlobs(state: FsState, bucket: FsBucket): Promise<void> {
  const blobsDir = state.layout.blobsDir(bucket.info.name);
  const named = new Set(bucket.blobs.values());
  const found = await directories(blobsDir, (name) => BLOB_ID.test(name)).catch((error: unknown) => {
    if (isErrno(error, "ENOENT")) return [];
    throw error;
  });
  if (found.length > 0) bucket.dirs.known(blobsDir);
  for (const entry of found) {
    if (!named.delete(entry.name))
      await removeTree(join(blobsDir, entry.name), state.layout.tmpPath(), state.durable);
  }
  const [missing] = named;
  if (missing !== undefined)
    throw new Error(`the parts of a multipart object are missing: ${join(blobsDir, missing)}`);
}
