import {
  BLOCK,
  BR,
  BR_IF,
  END,
  I32,
  I32_ADD,
  I32_AND,
  I32_CONST,
  I32_GE_U,
  I32_LOAD,
  I32_LOAD8_U,
  I32_SHL,
  I32_SHR_U,
  I32_STORE,
  I32_WRAP_I64,
  I32_XOR,
  I64,
  I64_CONST,
  I64_LOAD,
  I64_SHR_U,
  I64_STORE,
  I64_XOR,
  LOCAL_GET,
  LOCAL_SET,
  LOOP,
  mem,
  sleb,
  type WasmFunction,
  wasmModule,
} from "./wasm-emit.js";

/**
 * The CRC kernel in WebAssembly: the same slicing-by-16 as the JS loops (crc32-slicing.ts,
 * crc64nvme.ts), but with native 64-bit registers and table loads, so CRC-64/NVME needs one load
 * per lookup instead of two and no 32-bit half juggling. One module serves every algorithm: an
 * instance holds one algorithm's table, written from the JS table when it is instantiated.
 *
 * Memory (fixed size, never grown): the table fills the first 64 KiB page (16 slices of 256 entries,
 * 4 or 8 bytes each, little-endian), the register its last 8 bytes (STATE), and the input is copied
 * in after it, CRC_WASM_CHUNK bytes at a time. The copy is a memcpy (about 12 GB/s in bench:hash,
 * some 14% of the kernel's time). crcWasmUpdater repeats INPUT and STATE as numbers: it must be
 * self-contained; the tests across chunk boundaries fail if they disagree.
 */
const SLICES = 16;
const INPUT = 65536;
const STATE = INPUT - 8;
/** Bytes hashed per call: the input pages. Big enough to make the per-call cost vanish, small enough to stay in L2. */
export const CRC_WASM_CHUNK = 256 * 1024;

// Locals: params p (input address), n (byte count); then e (where the loop stops), the block's
// four words, c (the register).
const P = 0;
const N = 1;
const E = 2;
const W = 3;
const C = 7;
const get = (i: number) => [LOCAL_GET, i];
const set = (i: number) => [LOCAL_SET, i];
const i32 = (n: number) => [I32_CONST, ...sleb(n)];
/** Runs `body` while p < e. */
const loop = (body: number[]) => [
  ...BLOCK,
  ...LOOP,
  ...get(P),
  ...get(E),
  I32_GE_U,
  BR_IF,
  1,
  ...body,
  BR,
  0,
  END,
  END,
];
const advance = (by: number) => [...get(P), ...i32(by), I32_ADD, ...set(P)];
/** e += n & mask */
const extend = (mask: number) => [...get(E), ...get(N), ...i32(mask), I32_AND, I32_ADD, ...set(E)];

/**
 * c32 / c64(p, n): feeds memory[p, p+n) into the register at STATE. A 16-byte block is read as
 * four words, the register xored into the first one or two; byte j of the block is then one
 * lookup in slice 15 - j. (Byte loads instead of the shifts measured 10-20% slower.)
 */
function kernel(wide: boolean): WasmFunction {
  const shift = wide ? 3 : 2; // log2 of a table entry's size
  const load = wide ? I64_LOAD : I32_LOAD;
  const xor = wide ? I64_XOR : I32_XOR;
  const low = wide ? [I32_WRAP_I64] : [];
  // T[s][i] for the i32 index i on the stack, already multiplied by the entry size.
  const entry = (s: number) => mem(load, shift, s * (256 << shift));
  // Byte k of word w times the entry size, ((w >>> 8k) & 255) << shift, in two instructions.
  const index = (w: number, k: number) => [
    ...get(W + w),
    ...(k ? [...i32(8 * k - shift), I32_SHR_U] : [...i32(shift), I32_SHL]),
    ...i32(255 << shift),
    I32_AND,
  ];
  const block: number[] = [];
  for (let w = 0; w < 4; w++) {
    block.push(...get(P), ...mem(I32_LOAD, 2, 4 * w));
    if (w === 0) block.push(...get(C), ...low, I32_XOR);
    if (w === 1 && wide) block.push(...get(C), I64_CONST, 32, I64_SHR_U, I32_WRAP_I64, I32_XOR);
    block.push(...set(W + w));
  }
  for (let j = 0; j < SLICES; j++)
    block.push(...index(j >> 2, j & 3), ...entry(SLICES - 1 - j), ...(j ? [xor] : []));
  return {
    name: wide ? "c64" : "c32",
    locals: [I32, I32, I32, I32, I32, wide ? I64 : I32],
    body: [
      ...i32(0),
      ...mem(load, shift, STATE),
      ...set(C),
      ...get(P),
      ...set(E),
      ...extend(-SLICES),
      ...loop([...block, ...set(C), ...advance(SLICES)]),
      ...extend(SLICES - 1),
      // The tail, a byte at a time: c = (c >>> 8) ^ T[0][(c ^ byte) & 255].
      ...loop([
        ...get(C),
        ...(wide ? [I64_CONST, 8, I64_SHR_U] : [...i32(8), I32_SHR_U]),
        ...get(C),
        ...low,
        ...get(P),
        ...mem(I32_LOAD8_U, 0, 0),
        I32_XOR,
        ...i32(255),
        I32_AND,
        ...i32(shift),
        I32_SHL,
        ...entry(0),
        xor,
        ...set(C),
        ...advance(1),
      ]),
      ...i32(0),
      ...get(C),
      ...mem(wide ? I64_STORE : I32_STORE, shift, STATE),
    ],
  };
}

/** The module's bytes (835): exports memory, c32 and c64. */
export function crcWasmBytes(): Uint8Array {
  return wasmModule((INPUT + CRC_WASM_CHUNK) / 65536, [kernel(false), kernel(true)]);
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

/** Feeds `d` into the pre-inverted register kept in `state`: [register], or [high, low] for CRC-64. */
export type CrcUpdate = (state: Int32Array, d: Uint8Array) => void;

/**
 * An instance of `module` holding one table, as an update function over a register kept in
 * `state` (pre-inverted): [register] for a 32-bit CRC with its flat table in `lo`; [high, low] for
 * CRC-64 with the tables of the high and low words. Throws if the module cannot be instantiated.
 * Self-contained (it reads nothing outside its parameters), so the client can run its source in a
 * Worker; the addresses are this file's INPUT and STATE.
 */
export function crcWasmUpdater(module: CrcWasmModule, lo: Int32Array, hi?: Int32Array): CrcUpdate {
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
