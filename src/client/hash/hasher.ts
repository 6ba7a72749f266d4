import { createHash, cryptoBackend } from "../../core/sigv4/crypto.js";
import { Sha256 } from "../../core/util/sha256.js";

/** An incremental SHA-256: update() any number of chunks, then digest() once. */
export interface IncrementalSha256 {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array | Promise<Uint8Array>;
}

/**
 * The fastest incremental SHA-256 the runtime has: node:crypto through core's crypto seam where
 * it exists (Node: native, several times faster), else the JS Sha256 (browsers: WebCrypto
 * cannot stream). Core's WebCrypto fallback buffers everything, so it is never used here.
 */
export function createSha256(): IncrementalSha256 {
  return cryptoBackend() === "node" ? createHash("sha256") : new Sha256();
}
