import { type StorageClient, StorageError } from "../../s3/types.js";
import { checksumExpectation, checksumMismatch } from "./checksum-mismatch.js";
import { stripTypeParameters } from "./content-type.js";
import type {
  VerifyExpectation,
  VerifyFailureCode,
  VerifyObjectOptions,
  VerifyObjectResult,
} from "./expectation.js";
import { SNIFF_BYTES, sniffObject } from "./sniff.js";
import { unplannedHeader } from "./stored-headers.js";
import { metadataMismatch } from "./stored-metadata.js";
import { checkUploadChecksum } from "./upload-checksum.js";

export type {
  VerifyExpectation,
  VerifyFailureCode,
  VerifyObjectOptions,
  VerifyObjectResult,
} from "./expectation.js";

function fail(
  code: VerifyFailureCode,
  message: string,
  details: Record<string, unknown>,
): VerifyObjectResult {
  return { ok: false, code, message, details };
}

/** Storage's 412 to a read with If-Match: the object was replaced after the HEAD. */
const changed = (key: string) =>
  fail("UPLOAD_CHANGED", "the object changed while it was being verified", { key });

const notUploaded = (key: string) =>
  fail("UPLOAD_NOT_UPLOADED", "the object is not in storage: the upload did not happen or was refused", {
    key,
  });

/**
 * Checks an uploaded object against what was declared and signed, cheapest checks first: HEAD for
 * size, type, metadata and the stored system headers (none may be set: see stored-headers.ts); the
 * checksum (storage's, else hashed here); then a ranged GET to sniff the real type. Every read
 * requires the HEAD's ETag (If-Match) and takes the bytes undecoded, so what is judged is exactly
 * the object the HEAD saw, as stored; a 412 there is the UPLOAD_CHANGED verdict. The verdict is a
 * value; storage and network failures are thrown instead, so a caller can retry rather than reject
 * a good upload.
 */
export async function verifyObject(
  storage: StorageClient,
  want: VerifyExpectation,
  options: VerifyObjectOptions = {},
): Promise<VerifyObjectResult> {
  const { key } = want;
  try {
    const head = await storage.head(key);
    if (!head) return notUploaded(key);
    if (head.size !== want.size) {
      return fail("VERIFY_SIZE_MISMATCH", `stored object is ${head.size} bytes, declared ${want.size}`, {
        expected: want.size,
        actual: head.size,
      });
    }
    const type = stripTypeParameters(want.type);
    const storedType = stripTypeParameters(head.contentType);
    if (storedType !== type) {
      return fail(
        "VERIFY_TYPE_MISMATCH",
        `stored object has type ${storedType || "(none)"}, declared ${type}`,
        {
          expected: type,
          actual: storedType,
        },
      );
    }
    const metadata = metadataMismatch(want.metadata, head.metadata);
    if (metadata) {
      return fail("VERIFY_METADATA_MISMATCH", metadata.message, {
        name: metadata.name,
        expected: metadata.expected,
        actual: metadata.actual,
      });
    }
    const header = unplannedHeader(head);
    if (header) {
      return fail("VERIFY_HEADER_MISMATCH", `stored ${header.name} was not set by the gateway`, {
        header: header.name,
        actual: header.value.slice(0, 200),
      });
    }
    const checksum = await checkUploadChecksum(storage, key, head, checksumExpectation(want));
    if (checksum && !checksum.ok) return checksumMismatch(checksum, checksumExpectation(want).algorithm);
    let detectedType: string | undefined;
    if (want.sniff) {
      const sniffed = await sniffObject(storage, key, type, options.sniffBytes ?? SNIFF_BYTES, {
        ifMatch: head.etag,
      });
      if (!sniffed.ok) {
        return fail("VERIFY_CONTENT_MISMATCH", sniffed.reason, {
          declared: type,
          detected: sniffed.detected ?? null,
          rule: sniffed.kind,
        });
      }
      detectedType = sniffed.detected;
    }
    return {
      ok: true,
      size: head.size,
      type,
      etag: head.etag,
      ...(checksum ? { checksumVerifiedBy: checksum.by, checksum: checksum.value } : {}),
      ...(detectedType ? { detectedType } : {}),
    };
  } catch (err) {
    // Deleted between the HEAD and a read: the same verdict as never uploaded.
    if (err instanceof StorageError && err.code === "NoSuchKey") return notUploaded(key);
    if (err instanceof StorageError && err.status === 412) return changed(key);
    throw err;
  }
}
