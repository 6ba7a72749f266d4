import { open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { BackendError } from "../errors.js";
import { assertValidKey } from "../names.js";
import { clampRange, conditionsHold, copyMeta } from "../object-meta.js";
import type {
  ByteRange,
  CommitRefusal,
  ListObjectsQuery,
  ListPage,
  ObjectMeta,
  StagedObject,
  WriteConditions,
} from "../types.js";
import { isErrno } from "./atomic.js";
import { openBlob, READ_CHUNK } from "./blobs.js";
import { type ObjectRecord, objectRecordJson, parseObjectRecord } from "./records.js";
import type { FsState } from "./state.js";
import { TempFile } from "./temp.js";
import { readTrailer } from "./trailer.js";

/**
 * Makes a finished temp file the object: under the key's mutex, checks the conditions, renames the file
 * over the key's object file (the single commit point) and syncs the directory. The temp file is
 * deleted on any other outcome, with the blob the record names. `completing` names the multipart
 * upload this finishes, which must still exist at the commit point and is unregistered with it. The
 * blob of the multipart object it replaces, if any, is released once the commit is durable.
 */
export async function commitObjectFile(
  state: FsState,
  bucketName: string,
  temp: TempFile,
  record: ObjectRecord,
  conditions: WriteConditions | undefined,
  completing?: string,
): Promise<ObjectMeta | CommitRefusal> {
  const { key } = record.meta;
  let committed = false;
  let replacedBlob: string | undefined;
  try {
    const outcome = await state.withKey(
      bucketName,
      key,
      async (bucket): Promise<ObjectMeta | CommitRefusal> => {
        if (completing !== undefined && !bucket.uploads.has(completing)) {
          throw new BackendError("NoSuchUpload", `upload ${completing} does not exist`);
        }
        if (!conditionsHold(bucket.objects.get(key), conditions)) return "precondition-failed";
        const path = state.layout.objectFile(bucketName, key);
        await bucket.dirs.ensure(dirname(path));
        await rename(temp.path, path);
        committed = true;
        bucket.objects.set(key, record.meta);
        replacedBlob = bucket.blobs.get(key);
        if (record.blob) bucket.blobs.set(key, record.blob.id);
        else bucket.blobs.delete(key);
        if (completing !== undefined) bucket.uploads.delete(completing);
        await state.durable.syncDir(dirname(path));
        return copyMeta(record.meta);
      },
    );
    if (replacedBlob !== undefined) await releaseBlob(state, bucketName, replacedBlob);
    return outcome ? outcome.value : "no-such-bucket";
  } finally {
    if (!committed) {
      await temp.discard();
      if (record.blob) await releaseBlob(state, bucketName, record.blob.id);
    }
  }
}

/** Removes a blob no object names any more (or never named), once no read holds it. */
export function releaseBlob(state: FsState, bucketName: string, blobId: string): Promise<void> {
  return state.pins.release(blobId, state.layout.blobDir(bucketName, blobId));
}

export async function stageObject(
  state: FsState,
  bucketName: string,
  key: string,
): Promise<StagedObject | undefined> {
  assertValidKey(key);
  if (!state.buckets.has(bucketName)) return undefined;
  const temp = await TempFile.create(state.layout.tmpPath(), state.durable);
  let settled = false;
  return {
    get size() {
      return temp.size;
    },
    write: (chunk) => temp.write(chunk),
    async commit(attributes, conditions) {
      if (settled) throw new Error("commit of an object already committed or aborted");
      settled = true;
      const meta = copyMeta({ ...attributes, key, size: temp.size, lastModified: new Date() });
      try {
        await temp.finish(objectRecordJson({ meta }), state.durable);
      } catch (error) {
        await temp.discard();
        throw error;
      }
      return commitObjectFile(state, bucketName, temp, { meta }, conditions);
    },
    async abort() {
      settled = true;
      await temp.discard();
    },
  };
}

export function headObject(state: FsState, bucketName: string, key: string): ObjectMeta | undefined {
  const meta = state.buckets.get(bucketName)?.objects.get(key);
  return meta ? copyMeta(meta) : undefined;
}

/** An object replaced this many times while one read opens it is being rewritten without pause. */
const MAX_OPEN_ATTEMPTS = 16;

/**
 * Reads the metadata and the bytes of one version: from one open file, or from the blob the open
 * file names, pinned before the file's key can move on.
 */
export async function readObject(
  state: FsState,
  bucketName: string,
  key: string,
  range: ByteRange | undefined,
): Promise<{ meta: ObjectMeta; body: Readable } | undefined> {
  for (let attempt = 1; ; attempt++) {
    const read = await openObject(state, bucketName, key, range);
    if (read !== "replaced") return read;
    if (attempt === MAX_OPEN_ATTEMPTS) throw new Error(`object ${key} was replaced during every read`);
  }
}

async function openObject(
  state: FsState,
  bucketName: string,
  key: string,
  range: ByteRange | undefined,
): Promise<{ meta: ObjectMeta; body: Readable } | "replaced" | undefined> {
  if (!state.buckets.has(bucketName)) return undefined;
  const path = state.layout.objectFile(bucketName, key);
  const handle = await open(path, "r").catch((error: unknown) => {
    if (isErrno(error, "ENOENT")) return undefined;
    throw error;
  });
  if (!handle) return undefined;
  let record: ObjectRecord;
  let span: ByteRange | undefined;
  try {
    const trailer = await readTrailer(handle, path);
    record = parseObjectRecord(trailer.record, trailer.dataSize, path);
    if (record.meta.key !== key)
      throw new Error(`store file ${path} holds key ${JSON.stringify(record.meta.key)}`);
    span = clampRange(record.meta.size, range);
  } catch (error) {
    await handle.close();
    throw error;
  }
  const { meta, blob } = record;
  if (span && !blob) {
    return {
      meta,
      body: handle.createReadStream({ start: span.start, end: span.end, highWaterMark: READ_CHUNK }),
    };
  }
  await handle.close();
  if (!span) return { meta, body: Readable.from([], { objectMode: false }) };
  const body = await openBlob(state.pins, state.layout.blobDir(bucketName, blob!.id), blob!, span);
  return body === "replaced" ? body : { meta, body };
}

/** Unlinking the object file is the commit point: the bytes and the metadata go together. */
export async function deleteObject(state: FsState, bucketName: string, key: string): Promise<boolean> {
  const outcome = await state.withKey(bucketName, key, async (bucket) => {
    if (!bucket.objects.get(key)) return { deleted: false };
    const path = state.layout.objectFile(bucketName, key);
    await unlink(path).catch((error: unknown) => {
      // Already gone (removed behind the store's back): the delete has nothing left to do.
      if (!isErrno(error, "ENOENT")) throw error;
    });
    bucket.objects.delete(key);
    const blob = bucket.blobs.get(key);
    bucket.blobs.delete(key);
    await state.durable.syncDir(dirname(path));
    return { deleted: true, blob };
  });
  const blob = outcome?.value.blob;
  if (blob !== undefined) await releaseBlob(state, bucketName, blob);
  return outcome?.value.deleted ?? false;
}

export function listObjects(state: FsState, bucketName: string, query: ListObjectsQuery): ListPage {
  const { values, truncated } = state.bucketOrThrow(bucketName).objects.list(query);
  return { objects: values.map(copyMeta), truncated };
}
