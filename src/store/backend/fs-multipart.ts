import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { compareKeys } from "../../core/s3/key-order.js";
import { BackendError } from "./errors.js";
import { createDirWith, isErrno, removeTree } from "./fs-atomic.js";
import { linkOrCopy } from "./fs-blobs.js";
import { PART_FILE_NAME, partFileName, UPLOAD_FILE } from "./fs-layout.js";
import { commitObjectFile, releaseBlob } from "./fs-objects.js";
import { readTrailer } from "./fs-record.js";
import {
  type BlobRef,
  encodeUpload,
  type ObjectRecord,
  objectRecordJson,
  parsePartRecord,
  partRecordJson,
} from "./fs-records.js";
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

/** Parts linked and checked at once while completing. */
const LINKS_IN_FLIGHT = 16;

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
          await state.durable
            .syncDir(state.layout.uploadDir(upload.bucket, upload.uploadId))
            .catch((error: unknown) => {
              throw uploadGoneOr(state, upload, error);
            });
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

const invalidPart = (planned: CompletePart) =>
  new BackendError("InvalidPart", `part ${planned.partNumber} was not uploaded with ETag ${planned.etag}`);

/**
 * Links the planned parts, in order, into a new blob directory and returns its reference. Each part is
 * checked against the plan from the linked file, which no later upload of that part number can change.
 */
async function linkBlob(
  state: FsState,
  bucket: FsBucket,
  upload: MultipartUpload,
  plan: CompletePart[],
): Promise<BlobRef> {
  const staging = state.layout.tmpPath();
  await mkdir(staging);
  try {
    const partSizes = await mapLimit([...plan.entries()], LINKS_IN_FLIGHT, async ([index, planned]) => {
      const source = state.layout.partFile(upload.bucket, upload.uploadId, planned.partNumber);
      const target = join(staging, partFileName(index));
      await linkOrCopy(source, target, state.durable).catch((error: unknown) => {
        const gone = uploadGoneOr(state, upload, error);
        throw gone === error && isErrno(error, "ENOENT") ? invalidPart(planned) : gone;
      });
      const part = await readPart(state, upload, target);
      if (part.etag !== planned.etag) throw invalidPart(planned);
      return part.size;
    });
    await state.durable.syncDir(staging);
    const id = randomBytes(16).toString("hex");
    await bucket.dirs.ensure(state.layout.blobsDir(upload.bucket));
    await rename(staging, state.layout.blobDir(upload.bucket, id));
    await state.durable.syncDir(state.layout.blobsDir(upload.bucket));
    return { id, partSizes };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Links the planned parts into a blob, then commits an object file naming it with one rename, which
 * also unregisters the upload; the upload's directory is removed afterwards. No byte is copied. A
 * crash before the rename leaves the upload as it was (and an unreferenced blob that init removes);
 * after it, init finds the object naming the upload and removes the rest.
 */
export async function completeMultipartUpload(
  state: FsState,
  upload: MultipartUpload,
  plan: CompletePart[],
  etag: string,
  conditions: WriteConditions | undefined,
  checksums: Record<string, string> = {},
  partChecksums?: Record<string, string>[],
): Promise<ObjectMeta | CommitRefusal> {
  assertRegistered(state, upload);
  const registered = state.buckets.get(upload.bucket)!.uploads.get(upload.uploadId)!;
  const linked = await state.withBucket(upload.bucket, (bucket) => linkBlob(state, bucket, upload, plan));
  if (!linked) throw noSuchUpload(upload);
  const blob = linked.value;
  const meta = copyMeta({
    ...registered.attributes,
    checksums: { ...registered.attributes.checksums, ...checksums },
    etag,
    partsCount: plan.length,
    key: upload.key,
    size: blob.partSizes.reduce((sum, size) => sum + size, 0),
    lastModified: new Date(),
    partSizes: blob.partSizes,
    completedUpload: upload.uploadId,
    ...(partChecksums ? { partChecksums } : {}),
  });
  const record: ObjectRecord = { meta, completedUpload: upload.uploadId, blob };
  let temp: TempFile | undefined;
  try {
    temp = await TempFile.create(state.layout.tmpPath(), state.durable);
    await temp.finish(objectRecordJson(record), state.durable);
  } catch (error) {
    await temp?.discard();
    await releaseBlob(state, upload.bucket, blob.id);
    throw error;
  }
  const result = await commitObjectFile(state, upload.bucket, temp, record, conditions, upload.uploadId);
  if (typeof result !== "string") await removeUploadDir(state, upload);
  return result;
}

export async function abortMultipartUpload(state: FsState, upload: MultipartUpload): Promise<void> {
  await state.withKey(upload.bucket, upload.key, async (bucket: FsBucket) => {
    const registered = bucket.uploads.get(upload.uploadId);
    if (!isRegistered(state, upload)) return;
    // Unregistered first: a part or a complete that meets the directory half gone is NoSuchUpload.
    bucket.uploads.delete(upload.uploadId);
    try {
      await removeUploadDir(state, upload);
    } catch (error) {
      bucket.uploads.set(upload.uploadId, registered!);
      throw error;
    }
  });
}

async function removeUploadDir(state: FsState, upload: MultipartUpload): Promise<void> {
  const path = state.layout.uploadDir(upload.bucket, upload.uploadId);
  await removeTree(path, state.layout.tmpPath(), state.durable);
}
