/**
 * SHA-256 throughput of core's incremental hasher (the one JS SHA-256, which the client uses where
 * node:crypto is missing) beside node:crypto and WebCrypto, and the CRCs of src/core/util beside the AWS SDK's JS implementations and zlib, all on the same bytes.
 * Each CRC runs twice: through core's classes (the kernel they picked here: WebAssembly unless
 * refused, see crc-wasm.ts) and through the JS slicing-by-16 loops directly (the fallback), with the
 * copy into wasm memory timed alone beside them.
 * `npm run bench:hash [-- --mib 64 --rounds 15]`.
 *
 * Rounds are interleaved (every contender once per round, order rotating) and each figure is the
 * median over rounds, with the best round beside it: on a shared 2-core machine the best round is
 * the closest to what an idle machine does. "cpu MB/s" divides by the process's CPU time instead of
 * the wall clock, which other processes on the machine do not inflate. MB/s is 10^6 bytes/s.
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { crc32 as zlibCrc32 } from "node:zlib";
import { AwsCrc32 } from "@aws-crypto/crc32";
import { AwsCrc32c } from "@aws-crypto/crc32c";
import { Crc64Nvme as AwsCrc64Nvme } from "@aws-sdk/crc64-nvme";
import { hashBlob } from "../src/client/hash/hash-blob.js";
import { CRC_WASM_CHUNK, crcKernel } from "../src/core/util/crc-wasm.js";
import { CRC32_TABLE, Crc32 } from "../src/core/util/crc32.js";
import { crc32SlicingUpdate } from "../src/core/util/crc32-slicing.js";
import { CRC32C_TABLE, Crc32c } from "../src/core/util/crc32c.js";
import { CRC64NVME_TABLES, Crc64Nvme, crc64nvmeUpdate } from "../src/core/util/crc64nvme.js";
import { Sha256 } from "../src/core/util/sha256.js";
import { median } from "./measure.js";

const { values } = parseArgs({
  options: { mib: { type: "string", default: "64" }, rounds: { type: "string", default: "15" } },
});
const size = Number(values.mib) * 1024 * 1024;
const rounds = Number(values.rounds);

const data = new Uint8Array(size);
for (let i = 0, x = 2463534242; i < size; i++) {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  data[i] = x & 255;
}
const blob = new Blob([data]);
const CHUNK = 4 * 1024 * 1024;

interface Contender {
  name: string;
  note: string;
  run(): Promise<string> | string;
  /** Which digest run() returns (base64); SHA-256 unless said. */
  algorithm?: "crc64nvme" | "crc32c" | "crc32";
}

/** Feeds `data` to an incremental hasher in 4 MiB updates, as a part hasher does. */
function chunked<H extends { update(d: Uint8Array): unknown }>(h: H): H {
  for (let i = 0; i < size; i += CHUNK) h.update(data.subarray(i, i + CHUNK));
  return h;
}
/** The JS slicing-by-16 loops alone (what runs where WebAssembly is refused), 4 MiB updates. */
function jsCrc32(table: Int32Array): string {
  let c = -1;
  for (let i = 0; i < size; i += CHUNK) c = crc32SlicingUpdate(table, c, data.subarray(i, i + CHUNK));
  return Buffer.from(Uint8Array.of(...[24, 16, 8, 0].map((s) => (~c >>> s) & 255))).toString("base64");
}
function jsCrc64(): string {
  const s = Int32Array.of(-1, -1);
  for (let i = 0; i < size; i += CHUNK)
    crc64nvmeUpdate(CRC64NVME_TABLES.hi, CRC64NVME_TABLES.lo, s, data.subarray(i, i + CHUNK));
  const words = [~s[0]!, ~s[1]!];
  return Buffer.from(
    Uint8Array.of(...words.flatMap((w) => [24, 16, 8, 0].map((k) => (w >>> k) & 255))),
  ).toString("base64");
}
const KERNEL = crcKernel();
const CORE64 = `core Crc64Nvme (${KERNEL})`;
const CORE32C = `core Crc32c (${KERNEL})`;
const CORE32 = `core Crc32 (${KERNEL})`;
const JS64 = "core crc64nvme JS slicing-by-16";
const JS32C = "core crc32c JS slicing-by-16";
const JS32 = "core crc32 JS slicing-by-16";
const COPY = "copy into wasm memory alone";
/** Stands for the wasm kernel's input copy: the bytes set into a buffer of its chunk size, chunk by chunk. */
const copyTarget = new Uint8Array(CRC_WASM_CHUNK);

