/** What the CRC kernel tests share: the WebAssembly global as they use it, and the AWS SDK as the oracle. */

/** The WebAssembly global (the Node type-check config has no DOM types for it). */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: { new (bytes: Uint8Array): object; exports(m: object): { kind: string; name: string }[] };
  Instance: new (m: object) => unknown;
  CompileError: new (message: string) => Error;
}
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/** An AWS SDK checksum's base64 digest of `data`. */
export async function aws(
  h: { update(d: Uint8Array): void; digest(): Promise<Uint8Array> },
  data: Uint8Array,
) {
  h.update(data);
  return b64(await h.digest());
}
