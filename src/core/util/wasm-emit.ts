/**
 * A tiny WebAssembly binary emitter: just what the CRC kernel (crc-wasm.ts) needs, so the module is
 * assembled here from readable opcode sequences instead of shipped as an opaque blob. Encodings
 * follow the WebAssembly core specification, chapter 5 (binary format).
 */

/** Value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;

/** The opcodes the kernel uses. Block types are always empty (0x40). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  i32Load: 0x28,
  i64Load: 0x29,
  i32Load8u: 0x2d,
  i32Store: 0x36,
  i64Store: 0x37,
  i32Const: 0x41,
  i64Const: 0x42,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32And: 0x71,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  i64Xor: 0x85,
  i64ShrU: 0x88,
  i32WrapI64: 0xa7,
} as const;

/** Unsigned LEB128 (sizes, indices, memory offsets). */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n ? b | 0x80 : b);
  } while (n);
  return out;
}

/** Signed LEB128 (the operands of i32.const and i64.const), for 32-bit values. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** A load or store: opcode, log2 of the alignment, constant address offset. */
export const mem = (opcode: number, alignLog2: number, offset: number): number[] => [
  opcode,
  alignLog2,
  ...uleb(offset),
];

export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  /** Types of the locals after the parameters, one entry each. */
  locals: number[];
  /** The instructions, without the final `end`. */
  body: number[];
}

/**
 * A module of the given exported functions (each its own type) and one exported memory named
 * "memory" of `pages` 64 KiB pages, fixed: nothing grows it, so views of its buffer stay valid.
 */
export function wasmModule(pages: number, functions: WasmFunction[]): Uint8Array {
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(
      1,
      vec(functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))])),
    ),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x01, ...uleb(pages), ...uleb(pages)]])),
    ...section(
      7,
      vec([[...name("memory"), 0x02, 0], ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])]),
    ),
    ...section(
      10,
      vec(
        functions.map((f) => {
          const code = [...vec(f.locals.map((t) => [1, t])), ...f.body, op.end];
          return [...uleb(code.length), ...code];
        }),
      ),
    ),
  ]);
}
