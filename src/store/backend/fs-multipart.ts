import { type FileHandle, open, readdir, rename } from "node:fs/promises";
import { join } from "node:path";
import { compareKeys } from "../../core/s3/key-order.js";
import { BackendError } from "./errors.js";
import { createDirWith, isErrno, removeTree } from "./fs-atomic.js";
import { PART_FILE_NAME, UPLOAD_FILE } from "./fs-layout.js";
import { commitObjectFile } from "./fs-objects.js";
import { readTrailer } from "./fs-record.js";
import { encodeUpload, objectRecordJson, parsePartRecord, partRecordJson } from "./fs-records.js";
import type { FsBucket, FsState } from "./fs-state.js";
import { TempFile } from "./fs-temp.js";
import { mapLimit } from "./map-limit.js";
import { assertValidKey, assertValidPartNumber, isWellFormedUploadId, newUploadId } from "./names.js";
import { copyMeta } from "./object-meta.js";
import type {
  CommitRefusal,
  CompletePart,
  MultipartUpload,
  ObjectAttributes,
  ObjectMeta,
  PartInfo,
  StagedPart,
  WriteConditions,
} from "./types.js";

const COPY_CHUNK = 1024 * 1024;

const noSuchUpload = (upload: MultipartUpload) =>
  new BackendError("NoSuchUpload", `upload ${upload.uploadId} does not exist`);

function isRegistered(state: FsState, upload: MultipartUpload): boolean {
  const registered = state.buckets.get(upload.bucket)?.uploads.get(upload.uploadId);
  return registered !== undefined && registered.key === upload.key;
}

function assertRegistered(state: FsState, upload: MultipartUpload): void {
  if (!isRegistered(state, upload)) throw noSuchUpload(upload);
}

/** Turns ENOENT from inside an upload's directory into NoSuchUpload once the upload is gone (aborted). */
function uploadGoneOr(state: FsState, upload: MultipartUpload, error: unknown): unknown {
  return isErrno(error, "ENOENT") && !isRegistered(state, upload) ? noSuchUpload(upload) : error;
}

export async function createMultipartUpload(
  state: FsState,
  bucketName: string,
  key: string,
  attributes: ObjectAttributes,
): Promise<MultipartUpload> {
  assertValidKey(key);
  const outcome = await state.withBucket(bucketName, async (bucket) => {
    const upload: MultipartUpload = {
      uploadId: newUploadId(),
      bucket: bucketName,
      key,
      initiated: new Date(),
      attributes: structuredClone(attributes),
    };
    const files = { [UPLOAD_FILE]: encodeUpload(upload) };
    const path = state.layout.uploadDir(bucketName, upload.uploadId);
    if (!(await createDirWith(path, { files, dirs: [] }, state.layout.tmpPath(), state.durable))) {
      throw new Error(`upload directory ${path} already exists`);
    }
    bucket.uploads.set(upload.uploadId, upload);
    return structuredClone(upload);
  });
  if (!outcome) throw new BackendError("NoSuchBucket", `bucket ${bucketName} does not exist`);
  return outcome.value;
}

export function getMultipartUpload(
  state: FsState,
  bucketName: string,
  key: string,
  uploadId: string,
): MultipartUpload | undefined {
  if (!isWellFormedUploadId(uploadId)) return undefined;
  const upload = state.buckets.get(bucketName)?.uploads.get(uploadId);
  return upload?.key === key ? structuredClone(upload) : undefined;
}

export function listMultipartUploads(state: FsState, bucketName: string): MultipartUpload[] {
  const uploads = [...state.bucketOrThrow(bucketName).uploads.values()].map((upload) =>
    structuredClone(upload),
  );
  return uploads.sort((a, b) => compareKeys(a.key, b.key) || a.initiated.getTime() - b.initiated.getTime());
}

export async function stagePart(
  state: FsState,
  upload: MultipartUpload,
  partNumber: number,
): Promise<StagedPart> {
  assertValidPartNumber(partNumber);
  assertRegistered(state, upload);
  const temp = await TempFile.create(state.layout.tmpPath(), state.durable);
  let settled = false;
  return {
    get size() {
      return temp.size;
    },
    write: (chunk) => temp.write(chunk),
    async commit({ etag, checksums }) {
      if (settled) throw new Error("commit of a part already committed or aborted");
      settled = true;
      const part: PartInfo = {
        partNumber,
        size: temp.size,
        etag,
        lastModified: new Date(),
        checksums: { ...checksums },
      };
      let committed = false;
      try {
        await temp.finish(partRecordJson(part), state.durable);
        const outcome = await state.withBucket(upload.bucket, async () => {
          assertRegistered(state, upload);
          const path = state.layout.partFile(upload.bucket, upload.uploadId, partNumber);
          await rename(temp.path, path).catch((error: unknown) => {
            throw uploadGoneOr(state, upload, error);
          });
          committed = true;
          await state.durable.syncDir(state.layout.uploadDir(upload.bucket, upload.uploadId));
        });
        if (!outcome) throw noSuchUpload(upload);
        return part;
      } finally {
        if (!committed) await temp.discard();
      }
    },
    async abort() {
      settled = true;
      await temp.discard();
    },
  };
}

