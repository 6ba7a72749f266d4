/**
 * A tiny WebAssembly binary emitter: just what the CRC kernel (crc-wasm.ts) needs, so the module is
 * assembled here from readable opcode sequences instead of shipped as an opaque blob. Encodings
 * follow the WebAssembly core specification, chapter 5 (binary format).
 */

/** Value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;

// The opcodes the kernel uses (separate constants, so bundlers inline them as plain numbers).
export const BLOCK = [0x02, 0x40]; // block with no result
export const LOOP = [0x03, 0x40]; // loop with no result
export const END = 0x0b;
export const BR = 0x0c;
export const BR_IF = 0x0d;
export const LOCAL_GET = 0x20;
export const LOCAL_SET = 0x21;
export const I32_LOAD = 0x28;
export const I64_LOAD = 0x29;
export const I32_LOAD8_U = 0x2d;
export const I32_STORE = 0x36;
export const I64_STORE = 0x37;
export const I32_CONST = 0x41;
export const I64_CONST = 0x42;
export const I32_GE_U = 0x4f;
export const I32_ADD = 0x6a;
export const I32_AND = 0x71;
export const I32_XOR = 0x73;
export const I32_SHL = 0x74;
export const I32_SHR_U = 0x76;
export const I64_XOR = 0x85;
export const I64_SHR_U = 0x88;
export const I32_WRAP_I64 = 0xa7;

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
  /** Types of the locals after the two parameters, one entry each. */
  locals: number[];
  /** The instructions, without the final `end`. */
  body: number[];
}

/**
 * A module of the given exported functions, all of type (i32, i32) -> (), and one exported memory
 * named "memory" of `pages` 64 KiB pages, fixed: nothing grows it, so views of its buffer stay valid.
 */
export function wasmModule(pages: number, functions: WasmFunction[]): Uint8Array {
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, vec([[0x60, 2, I32, I32, 0]])),
    ...section(3, vec(functions.map(() => [0]))),
    ...section(5, vec([[0x01, ...uleb(pages), ...uleb(pages)]])),
    ...section(
      7,
      vec([[...name("memory"), 0x02, 0], ...functions.map((f, i) => [...name(f.name), 0x00, i])]),
    ),
    ...section(
      10,
      vec(
        functions.map((f) => {
          const code = [...vec(f.locals.map((t) => [1, t])), ...f.body, END];
          return [...uleb(code.length), ...code];
        }),
      ),
    ),
  ]);
}