const awsDigest = async (h: { digest(): Promise<Uint8Array> }) =>
  Buffer.from(await h.digest()).toString("base64");

const contenders: Contender[] = [
  {
    name: "core Sha256 (JS, incremental)",
    note: "4 MiB updates from memory",
    run() {
      const h = new Sha256();
      for (let i = 0; i < size; i += CHUNK) h.update(data.subarray(i, i + CHUNK));
      return Buffer.from(h.digest()).toString("base64");
    },
  },
  {
    name: "client hashBlob (JS + File.slice)",
    note: "what upload() runs in browsers: 4 MiB slices, read-ahead",
    run: () => hashBlob(blob, { hasher: () => new Sha256() }),
  },
  {
    name: "client hashBlob (Node default)",
    note: "what upload() runs in Node: node:crypto via core's seam",
    run: () => hashBlob(blob),
  },
  {
    name: "node:crypto createHash",
    note: "native (OpenSSL), incremental; Node only",
    run() {
      const h = createHash("sha256");
      for (let i = 0; i < size; i += CHUNK) h.update(data.subarray(i, i + CHUNK));
      return h.digest("base64");
    },
  },
  {
    name: "WebCrypto subtle.digest",
    note: "native, one-shot: needs all bytes in memory",
    async run() {
      return Buffer.from(await crypto.subtle.digest("SHA-256", data)).toString("base64");
    },
  },
  {
    name: CORE64,
    note: "src/core/util, 4 MiB updates, the kernel core picked",
    algorithm: "crc64nvme",
    run: () => chunked(new Crc64Nvme()).digestBase64(),
  },
  {
    name: JS64,
    note: "on 32-bit halves (the fallback)",
    algorithm: "crc64nvme",
    run: jsCrc64,
  },
  {
    name: "AWS SDK Crc64Nvme (JS)",
    note: "@aws-sdk/crc64-nvme, slicing-by-8",
    algorithm: "crc64nvme",
    run: () => awsDigest(chunked(new AwsCrc64Nvme())),
  },
  {
    name: CORE32C,
    note: "src/core/util, 4 MiB updates, the kernel core picked",
    algorithm: "crc32c",
    run: () => chunked(new Crc32c()).digestBase64(),
  },
  {
    name: JS32C,
    note: "crc32SlicingUpdate (the fallback)",
    algorithm: "crc32c",
    run: () => jsCrc32(CRC32C_TABLE),
  },
  {
    name: "AWS @aws-crypto/crc32c",
    note: "byte-at-a-time table",
    algorithm: "crc32c",
    run: () => awsDigest(chunked(new AwsCrc32c())),
  },
  {
    name: CORE32,
    note: "src/core/util, 4 MiB updates, the kernel core picked",
    algorithm: "crc32",
    run: () => chunked(new Crc32()).digestBase64(),
  },
  {
    name: JS32,
    note: "crc32SlicingUpdate (the fallback)",
    algorithm: "crc32",
    run: () => jsCrc32(CRC32_TABLE),
  },
  {
    name: COPY,
    note: `Uint8Array.set in ${CRC_WASM_CHUNK / 1024} KiB chunks: the wasm kernel's overhead`,
    run() {
      for (let i = 0; i < size; i += CRC_WASM_CHUNK) copyTarget.set(data.subarray(i, i + CRC_WASM_CHUNK));
      return expected;
    },
  },
  {
    name: "AWS @aws-crypto/crc32",
    note: "byte-at-a-time table",
    algorithm: "crc32",
    run: () => awsDigest(chunked(new AwsCrc32())),
  },
  {
    name: "node:zlib crc32",
    note: "native (zlib); Node only",
    algorithm: "crc32",
    run() {
      let c = 0;
      for (let i = 0; i < size; i += CHUNK) c = zlibCrc32(data.subarray(i, i + CHUNK), c);
      return Buffer.from(Uint8Array.of(c >>> 24, c >>> 16, c >>> 8, c)).toString("base64");
    },
  },
];

