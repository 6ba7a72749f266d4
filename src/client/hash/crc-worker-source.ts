import { crc32SlicingUpdate } from "../../core/util/crc32-slicing.js";
import { crc64nvmeUpdate } from "../../core/util/crc64nvme.js";

/** Bytes a CRC worker reads per File.slice: about two chunks are held at a time. */
export const CRC_WORKER_CHUNK = 4 * 1024 * 1024;

/**
 * The CRC worker's script. The hot loops are core's own functions, inlined by their source text
 * (they read nothing outside their parameters, so this survives bundling and minification); the
 * tables arrive in the first message. The worker reads the Blob it is sent in slices, with the next
 * slice read while the current one is hashed, and answers the big-endian checksum bytes and the
 * milliseconds it spent hashing. Messages: {tables} once, then {id, algorithm, blob, chunk}.
 */
export function crcWorkerSource(): string {
  return `"use strict";
const update32 = (${crc32SlicingUpdate.toString()});
const update64 = (${crc64nvmeUpdate.toString()});
let tables;
self.onmessage = async (event) => {
  const m = event.data;
  if (m.tables) { tables = m.tables; return; }
  const { id, algorithm, blob, chunk } = m;
  try {
    let busy = 0;
    let c32 = -1;
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
      if (algorithm === "crc64nvme") update64(tables.hi, tables.lo, c64, new Uint8Array(buffer));
      else c32 = update32(tables.crc32c, c32, new Uint8Array(buffer));
      busy += performance.now() - t0;
      offset = end;
    }
    const words = algorithm === "crc64nvme" ? [~c64[0], ~c64[1]] : [~c32];
    const bytes = new Uint8Array(words.length * 4);
    words.forEach((w, i) => new DataView(bytes.buffer).setUint32(i * 4, w >>> 0));
    self.postMessage({ id, bytes, busy, size: offset });
  } catch (err) {
    self.postMessage({ id, error: { name: String(err && err.name), message: String(err && err.message) } });
  }
};
`;
}
