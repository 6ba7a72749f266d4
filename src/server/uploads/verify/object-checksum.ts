import { createHash, toBase64 } from "../../../core/sigv4/crypto.js";
import type { ObjectHead, StorageClient } from "../../s3/types.js";

export type ChecksumCheck = { by: "storage" | "gateway"; actual: string };

/**
 * The object's full SHA-256 (base64), from storage when it has one, else computed here.
 *
 * Storage's value is used only when HEAD (with checksum mode) returned a full-object sha256: that
 * value was verified against the body on upload. Otherwise the whole object is streamed through a
 * SHA-256 here. That covers backends that neither verify nor return checksums (Ceph RGW 16, older
 * MinIO), objects whose only checksums are other algorithms (AWS adds CRC64NVME to every object,
 * so "has a checksum" does not mean "the declared sha256 was checked"), and multipart objects, whose
 * sha256 is a composite of the parts ("<base64>-<parts>") rather than the file's hash.
 */
export async function objectSha256(
  storage: StorageClient,
  key: string,
  head: ObjectHead,
): Promise<ChecksumCheck> {
  const stored = head.checksums.sha256;
  if (stored && !/-\d+$/.test(stored)) return { by: "storage", actual: stored };
  return { by: "gateway", actual: await hashStream(await storage.getStream(key, { ifMatch: head.etag })) };
}

async function hashStream(stream: ReadableStream<Uint8Array>): Promise<string> {
  const hash = createHash("sha256");
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      hash.update(value);
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    throw err;
  }
  return toBase64(await hash.digest());
}
