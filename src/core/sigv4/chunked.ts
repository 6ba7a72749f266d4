import { EMPTY_SHA256 } from "./canonical.js";
import { type Bytes, hmacSha256Hex, sha256Hex, toBytes } from "./crypto.js";
import type { ChunkSigningContext } from "./sign-request.js";

export function chunkStringToSign(
  amzDate: string,
  scope: string,
  previousSignature: string,
  chunkHash: string,
): string {
  return `AWS4-HMAC-SHA256-PAYLOAD\n${amzDate}\n${scope}\n${previousSignature}\n${EMPTY_SHA256}\n${chunkHash}`;
}

export function trailerStringToSign(
  amzDate: string,
  scope: string,
  previousSignature: string,
  trailerHash: string,
): string {
  return `AWS4-HMAC-SHA256-TRAILER\n${amzDate}\n${scope}\n${previousSignature}\n${trailerHash}`;
}

/** `name:value\n` for each trailer, the form whose hash the trailer signature covers. */
export function canonicalTrailers(trailers: ReadonlyArray<readonly [string, string]>): string {
  let out = "";
  for (const [name, value] of trailers) out += `${name.toLowerCase()}:${value.trim()}\n`;
  return out;
}

/** Signs aws-chunked chunks in order, each signature chained to the one before, then the trailer. */
export class ChunkSigner {
  private previous: string;
  constructor(private readonly ctx: ChunkSigningContext) {
    this.previous = ctx.seedSignature;
  }

  /** Signature of the next chunk (an empty chunk ends the payload). */
  async sign(chunk: Bytes): Promise<string> {
    const sts = chunkStringToSign(this.ctx.amzDate, this.ctx.scope, this.previous, await sha256Hex(chunk));
    this.previous = await hmacSha256Hex(this.ctx.signingKey, sts);
    return this.previous;
  }

  async signTrailer(trailers: ReadonlyArray<readonly [string, string]>): Promise<string> {
    const hash = await sha256Hex(canonicalTrailers(trailers));
    this.previous = await hmacSha256Hex(
      this.ctx.signingKey,
      trailerStringToSign(this.ctx.amzDate, this.ctx.scope, this.previous, hash),
    );
    return this.previous;
  }
}

/** `hex(size);chunk-signature=sig\r\n` (signed) or `hex(size)\r\n` (unsigned). */
export function chunkHeader(size: number, signature?: string): string {
  return signature ? `${size.toString(16)};chunk-signature=${signature}\r\n` : `${size.toString(16)}\r\n`;
}

export interface ChunkedLayout {
  signed: boolean;
  /** Trailer names and the length of each value, e.g. [["x-amz-checksum-crc32", 8]]. */
  trailers?: ReadonlyArray<readonly [string, number]>;
}

/**
 * The encoded (wire) length of an aws-chunked body, the Content-Length that the seed request signs.
 */
export function awsChunkedLength(decodedLength: number, chunkSize: number, layout: ChunkedLayout): number {
  const sigPart = layout.signed ? ";chunk-signature=".length + 64 : 0;
  const header = (n: number) => n.toString(16).length + sigPart + 2;
  let total = 0;
  const full = Math.floor(decodedLength / chunkSize);
  total += full * (header(chunkSize) + chunkSize + 2);
  const rest = decodedLength - full * chunkSize;
  if (rest > 0) total += header(rest) + rest + 2;
  total += header(0);
  if (layout.trailers && layout.trailers.length > 0) {
    for (const [name, len] of layout.trailers) total += name.length + 1 + len + 2;
    if (layout.signed) total += "x-amz-trailer-signature:".length + 64 + 2;
  }
  return total + 2;
}

/**
 * Encodes a whole payload as aws-chunked. Meant for tests and small bodies; streaming callers use
 * ChunkSigner and chunkHeader directly.
 */
export async function encodeAwsChunked(
  payload: Bytes,
  chunkSize: number,
  options: { signer?: ChunkSigner; trailers?: ReadonlyArray<readonly [string, string]> } = {},
): Promise<Bytes> {
  const pieces: Bytes[] = [];
  const { signer, trailers } = options;
  for (let off = 0; ; off += chunkSize) {
    const chunk = payload.subarray(off, Math.min(off + chunkSize, payload.length));
    const sig = signer ? await signer.sign(chunk) : undefined;
    pieces.push(toBytes(chunkHeader(chunk.length, sig)));
    if (chunk.length === 0) break;
    pieces.push(chunk, toBytes("\r\n"));
  }
  let tail = "";
  if (trailers && trailers.length > 0) {
    for (const [name, value] of trailers) tail += `${name}:${value}\r\n`;
    if (signer) tail += `x-amz-trailer-signature:${await signer.signTrailer(trailers)}\r\n`;
  }
  pieces.push(toBytes(`${tail}\r\n`));
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of pieces) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
