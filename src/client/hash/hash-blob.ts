import { toBase64 } from "../../core/sigv4/crypto.js";
import { UploadError } from "../errors.js";
import { createSha256, type IncrementalSha256 } from "./hasher.js";

export interface HashBlobOptions {
  /** Bytes read per File.slice (default 4 MiB): the memory held is about two chunks. */
  chunkSize?: number;
  signal?: AbortSignal;
  /** Called after each chunk with the bytes hashed so far. */
  onProgress?: (hashed: number) => void;
  /** Awaited between chunks (the uploader's pause gate). */
  gate?: () => Promise<void>;
  /** The hasher (default createSha256(): native in Node, the JS Sha256 in browsers). */
  hasher?: () => IncrementalSha256;
}

const DEFAULT_CHUNK = 4 * 1024 * 1024;

/**
 * The base64 SHA-256 of a Blob or File, read in chunks with File.slice: the whole file is never
 * in memory. The next chunk is read while the current one is hashed.
 */
export async function hashBlob(blob: Blob, options: HashBlobOptions = {}): Promise<string> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const hash = (options.hasher ?? createSha256)();
  const read = (start: number) => blob.slice(start, Math.min(blob.size, start + chunkSize)).arrayBuffer();
  let next: Promise<ArrayBuffer> | undefined = blob.size > 0 ? read(0) : undefined;
  let offset = 0;
  while (next) {
    const buffer = await next;
    options.signal?.throwIfAborted();
    if (options.gate) await options.gate();
    const end = offset + buffer.byteLength;
    next = end < blob.size ? read(end) : undefined;
    // A file that shrank under us would loop forever: stop and let the upload report the change.
    if (buffer.byteLength === 0 && next) {
      throw new UploadError("CHECKSUM", "the file changed while uploading (it is shorter than before)");
    }
    hash.update(new Uint8Array(buffer));
    offset = end;
    options.onProgress?.(offset);
  }
  return toBase64(await hash.digest());
}
