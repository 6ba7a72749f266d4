import { createHash } from "node:crypto";
import { crc32 as zlibCrc32 } from "node:zlib";
import fc from "fast-check";
import { ChunkSigner, encodeAwsChunked } from "../../src/core/sigv4/chunked.js";
import {
  AwsChunkedDecoder,
  ChunkedDecodeError,
  type ChunkedMode,
} from "../../src/core/sigv4/chunked-decoder.js";
import type { SigV4Failure } from "../../src/core/sigv4/failure.js";
import { type ChunkSigningContext, signRequest } from "../../src/core/sigv4/sign-request.js";
import { verifyAuthorizationHeader } from "../../src/core/sigv4/verify.js";

export const TRAILERS = [
  "x-amz-checksum-crc32",
  "x-amz-checksum-crc32c",
  "x-amz-checksum-sha256",
  "x-amz-checksum-sha1",
];

/** Bitwise CRC-32C (Castagnoli, reflected 0x82F63B78), slow and obviously right. */
export function referenceCrc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Bitwise CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5), in BigInt: slow, and independent of the engine's. */
function referenceCrc64nvme(data: Uint8Array): bigint {
  const mask = (1n << 64n) - 1n;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ 0x9a6c9329ac4bc9b5n : crc >> 1n;
  }
  return crc ^ mask;
}

const crcBase64 = (n: number) =>
  Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]).toString("base64");

/** The trailer value S3 expects, computed without the engine. */
export function checksumOf(name: string, data: Uint8Array): string {
  switch (name) {
    case "x-amz-checksum-crc32":
      return crcBase64(zlibCrc32(data));
    case "x-amz-checksum-crc32c":
      return crcBase64(referenceCrc32c(data));
    case "x-amz-checksum-crc64nvme": {
      const out = Buffer.alloc(8);
      out.writeBigUInt64BE(referenceCrc64nvme(data));
      return out.toString("base64");
    }
    default:
      return createHash(name.slice("x-amz-checksum-".length)).update(data).digest("base64");
  }
}

export interface ChunkedSpec {
  mode: ChunkedMode;
  payload: Uint8Array;
  chunkSize: number;
  trailer: string;
  /** How the wire bytes are cut before being pushed into the decoder. */
  cuts: number[];
}

export const chunkedSpecArb: fc.Arbitrary<ChunkedSpec> = fc.record({
  mode: fc.constantFrom<ChunkedMode>("signed", "signed-trailer", "unsigned-trailer"),
  payload: fc.uint8Array({ maxLength: 3000 }),
  chunkSize: fc.integer({ min: 1, max: 1024 }),
  trailer: fc.constantFrom(...TRAILERS),
  cuts: fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 30 }),
});

const MODE_HASH: Record<ChunkedMode, string> = {
  signed: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
  "signed-trailer": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
  "unsigned-trailer": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
};

export interface Encoded {
  spec: ChunkedSpec;
  wire: Uint8Array;
  /** The context the server gets from verifying the seed request (not the signer's own). */
  signing: ChunkSigningContext;
  trailers: Array<[string, string]>;
  contentLength: number;
}

const date = new Date("2024-05-06T07:08:09Z");
const credentials = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "s3cr3t" };

export async function encode(spec: ChunkedSpec): Promise<Encoded> {
  const trailers: Array<[string, string]> =
    spec.mode === "signed" ? [] : [[spec.trailer, checksumOf(spec.trailer, spec.payload)]];
  const url = "https://uploads.s3.us-east-1.amazonaws.com/k";
  const seed = await signRequest({
    method: "PUT",
    url,
    headers: {
      "content-encoding": "aws-chunked",
      "x-amz-decoded-content-length": String(spec.payload.length),
      ...(trailers.length ? { "x-amz-trailer": spec.trailer } : {}),
    },
    payloadHash: MODE_HASH[spec.mode],
    region: "us-east-1",
    credentials,
    date,
  });
  const signer = spec.mode === "unsigned-trailer" ? undefined : new ChunkSigner(seed.chunkSigning);
  const wire = await encodeAwsChunked(spec.payload, spec.chunkSize, {
    ...(signer ? { signer } : {}),
    trailers,
  });
  const verified = await verifyAuthorizationHeader(
    { method: "PUT", url, headers: [["host", new URL(url).host], ...Object.entries(seed.headers)] },
    { region: "us-east-1", lookupSecret: () => credentials.secretAccessKey, now: date },
  );
  if (!verified.ok) throw new Error(`seed request refused: ${verified.error.code}`);
  const { auth } = verified;
  const signing = {
    amzDate: auth.amzDate,
    scope: auth.scope.value,
    signingKey: auth.signingKey,
    seedSignature: auth.signature,
  };
  return { spec, wire, signing, trailers, contentLength: wire.length };
}

