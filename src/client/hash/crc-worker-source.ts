import { crcWasmUpdater } from "../../core/util/crc-wasm.js";
import { crc32SlicingUpdate } from "../../core/util/crc32-slicing.js";
import { crc64nvmeUpdate } from "../../core/util/crc64nvme.js";

/** Bytes a CRC worker reads per File.slice: about two chunks are held at a time. */
export const CRC_WORKER_CHUNK = 4 * 1024 * 1024;

/**
 * The CRC worker's script. The hot loops are core's own functions, inlined by their source text
 * (they read nothing outside their parameters, so this survives bundling and minification); the
 * tables arrive in the first message. The worker reads the Blob it is sent in slices, with the next
 * slice read while the current one is hashed, and answers the big-endian checksum bytes and the
 * milliseconds it spent hashing. Messages: {tables, module?} once, then {id, algorithm, blob, chunk}.
 * With `module` (core's compiled CRC kernel) the worker hashes in WebAssembly; without it, or where
 * it cannot be instantiated, in the inlined JS loops.
 */
export function crcWorkerSource(): string {
  return `"use strict";
const update32 = (${crc32SlicingUpdate.toString()});
const update64 = (${crc64nvmeUpdate.toString()});
const wasmUpdater = (${crcWasmUpdater.toString()});
let run32, run64, kernel = "js";
self.onmessage = async (event) => {
  const m = event.data;
  if (m.tables) {
    const t = m.tables;
    run32 = (s, d) => { s[0] = update32(t.crc32c, s[0], d); };
    run64 = (s, d) => update64(t.hi, t.lo, s, d);
    try {
      if (m.module) [run32, run64, kernel] = [wasmUpdater(m.module, t.crc32c), wasmUpdater(m.module, t.lo, t.hi), "wasm"];
    } catch {}
    return;
  }
  const { id, algorithm, blob, chunk } = m;
  try {
    let busy = 0;
    const c32 = Int32Array.of(-1);
    const c64 = Int32Array.of(-1, -1);
    const read = (start) => blob.slice(start, Math.min(blob.size, start + chunk)).arrayBuffer();
    let next = blob.size > 0 ? read(0) : undefined;
    let offset = 0;
    while (next) {
      const buffer = await next;
      const end = offset + buffer.byteLength;
      next = end < blob.size ? read(end) : undefined;
      if (buffer.byteLength === 0 && next) {
        throw Object.assign(new Error("the file is shorter than before"), { name: "NotReadableError" });
      }
      const t0 = performance.now();
      if (algorithm === "crc64nvme") run64(c64, new Uint8Array(buffer));
      else run32(c32, new Uint8Array(buffer));
      busy += performance.now() - t0;
      offset = end;
    }
    const words = algorithm === "crc64nvme" ? [~c64[0], ~c64[1]] : [~c32[0]];
    const bytes = new Uint8Array(words.length * 4);
    words.forEach((w, i) => new DataView(bytes.buffer).setUint32(i * 4, w >>> 0));
    self.postMessage({ id, bytes, busy, size: offset, kernel });
  } catch (err) {
    self.postMessage({ id, error: { name: String(err && err.name), message: String(err && err.message) } });
  }
};
`;
}