async function readPart(state: FsState, upload: MultipartUpload, path: string): Promise<PartInfo> {
  const handle = await open(path, "r").catch((error: unknown) => {
    throw uploadGoneOr(state, upload, error);
  });
  try {
    const { record, dataSize } = await readTrailer(handle, path);
    return parsePartRecord(record, dataSize, path);
  } finally {
    await handle.close();
  }
}

export async function listParts(state: FsState, upload: MultipartUpload): Promise<PartInfo[]> {
  assertRegistered(state, upload);
  const dir = state.layout.uploadDir(upload.bucket, upload.uploadId);
  const names = await readdir(dir).catch((error: unknown) => {
    throw uploadGoneOr(state, upload, error);
  });
  const partNames = names.filter((name) => PART_FILE_NAME.test(name));
  const parts = await mapLimit(partNames, 16, (name) => readPart(state, upload, join(dir, name)));
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}

/** Appends one part's bytes to `temp`, after checking the part is still the one the plan names. */
async function appendPart(state: FsState, upload: MultipartUpload, planned: CompletePart, temp: TempFile) {
  const path = state.layout.partFile(upload.bucket, upload.uploadId, planned.partNumber);
  const handle = await open(path, "r").catch((error: unknown) => {
    const gone = uploadGoneOr(state, upload, error);
    throw gone === error && isErrno(error, "ENOENT") ? invalidPart(planned) : gone;
  });
  try {
    const { record, dataSize } = await readTrailer(handle, path);
    const part = parsePartRecord(record, dataSize, path);
    if (part.etag !== planned.etag) throw invalidPart(planned);
    await copyBytes(handle, dataSize, temp);
  } finally {
    await handle.close();
  }
}

const invalidPart = (planned: CompletePart) =>
  new BackendError("InvalidPart", `part ${planned.partNumber} was not uploaded with ETag ${planned.etag}`);

async function copyBytes(handle: FileHandle, length: number, temp: TempFile): Promise<void> {
  const buffer = Buffer.allocUnsafe(Math.min(COPY_CHUNK, Math.max(length, 1)));
  for (let position = 0; position < length; ) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, length - position), position);
    if (bytesRead === 0) throw new Error("part file ended early");
    await temp.write(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
}

/**
 * Streams the planned parts into a new object file and commits it with one rename, which also
 * unregisters the upload; the upload's directory is removed afterwards. A crash before the rename
 * leaves the upload as it was; after it, init() finds the object naming the upload and removes the rest.
 */
export async function completeMultipartUpload(
  state: FsState,
  upload: MultipartUpload,
  plan: CompletePart[],
  etag: string,
  conditions: WriteConditions | undefined,
  checksums: Record<string, string> = {},
): Promise<ObjectMeta | CommitRefusal> {
  assertRegistered(state, upload);
  const registered = state.buckets.get(upload.bucket)!.uploads.get(upload.uploadId)!;
  const temp = await TempFile.create(state.layout.tmpPath(), state.durable);
  let meta: ObjectMeta;
  try {
    for (const planned of plan) await appendPart(state, upload, planned, temp);
    meta = copyMeta({
      ...registered.attributes,
      checksums: { ...registered.attributes.checksums, ...checksums },
      etag,
      partsCount: plan.length,
      key: upload.key,
      size: temp.size,
      lastModified: new Date(),
    });
    await temp.finish(objectRecordJson({ meta, completedUpload: upload.uploadId }), state.durable);
  } catch (error) {
    await temp.discard();
    throw error;
  }
  const record = { meta, completedUpload: upload.uploadId };
  const result = await commitObjectFile(state, upload.bucket, temp, record, conditions, upload.uploadId);
  if (typeof result !== "string") await removeUploadDir(state, upload);
  return result;
}

export async function abortMultipartUpload(state: FsState, upload: MultipartUpload): Promise<void> {
  await state.withKey(upload.bucket, upload.key, async (bucket: FsBucket) => {
    if (!isRegistered(state, upload)) return;
    await removeUploadDir(state, upload);
    bucket.uploads.delete(upload.uploadId);
  });
}

async function removeUploadDir(state: FsState, upload: MultipartUpload): Promise<void> {
  const path = state.layout.uploadDir(upload.bucket, upload.uploadId);
  await removeTree(path, state.layout.tmpPath(), state.durable);
}
