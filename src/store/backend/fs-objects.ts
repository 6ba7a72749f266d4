import { open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { BackendError } from "./errors.js";
import { isErrno } from "./fs-atomic.js";
import { readTrailer } from "./fs-record.js";
import { type ObjectRecord, objectRecordJson, parseObjectRecord } from "./fs-records.js";
import type { FsState } from "./fs-state.js";
import { TempFile } from "./fs-temp.js";
import { assertValidKey } from "./names.js";
import { clampRange, conditionsHold, copyMeta } from "./object-meta.js";
import type {
  ByteRange,
  CommitRefusal,
  ListPage,
  ListQuery,
  ObjectMeta,
  StagedObject,
  WriteConditions,
} from "./types.js";

const READ_CHUNK = 512 * 1024;

/**
 * Makes a finished temp file the object: under the key's mutex, checks the conditions, renames the file
 * over the key's object file (the single commit point) and syncs the directory. The temp file is
 * deleted on any other outcome. `completing` names the multipart upload this finishes, which must
 * still exist at the commit point and is unregistered with it.
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
        if (completing !== undefined) bucket.uploads.delete(completing);
        await state.durable.syncDir(dirname(path));
        return copyMeta(record.meta);
      },
    );
    return outcome ? outcome.value : "no-such-bucket";
  } finally {
    if (!committed) await temp.discard();
  }
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

/** Reads the metadata and the bytes from one open file, so both always belong to the same version. */
export async function readObject(
  state: FsState,
  bucketName: string,
  key: string,
  range: ByteRange | undefined,
): Promise<{ meta: ObjectMeta; body: Readable } | undefined> {
  if (!state.buckets.has(bucketName)) return undefined;
  const path = state.layout.objectFile(bucketName, key);
  const handle = await open(path, "r").catch((error: unknown) => {
    if (isErrno(error, "ENOENT")) return undefined;
    throw error;
  });
  if (!handle) return undefined;
  try {
    const { record, dataSize } = await readTrailer(handle, path);
    const { meta } = parseObjectRecord(record, dataSize, path);
    if (meta.key !== key) throw new Error(`store file ${path} holds key ${JSON.stringify(meta.key)}`);
    const span = clampRange(meta.size, range);
    if (!span) {
      await handle.close();
      return { meta, body: Readable.from([], { objectMode: false }) };
    }
    const body = handle.createReadStream({ start: span.start, end: span.end, highWaterMark: READ_CHUNK });
    return { meta, body };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Unlinking the object file is the commit point: the bytes and the metadata go together. */
export async function deleteObject(state: FsState, bucketName: string, key: string): Promise<boolean> {
  const outcome = await state.withKey(bucketName, key, async (bucket) => {
    if (!bucket.objects.get(key)) return false;
    const path = state.layout.objectFile(bucketName, key);
    await unlink(path).catch((error: unknown) => {
      // Already gone (removed behind the store's back): the delete has nothing left to do.
      if (!isErrno(error, "ENOENT")) throw error;
    });
    bucket.objects.delete(key);
    await state.durable.syncDir(dirname(path));
    return true;
  });
  return outcome?.value ?? false;
}

export function listObjects(state: FsState, bucketName: string, query: ListQuery): ListPage {
  const { values, truncated } = state.bucketOrThrow(bucketName).objects.list(query);
  return { objects: values.map(copyMeta), truncated };
}
