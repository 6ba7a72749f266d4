import { toBase64 } from "../../core/sigv4/crypto.js";
import { hashBlob } from "./hash-blob.js";

/** Parts up to this size are hashed with WebCrypto in one go (native code, several times faster). */
export const WEBCRYPTO_MAX_PART = 64 * 1024 * 1024;

/**
 * The base64 SHA-256 of one part. With WebCrypto and a part of at most 64 MiB, the part is read
 * into memory once and digested natively; otherwise it is streamed through the incremental hasher.
 */
export async function hashPart(part: Blob, signal?: AbortSignal): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle && part.size <= WEBCRYPTO_MAX_PART) {
    const bytes = await part.arrayBuffer();
    signal?.throwIfAborted();
    return toBase64(new Uint8Array(await subtle.digest("SHA-256", bytes)));
  }
  return hashBlob(part, signal ? { signal } : {});
}
