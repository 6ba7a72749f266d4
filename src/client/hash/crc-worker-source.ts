import { crcWasmUpdater } from "../../core/util/crc-wasm.js";
import { crc32SlicingUpdate } from "../../core/util/crc32-slicing.js";
import { crc64nvmeUpdate } from "../../core/util/crc64nvme.js";

/**
 * The CRC worker's script. The hot loops are core's own functions, inlined by their source text
 * (they read nothing outside their parameters, so this survives bundling and minification); the
 * tables arrive in the first message. The worker reads the Blob it is sent as one stream, hashing each
 * chunk as it arrives (Chromium fills the next one meanwhile), and answers the big-endian checksum
 * bytes and the milliseconds it spent hashing. One stream per part costs Chromium about half the CPU
 * of reading it as 4 MiB slices with arrayBuffer() (bench:browser, per-process CPU): every slice is
 * a separate read in the browser process and a copy into a fresh ArrayBuffer here.
 * Messages: {tables, module?} once, then {id, algorithm, blob}. With `module` (core's compiled CRC
 * kernel) the worker hashes in WebAssembly; without it, or where it cannot be instantiated, in the
 * inlined JS loops.
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
  const { id, algorithm, blob } = m;
  try {
    let busy = 0;
    const c32 = Int32Array.of(-1);
    const c64 = Int32Array.of(-1, -1);
    const reader = blob.stream().getReader();
    let offset = 0;
    for (;;) {
      // Chromium fails a Blob stream whose file changed on disk as TypeError "network error",
      // where arrayBuffer() says NotReadableError: same cause, named as the client expects.
      const { done, value } = await reader.read().catch((err) => {
        throw Object.assign(new Error(String(err && err.message)), { name: "NotReadableError" });
      });
      if (done) break;
      const t0 = performance.now();
      if (algorithm === "crc64nvme") run64(c64, value);
      else run32(c32, value);
      busy += performance.now() - t0;
      offset += value.byteLength;
    }
    if (offset !== blob.size) {
      throw Object.assign(new Error("the file is shorter than before"), { name: "NotReadableError" });
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
