import { I32, I64, mem, op, sleb, type WasmFunction, wasmModule } from "./wasm-emit.js";

/**
 * The CRC kernel in WebAssembly: the same slicing-by-16 as the JS loops (crc32-slicing.ts,
 * crc64nvme.ts), but with native 64-bit registers and table loads, so CRC-64/NVME needs one load
 * per lookup instead of two and no 32-bit half juggling. One module serves every algorithm: an
 * instance holds one algorithm's table, written from the JS table when it is instantiated.
 *
 * Memory (fixed size, never grown): the table fills the first 64 KiB page (16 slices of 256 entries,
 * 4 or 8 bytes each, little-endian), the register its last 8 bytes (STATE), and the input is copied
 * in after it, CHUNK bytes at a time. The copy costs a memcpy (~10 GB/s), small beside the CRC.
 */
const SLICES = 16;
const STATE = 65528;
/** Where the input goes: the second page. crcWasmUpdater repeats this number (it must be self-contained). */
export const CRC_WASM_INPUT = 65536;
/** Bytes hashed per call: the input pages. Big enough to make the per-call cost vanish, small enough to stay in L2. */
export const CRC_WASM_CHUNK = 256 * 1024;

// Locals: params p (input address), n (byte count); then e (end of the loop), the four input words, the register.
const P = 0;
const N = 1;
const E = 2;
const W = 3;
const C = 7;
const get = (i: number) => [op.localGet, i];
const set = (i: number) => [op.localSet, i];
const i32 = (n: number) => [op.i32Const, ...sleb(n)];

/** c32 / c64(p, n): feeds memory[p, p+n) into the register at STATE. */
function kernel(wide: boolean): WasmFunction {
  const shift = wide ? 3 : 2; // log2 of a table entry's size
  const load = wide ? op.i64Load : op.i32Load;
  const xor = wide ? op.i64Xor : op.i32Xor;
  const shr8 = wide ? [op.i64Const, 8, op.i64ShrU] : [...i32(8), op.i32ShrU];
  const low = wide ? [op.i32WrapI64] : [];
  // Byte k of word w, times the entry size: ((w >>> 8k) & 255) << shift, in two instructions.
  const index = (w: number, k: number) => [
    ...get(W + w),
    ...(k === 0 ? [...i32(shift), op.i32Shl] : [...i32(8 * k - shift), op.i32ShrU]),
    ...i32(255 << shift),
    op.i32And,
  ];
  // Input byte j of the block meets slice 15 - j.
  const lookup = (j: number) => [
    ...index(j >> 2, j & 3),
    ...mem(load, shift, (SLICES - 1 - j) * (256 << shift)),
  ];
  const block: number[] = [];
  for (let w = 0; w < 4; w++) {
    block.push(...get(P), ...mem(op.i32Load, 2, 4 * w));
    // The register's 4 or 8 bytes are xored into the block's first words.
    if (w === 0) block.push(...get(C), ...low, op.i32Xor);
    if (w === 1 && wide) block.push(...get(C), op.i64Const, 32, op.i64ShrU, op.i32WrapI64, op.i32Xor);
    block.push(...set(W + w));
  }
  block.push(...lookup(0));
  for (let j = 1; j < SLICES; j++) block.push(...lookup(j), xor);
  block.push(...set(C));
  const until = (body: number[]) => [
    ...op.block,
    ...op.loop,
    ...get(P),
    ...get(E),
    op.i32GeU,
    op.brIf,
    1,
    ...body,
    op.br,
    0,
    op.end,
    op.end,
  ];
  const advance = (by: number) => [...get(P), ...i32(by), op.i32Add, ...set(P)];
  return {
    name: wide ? "c64" : "c32",
    params: [I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, I32, wide ? I64 : I32],
    body: [
      ...i32(0),
      ...mem(load, shift, STATE),
      ...set(C),
      // e = p + n rounded down to whole blocks
      ...get(P),
      ...get(N),
      ...i32(-SLICES),
      op.i32And,
      op.i32Add,
      ...set(E),
      ...until([...block, ...advance(SLICES)]),
      // the tail, a byte at a time: c = (c >>> 8) ^ T0[(c ^ byte) & 255]
      ...get(E),
      ...get(N),
      ...i32(SLICES - 1),
      op.i32And,
      op.i32Add,
      ...set(E),
      ...until([
        ...get(C),
        ...shr8,
        ...get(C),
        ...low,
        ...get(P),
        ...mem(op.i32Load8u, 0, 0),
        op.i32Xor,
        ...i32(255),
        op.i32And,
        ...i32(shift),
        op.i32Shl,
        ...mem(load, shift, 0),
        xor,
        ...set(C),
        ...advance(1),
      ]),
      ...i32(0),
      ...get(C),
      ...mem(wide ? op.i64Store : op.i32Store, shift, STATE),
    ],
  };
}

