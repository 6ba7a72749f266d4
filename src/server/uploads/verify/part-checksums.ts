import { compositeSha256 } from "../../../core/s3/composite-checksum.js";
import { createHash, toBase64 } from "../../../core/sigv4/crypto.js";
import type { ObjectHead, StorageClient } from "../../s3/types.js";

/** The SHA-256 of each part the client hashed (and had signed into its URL), in part order, with the planned sizes. */
export interface PartChecksums {
  sha256s: readonly string[];
  sizes: readonly number[];
}

export type PartCheck =
  | { ok: true; by: "storage" | "gateway" }
  | {
      ok: false;
      by: "storage" | "gateway";
      expected: string;
      actual: string;
      /** The first part whose bytes differ (only known when the gateway hashed them). */
      partNumber?: number;
    };

/**
 * Checks a multipart object against its parts' SHA-256s.
 *
 * When storage returns a COMPOSITE sha256 ("<base64>-N", the SHA-256 of the parts' raw digests,
 * which storage computed from the parts' verified checksums), the expected composite is computed
 * from the parts' hashes and compared: no byte is read. Otherwise (Ceph RGW 16 and other backends
 * that neither verify nor return checksums, or an upload whose parts storage kept no SHA-256 for)
 * the object is streamed once and each part's byte range is hashed here.
 */
export async function checkPartChecksums(
  storage: StorageClient,
  key: string,
  head: ObjectHead,
  parts: PartChecksums,
): Promise<PartCheck> {
  const expected = compositeSha256(parts.sha256s);
  const stored = head.checksums.sha256;
  if (expected && stored?.endsWith(`-${parts.sha256s.length}`)) {
    return stored === expected
      ? { ok: true, by: "storage" }
      : { ok: false, by: "storage", expected, actual: stored };
  }
  const actual = await hashParts(await storage.getStream(key, { ifMatch: head.etag }), parts.sizes);
  for (const [i, want] of parts.sha256s.entries()) {
    const got = actual[i] ?? "(missing)";
    if (got !== want) return { ok: false, by: "gateway", expected: want, actual: got, partNumber: i + 1 };
  }
  return { ok: true, by: "gateway" };
}

/** The base64 SHA-256 of each consecutive byte range of these sizes; a short stream yields fewer digests. */
export async function hashParts(
  stream: ReadableStream<Uint8Array>,
  sizes: readonly number[],
): Promise<string[]> {
  const digests: string[] = [];
  const reader = stream.getReader();
  let part = 0;
  let left = sizes[0] ?? 0;
  let hash = createHash("sha256");
  const finishPart = async () => {
    digests.push(toBase64(await hash.digest()));
    part++;
    left = sizes[part] ?? 0;
    hash = createHash("sha256");
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let chunk = value;
      while (chunk.length > 0 && part < sizes.length) {
        const take = Math.min(left, chunk.length);
        hash.update(chunk.subarray(0, take));
        left -= take;
        chunk = chunk.subarray(take);
        if (left === 0) await finishPart();
      }
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    throw err;
  }
  return digests;
}
