export { fromBase64, toBase64 } from "../util/base64.js";
/**
 * The one crypto seam of core. On Node (and runtimes exposing `process.getBuiltinModule`) it uses
 * `node:crypto` synchronously; elsewhere it falls back to WebCrypto. Core never imports Node, so the
 * module is looked up at run time.
 */
export type Bytes = Uint8Array;
export type Data = string | Uint8Array;
export type MaybePromise<T> = T | Promise<T>;

interface NodeHash {
  update(data: Data): NodeHash;
  digest(): Uint8Array;
  digest(encoding: "hex" | "base64"): string;
}
interface NodeCrypto {
  /** One-shot digest (Node 20.12+): about twice as fast as createHash for short inputs. */
  hash?(algorithm: string, data: Data, outputEncoding: "hex" | "latin1"): string;
  createHash(algorithm: string): NodeHash;
  createHmac(algorithm: string, key: Data): NodeHash;
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

function loadNodeCrypto(): NodeCrypto | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return proc?.getBuiltinModule?.("node:crypto") as NodeCrypto | undefined;
  } catch {
    return undefined;
  }
}

let nodeCrypto: NodeCrypto | undefined = loadNodeCrypto();
const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toBytes(data: Data): Bytes {
  return typeof data === "string" ? encoder.encode(data) : data;
}

export function toHex(bytes: Bytes): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

export function fromHex(hex: string): Bytes | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Which implementation is active: tests use this to exercise the WebCrypto path on Node too. */
export function cryptoBackend(): "node" | "webcrypto" {
  return nodeCrypto ? "node" : "webcrypto";
}

/** Test hook: force the WebCrypto fallback (true) or restore run-time detection (false). */
export function forceWebCrypto(force: boolean): void {
  nodeCrypto = force ? undefined : loadNodeCrypto();
}

function subtle() {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error("upgate: no node:crypto and no WebCrypto (crypto.subtle) in this runtime");
  return s;
}

function asBuffer(data: Data): ArrayBuffer {
  const bytes = toBytes(data);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function sha256(data: Data): MaybePromise<Bytes> {
  if (nodeCrypto) return nodeCrypto.createHash("sha256").update(data).digest();
  return subtle()
    .digest("SHA-256", asBuffer(data))
    .then((b) => new Uint8Array(b));
}

export function sha256Hex(data: Data): MaybePromise<string> {
  if (nodeCrypto) {
    return nodeCrypto.hash
      ? nodeCrypto.hash("sha256", data, "hex")
      : nodeCrypto.createHash("sha256").update(data).digest("hex");
  }
  return (sha256(data) as Promise<Bytes>).then(toHex);
}

export function hmacSha256(key: Data, data: Data): MaybePromise<Bytes> {
  if (nodeCrypto) return nodeCrypto.createHmac("sha256", key).update(data).digest();
  const s = subtle();
  return s
    .importKey("raw", asBuffer(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
    .then((k) => s.sign("HMAC", k, asBuffer(data)))
    .then((b) => new Uint8Array(b));
}

export function hmacSha256Hex(key: Data, data: Data): MaybePromise<string> {
  if (nodeCrypto) {
    if (nodeCrypto.hash && typeof data === "string" && typeof key !== "string" && key.length <= 64) {
      const hex = hmacHexOneShot(nodeCrypto, key, data);
      if (hex !== undefined) return hex;
    }
    return nodeCrypto.createHmac("sha256", key).update(data).digest("hex");
  }
  return (hmacSha256(key, data) as Promise<Bytes>).then(toHex);
}

const MAX_ONE_SHOT = 16 * 1024;
let block = new Uint8Array(1024);
const outerBlock = new Uint8Array(96);

/**
 * HMAC-SHA-256 (RFC 2104) as two one-shot hashes, H((K ^ opad) || H((K ^ ipad) || m)), for keys of
 * at most one block. For the short strings SigV4 signs this is faster than createHmac, which builds
 * a native object per call. The work is synchronous, so one scratch buffer serves every call. The
 * inner digest comes back as a latin1 string (one char per byte): a Buffer result costs more.
 * Undefined when the message is too long for the scratch buffer (the caller uses createHmac).
 */
function hmacHexOneShot(node: NodeCrypto, key: Bytes, data: string): string | undefined {
  const need = 64 + data.length * 3;
  if (need > MAX_ONE_SHOT) return undefined;
  if (block.length < need) block = new Uint8Array(need);
  const n = key.length;
  for (let i = 0; i < 64; i++) {
    const k = i < n ? key[i]! : 0;
    block[i] = k ^ 0x36;
    outerBlock[i] = k ^ 0x5c;
  }
  const { written } = encoder.encodeInto(data, block.subarray(64));
  const inner = node.hash!("sha256", block.subarray(0, 64 + written), "latin1");
  for (let i = 0; i < 32; i++) outerBlock[64 + i] = inner.charCodeAt(i);
  return node.hash!("sha256", outerBlock, "hex");
}

/** Incremental digest. The WebCrypto fallback buffers, since SubtleCrypto has no streaming digest. */
export interface IncrementalHash {
  update(data: Data): void;
  digest(): MaybePromise<Bytes>;
}

export function createHash(algorithm: "sha256" | "sha1" | "md5"): IncrementalHash {
  if (nodeCrypto) {
    const h = nodeCrypto.createHash(algorithm);
    return { update: (d) => void h.update(d), digest: () => h.digest() };
  }
  if (algorithm === "md5") throw new Error("upgate: MD5 needs node:crypto (WebCrypto has no MD5)");
  const parts: Bytes[] = [];
  let total = 0;
  return {
    update(d) {
      const b = toBytes(d);
      // Callers may reuse their buffers; keep our own copy.
      parts.push(b.slice());
      total += b.length;
    },
    async digest() {
      const all = new Uint8Array(total);
      let off = 0;
      for (const p of parts) {
        all.set(p, off);
        off += p.length;
      }
      const name = algorithm === "sha1" ? "SHA-1" : "SHA-256";
      return new Uint8Array(await subtle().digest(name, all.buffer as ArrayBuffer));
    },
  };
}

/** Compares two ASCII strings (hex signatures) without an early exit. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