/** The module's bytes (about 600): exports memory, c32 and c64. */
export function crcWasmBytes(): Uint8Array {
  return wasmModule(1 + CRC_WASM_CHUNK / 65536, [kernel(false), kernel(true)]);
}

/** A compiled kernel module: a WebAssembly.Module (opaque here, so core needs no DOM types). */
export type CrcWasmModule = object & { readonly __crcWasm?: never };

interface WasmGlobal {
  Module: new (bytes: Uint8Array) => CrcWasmModule;
}

let compiled: CrcWasmModule | null | undefined;

/**
 * The compiled kernel, or undefined where WebAssembly is missing or refused (a CSP without
 * 'wasm-unsafe-eval' throws on compile): the JS loops run there. Compiled once, synchronously (the
 * module is far below the 4 KB browsers allow on a main thread), on first use.
 */
export function crcWasmModule(): CrcWasmModule | undefined {
  if (compiled === undefined) {
    try {
      const wasm = (globalThis as { WebAssembly?: WasmGlobal }).WebAssembly;
      compiled = wasm ? new wasm.Module(crcWasmBytes()) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled ?? undefined;
}

/** Which kernel core's CRCs run here. */
export function crcKernel(): "wasm" | "js" {
  return crcWasmModule() ? "wasm" : "js";
}

/**
 * An instance of `module` holding one table, as an update function over a register kept in
 * `state` (pre-inverted): [register] for a 32-bit CRC with its flat table in `lo`; [high, low] for
 * CRC-64 with the tables of the high and low words. Throws if the module cannot be instantiated.
 * Self-contained (it reads nothing outside its parameters), so the client can run its source in a
 * Worker; the addresses are crc-wasm.ts's STATE and CRC_WASM_INPUT.
 */
export function crcWasmUpdater(
  module: CrcWasmModule,
  lo: Int32Array,
  hi?: Int32Array,
): (state: Int32Array, d: Uint8Array) => void {
  type Exports = {
    memory: { buffer: ArrayBuffer };
    c32(p: number, n: number): void;
    c64(p: number, n: number): void;
  };
  const wasm = (
    globalThis as unknown as { WebAssembly: { Instance: new (m: object) => { exports: Exports } } }
  ).WebAssembly;
  const exports = new wasm.Instance(module).exports;
  const buffer = exports.memory.buffer;
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  const input = 65536;
  const state = 65528;
  const chunk = buffer.byteLength - input;
  for (let i = 0; i < lo.length; i++) {
    if (hi) {
      view.setInt32(i * 8, lo[i]!, true);
      view.setInt32(i * 8 + 4, hi[i]!, true);
    } else view.setInt32(i * 4, lo[i]!, true);
  }
  const run = hi ? exports.c64 : exports.c32;
  return (s, d) => {
    view.setInt32(state, s[hi ? 1 : 0]!, true);
    if (hi) view.setInt32(state + 4, s[0]!, true);
    for (let i = 0; i < d.length; i += chunk) {
      const part = d.subarray(i, i + chunk);
      bytes.set(part, input);
      run(input, part.length);
    }
    s[hi ? 1 : 0] = view.getInt32(state, true);
    if (hi) s[0] = view.getInt32(state + 4, true);
  };
}

/** An update function over a register in `state`, as crcWasmUpdater returns. */
export type CrcUpdate = (state: Int32Array, d: Uint8Array) => void;

/** The wasm kernel over these tables where it runs, else `js`: core's CRCs pick once per table. */
export function crcKernelOr(js: CrcUpdate, lo: Int32Array, hi?: Int32Array): CrcUpdate {
  const module = crcWasmModule();
  if (module) {
    try {
      return crcWasmUpdater(module, lo, hi);
    } catch {
      // Instantiation refused (out of memory, say): the JS loop is as correct.
    }
  }
  return js;
}