const expectedCrc = {
  crc64nvme: await awsDigest(chunked(new AwsCrc64Nvme())),
  crc32c: await awsDigest(chunked(new AwsCrc32c())),
  crc32: Buffer.from(Uint8Array.of(...[24, 16, 8, 0].map((s) => (zlibCrc32(data) >>> s) & 255))).toString(
    "base64",
  ),
};
const expected = createHash("sha256").update(data).digest("base64");
const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
const cpuSamples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
for (const c of contenders) {
  const got = await c.run(); // warm-up, and a correctness check
  if (got !== (c.algorithm ? expectedCrc[c.algorithm] : expected))
    throw new Error(`${c.name} computed a wrong digest`);
}
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < contenders.length; k++) {
    const c = contenders[(r + k) % contenders.length]!;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await c.run();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    samples.get(c.name)!.push(size / 1e6 / seconds);
    cpuSamples.get(c.name)!.push(size / 1e6 / ((cpu.user + cpu.system) / 1e6));
  }
}

const nodeMedian = median(samples.get("node:crypto createHash")!);
console.log(
  `SHA-256 and CRCs of ${values.mib} MiB, ${rounds} interleaved rounds, Node ${process.versions.node}`,
);
console.log(
  `${"contender".padEnd(36)} ${"median MB/s".padStart(11)} ${"best MB/s".padStart(10)} ${"cpu MB/s".padStart(9)} ${"vs node".padStart(8)}  note`,
);
for (const c of contenders) {
  const s = samples.get(c.name)!;
  const med = median(s);
  const best = Math.max(...s);
  const cpu = median(cpuSamples.get(c.name)!);
  console.log(
    `${c.name.padEnd(36)} ${med.toFixed(0).padStart(11)} ${best.toFixed(0).padStart(10)} ${cpu.toFixed(0).padStart(9)} ${(med / nodeMedian).toFixed(2).padStart(7)}x  ${c.note}`,
  );
}
const ours = samples.get("client hashBlob (JS + File.slice)")!;
const oursCpu = median(cpuSamples.get("client hashBlob (JS + File.slice)")!);
const target = 300;
console.log(
  `\nclient hashBlob: median ${median(ours).toFixed(0)} MB/s, best ${Math.max(...ours).toFixed(0)} MB/s, ` +
    `${oursCpu.toFixed(0)} MB per CPU-second; target ${target} MB/s: ${Math.max(...ours) >= target ? "met" : "NOT met"}`,
);

const ratio = (a: string, b: string) => median(samples.get(a)!) / median(samples.get(b)!);
const cpuRatio = (a: string, b: string) => median(cpuSamples.get(a)!) / median(cpuSamples.get(b)!);
console.log("\nCRCs (median wall MB/s ratio; cpu MB/s ratio in brackets):");
for (const [ours, theirs] of [
  [CORE64, JS64],
  [CORE32C, JS32C],
  [CORE32, JS32],
  [CORE64, "AWS SDK Crc64Nvme (JS)"],
  [JS64, "AWS SDK Crc64Nvme (JS)"],
  [CORE32C, "AWS @aws-crypto/crc32c"],
  [CORE32, "AWS @aws-crypto/crc32"],
  [CORE32, "node:zlib crc32"],
  [CORE64, "core Sha256 (JS, incremental)"],
  [CORE32C, "core Sha256 (JS, incremental)"],
  [CORE64, "node:crypto createHash"],
  [CORE32C, "node:crypto createHash"],
  [COPY, CORE64],
] as const) {
  console.log(
    `  ${ours} vs ${theirs}: ${ratio(ours, theirs).toFixed(2)}x (${cpuRatio(ours, theirs).toFixed(2)}x)`,
  );
}
