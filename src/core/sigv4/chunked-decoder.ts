import { STREAMING_PAYLOAD, STREAMING_PAYLOAD_TRAILER, STREAMING_UNSIGNED_TRAILER } from "./canonical.js";
import { type Checksum, createChecksum, isChecksumAlgorithm } from "./checksums.js";
import { canonicalTrailers, chunkStringToSign, trailerStringToSign } from "./chunked.js";
import {
  type Bytes,
  constantTimeEqual,
  createHash,
  hmacSha256Hex,
  type IncrementalHash,
  sha256Hex,
  toHex,
} from "./crypto.js";
import { failure, type SigV4Failure, signatureMismatch } from "./failure.js";
import type { ChunkSigningContext } from "./sign-request.js";

export type ChunkedMode = "signed" | "signed-trailer" | "unsigned-trailer";

/** Maps x-amz-content-sha256 to the aws-chunked mode it announces, if any. */
export function chunkedModeOf(payloadHash: string): ChunkedMode | undefined {
  if (payloadHash === STREAMING_PAYLOAD) return "signed";
  if (payloadHash === STREAMING_PAYLOAD_TRAILER) return "signed-trailer";
  if (payloadHash === STREAMING_UNSIGNED_TRAILER) return "unsigned-trailer";
  return undefined;
}

export interface ChunkedDecoderOptions {
  mode: ChunkedMode;
  /** Required for the signed modes: the seed request's date, scope, key and signature. */
  signing?: ChunkSigningContext;
  accessKeyId?: string;
  /** The x-amz-trailer header: the trailer names the body must end with. */
  trailer?: string;
  /** x-amz-decoded-content-length; the decoded payload must be exactly this long. */
  decodedLength?: number;
  /** Largest chunk accepted (default 64 MiB). */
  maxChunkSize?: number;
}

/** Thrown by the decoder with the S3 error to send. */
export class ChunkedDecodeError extends Error {
  constructor(readonly failure: SigV4Failure) {
    super(failure.message);
  }
}

const CR = 13;
const LF = 10;
const MAX_LINE = 4096;
const decoder = new TextDecoder();
const malformed = (why: string) =>
  new ChunkedDecodeError(failure("InvalidRequest", `The aws-chunked request body is malformed: ${why}`));
const incomplete = () =>
  new ChunkedDecodeError(
    failure(
      "IncompleteBody",
      "You did not provide the number of bytes specified by the Content-Length HTTP header",
    ),
  );

type State = "header" | "data" | "data-crlf" | "trailer" | "done";

/**
 * Streaming aws-chunked decoder: push wire bytes in, get payload bytes out. It checks every chunk
 * signature (signed modes), the trailer signature, and the trailing checksum against the payload.
 * Payload bytes are released before their chunk is verified, so callers must not commit anything
 * until end() resolves.
 */
export class AwsChunkedDecoder {
  private state: State = "header";
  private line: number[] = [];
  private remaining = 0;
  private chunkSignature = "";
  private chunkHash: IncrementalHash | undefined;
  private previous: string;
  private decoded = 0;
  private readonly trailers = new Map<string, string>();
  private trailerSignature: string | undefined;
  private readonly expectedTrailers: string[];
  private readonly checksums = new Map<string, Checksum>();
  private readonly signed: boolean;
  private readonly maxChunk: number;