export type Decoded =
  | { ok: true; payload: Uint8Array; decodedLength: number }
  | { ok: false; error: SigV4Failure };

/** Pushes `wire` in the spec's pieces and ends; a ChunkedDecodeError becomes its failure. */
export async function decode(
  e: Encoded,
  wire = e.wire,
  decodedLength = e.spec.payload.length,
): Promise<Decoded> {
  try {
    const decoder = new AwsChunkedDecoder({
      mode: e.spec.mode,
      ...(e.spec.mode === "unsigned-trailer" ? {} : { signing: e.signing }),
      accessKeyId: "AKIAEXAMPLE",
      ...(e.trailers.length ? { trailer: e.spec.trailer } : {}),
      decodedLength,
    });
    const out: Uint8Array[] = [];
    let off = 0;
    for (let i = 0; off < wire.length; i++) {
      const n = e.spec.cuts[i % e.spec.cuts.length]!;
      // The decoder may hand back views of its input: copy before the next push.
      for (const piece of await decoder.push(wire.slice(off, off + n))) out.push(piece.slice());
      off += n;
    }
    const end = await decoder.end();
    return { ok: true, payload: Buffer.concat(out), decodedLength: end.decodedLength };
  } catch (err) {
    if (err instanceof ChunkedDecodeError) return { ok: false, error: err.failure };
    throw err;
  }
}

/** Byte ranges [start, end) of each part of an aws-chunked body, found by reading the framing. */
export interface Layout {
  sizes: Array<[number, number]>;
  chunkSignatures: Array<[number, number]>;
  data: Array<[number, number]>;
  crs: number[];
  trailerValues: Array<[number, number]>;
  trailerSignature: [number, number] | undefined;
}

export function layout(wire: Uint8Array): Layout {
  const text = Buffer.from(wire).toString("latin1");
  const out: Layout = {
    sizes: [],
    chunkSignatures: [],
    data: [],
    crs: [],
    trailerValues: [],
    trailerSignature: undefined,
  };
  let at = 0;
  const line = () => {
    const end = text.indexOf("\r\n", at);
    const start = at;
    out.crs.push(end);
    at = end + 2;
    return { start, text: text.slice(start, end) };
  };
  for (;;) {
    const h = line();
    const semi = h.text.indexOf(";");
    const sizeText = semi === -1 ? h.text : h.text.slice(0, semi);
    out.sizes.push([h.start, h.start + sizeText.length]);
    if (semi !== -1)
      out.chunkSignatures.push([h.start + semi + "chunk-signature=".length + 1, h.start + h.text.length]);
    const size = Number.parseInt(sizeText, 16);
    if (size === 0) break;
    out.data.push([at, at + size]);
    at += size;
    out.crs.push(at);
    at += 2;
  }
  for (let t = line(); t.text !== ""; t = line()) {
    const colon = t.text.indexOf(":");
    const range: [number, number] = [t.start + colon + 1, t.start + t.text.length];
    if (t.text.startsWith("x-amz-trailer-signature:")) out.trailerSignature = range;
    else out.trailerValues.push(range);
  }
  return out;
}

/** A copy of `wire` with the byte at `i` replaced. */
export function withByte(wire: Uint8Array, i: number, byte: number): Uint8Array {
  const copy = wire.slice();
  copy[i] = byte;
  return copy;
}