  constructor(private readonly options: ChunkedDecoderOptions) {
    this.signed = options.mode !== "unsigned-trailer";
    if (this.signed && !options.signing)
      throw new Error("signed aws-chunked decoding needs the signing context");
    this.previous = options.signing?.seedSignature ?? "";
    this.maxChunk = options.maxChunkSize ?? 64 * 1024 * 1024;
    this.expectedTrailers = (options.trailer ?? "")
      .split(",")
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean);
    if (
      options.mode !== "signed" &&
      this.expectedTrailers.length === 0 &&
      options.mode === "unsigned-trailer"
    ) {
      throw new ChunkedDecodeError(
        failure("InvalidRequest", "STREAMING-UNSIGNED-PAYLOAD-TRAILER needs an x-amz-trailer header"),
      );
    }
    for (const name of this.expectedTrailers) {
      const alg = name.startsWith("x-amz-checksum-") ? name.slice("x-amz-checksum-".length) : "";
      if (!isChecksumAlgorithm(alg)) {
        throw new ChunkedDecodeError(failure("InvalidRequest", `Unsupported trailer ${name}`));
      }
      this.checksums.set(name, createChecksum(alg));
    }
  }

  get decodedBytes(): number {
    return this.decoded;
  }

  async push(input: Bytes): Promise<Bytes[]> {
    const out: Bytes[] = [];
    let i = 0;
    while (i < input.length) {
      switch (this.state) {
        case "data": {
          const take = Math.min(this.remaining, input.length - i);
          const piece = input.subarray(i, i + take);
          this.chunkHash?.update(piece);
          for (const c of this.checksums.values()) c.update(piece);
          out.push(piece);
          this.decoded += take;
          if (this.options.decodedLength !== undefined && this.decoded > this.options.decodedLength) {
            // S3 answers IncompleteBody for a decoded length that is off either way (versitygw #1684).
            throw incomplete();
          }
          this.remaining -= take;
          i += take;
          if (this.remaining === 0) this.state = "data-crlf";
          break;
        }
        case "done":
          throw malformed("data after the final chunk");
        default: {
          const byte = input[i++]!;
          if (byte !== LF) {
            if (this.line.length >= MAX_LINE) throw malformed("line too long");
            this.line.push(byte);
            break;
          }
          if (this.line[this.line.length - 1] !== CR) throw malformed("line not ended by CRLF");
          this.line.pop();
          const text = decoder.decode(new Uint8Array(this.line));
          this.line = [];
          await this.onLine(text);
        }
      }
    }
    return out;
  }

  private async onLine(text: string): Promise<void> {
    if (this.state === "data-crlf") {
      if (text !== "") throw malformed("chunk data longer than its declared size");
      await this.finishChunk();
      this.state = "header";
      return;
    }
    if (this.state === "header") return this.onChunkHeader(text);
    if (this.state === "trailer") return this.onTrailerLine(text);
  }

  private async onChunkHeader(text: string): Promise<void> {
    const semi = text.indexOf(";");
    const sizeText = semi === -1 ? text : text.slice(0, semi);
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText))
      throw malformed(`bad chunk size ${JSON.stringify(sizeText.slice(0, 32))}`);
    const size = Number.parseInt(sizeText, 16);
    if (size > this.maxChunk)
      throw malformed(`chunk of ${size} bytes exceeds the ${this.maxChunk}-byte limit`);
    if (this.signed) {
      const ext = semi === -1 ? "" : text.slice(semi + 1);
      if (!ext.startsWith("chunk-signature=")) throw malformed("chunk without chunk-signature");
      this.chunkSignature = ext.slice("chunk-signature=".length);
      this.chunkHash = createHash("sha256");
    }
    this.remaining = size;
    if (size > 0) {
      this.state = "data";
      return;
    }
    await this.finishChunk();
    this.state = "trailer";
  }

  private async finishChunk(): Promise<void> {
    if (!this.signed || !this.chunkHash) return;
    const ctx = this.options.signing!;
    const hash = toHex(await this.chunkHash.digest());
    const sts = chunkStringToSign(ctx.amzDate, ctx.scope, this.previous, hash);
    const expected = await hmacSha256Hex(ctx.signingKey, sts);
    if (!constantTimeEqual(expected, this.chunkSignature)) {
      throw new ChunkedDecodeError(
        signatureMismatch(this.options.accessKeyId ?? "", sts, this.chunkSignature, ""),
      );
    }
    this.previous = expected;
    this.chunkHash = undefined;
  }

  private async onTrailerLine(text: string): Promise<void> {
    if (text === "") {
      this.state = "done";
      return;
    }
    const colon = text.indexOf(":");
    if (colon <= 0) throw malformed("bad trailer line");
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (name === "x-amz-trailer-signature") this.trailerSignature = value;
    else if (this.trailerSignature !== undefined) throw malformed("trailer after x-amz-trailer-signature");
    else this.trailers.set(name, value);
  }

  /** Call once the body has ended: checks completeness, the trailer signature and checksums. */
  async end(): Promise<{ trailers: Map<string, string>; decodedLength: number }> {
    if (this.state !== "done") throw incomplete();
    if (this.options.decodedLength !== undefined && this.decoded !== this.options.decodedLength)
      throw incomplete();
    for (const name of this.expectedTrailers) {
      if (!this.trailers.has(name)) throw malformed(`missing trailer ${name}`);
    }
    for (const name of this.trailers.keys()) {
      if (!this.expectedTrailers.includes(name))
        throw malformed(`trailer ${name} was not announced in x-amz-trailer`);
    }
    if (this.options.mode === "signed-trailer") {
      const ctx = this.options.signing!;
      const pairs = [...this.trailers.entries()];
      const sts = trailerStringToSign(
        ctx.amzDate,
        ctx.scope,
        this.previous,
        await sha256Hex(canonicalTrailers(pairs)),
      );
      const expected = await hmacSha256Hex(ctx.signingKey, sts);
      if (this.trailerSignature === undefined || !constantTimeEqual(expected, this.trailerSignature)) {
        throw new ChunkedDecodeError(
          signatureMismatch(this.options.accessKeyId ?? "", sts, this.trailerSignature ?? "", ""),
        );
      }
    } else if (this.trailerSignature !== undefined) {
      throw malformed("x-amz-trailer-signature in an unsigned payload");
    }
    for (const [name, checksum] of this.checksums) {
      const actual = await checksum.digestBase64();
      if (actual !== this.trailers.get(name)) {
        const alg = name.slice("x-amz-checksum-".length).toUpperCase();
        throw new ChunkedDecodeError(
          failure("BadDigest", `The ${alg} you specified did not match the calculated checksum.`),
        );
      }
    }
    return { trailers: this.trailers, decodedLength: this.decoded };
  }
}
