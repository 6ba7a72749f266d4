import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import {
  AwsChunkedDecoder,
  type Checksum,
  ChunkedDecodeError,
  chunkedModeOf,
  createChecksum,
  fromBase64,
  isChecksumAlgorithm,
  type VerifiedAuth,
} from "../core/index.js";
import { BodyPipeline, PIPELINE_MIN_BYTES } from "./body-pipeline.js";
import type { BodyResult } from "./context.js";
import { S3Error } from "./errors.js";

const HEX64 = /^[0-9a-f]{64}$/;

/** Marks an error thrown by the sink (the backend), so it is not mistaken for a broken request stream. */
class SinkError extends Error {}
const CHECKSUM_HEADER = "x-amz-checksum-";

function declaredChecksums(
  headers: Map<string, string>,
): Map<string, { expected: string; hasher: Checksum }> {
  const out = new Map<string, { expected: string; hasher: Checksum }>();
  for (const [name, value] of headers) {
    if (!name.startsWith(CHECKSUM_HEADER) || name === "x-amz-checksum-mode" || name === "x-amz-checksum-type")
      continue;
    const alg = name.slice(CHECKSUM_HEADER.length);
    if (!isChecksumAlgorithm(alg))
      throw new S3Error("InvalidRequest", `The checksum algorithm ${alg} is not supported.`);
    if (!fromBase64(value)) throw new S3Error("InvalidRequest", `Value for ${name} header is invalid.`);
    out.set(alg, { expected: value, hasher: createChecksum(alg) });
  }
  if (out.size > 1) {
    throw new S3Error(
      "InvalidRequest",
      "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
    );
  }
  return out;
}

function checkSdkAlgorithm(headers: Map<string, string>): void {
  const alg = headers.get("x-amz-sdk-checksum-algorithm")?.toLowerCase();
  if (!alg) return;
  const trailer = headers.get("x-amz-trailer")?.toLowerCase() ?? "";
  if (!headers.has(`${CHECKSUM_HEADER}${alg}`) && !trailer.includes(`${CHECKSUM_HEADER}${alg}`)) {
    throw new S3Error(
      "InvalidRequest",
      "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.",
    );
  }
}

function parseLength(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text))
    throw new S3Error("InvalidArgument", `${name} is not a valid length`, [["ArgumentName", name]]);
  return Number(text);
}

/**
 * Reads a request payload: decodes aws-chunked, verifies chunk signatures, x-amz-content-sha256,
 * Content-MD5 and x-amz-checksum-* (header or trailer), and enforces the declared length.
 */
export async function readVerifiedBody(
  req: IncomingMessage,
  headers: Map<string, string>,
  auth: VerifiedAuth | undefined,
  sink: (chunk: Uint8Array) => Promise<void>,
  maxBytes: number,
  /** False when x-amz-checksum-* headers describe something else (CompleteMultipartUpload's object). */
  checksumHeaders = true,
): Promise<BodyResult> {
  const payloadHash = auth?.payloadHash ?? "UNSIGNED-PAYLOAD";
  const mode = chunkedModeOf(payloadHash);
  const contentLength = parseLength(headers.get("content-length"), "Content-Length");
  let declared: number;
  let decoder: AwsChunkedDecoder | undefined;
  if (mode) {
    const decoded = parseLength(headers.get("x-amz-decoded-content-length"), "x-amz-decoded-content-length");
    if (decoded === undefined) throw new S3Error("MissingContentLength");
    declared = decoded;
    try {
      decoder = new AwsChunkedDecoder({
        mode,
        signing:
          mode === "unsigned-trailer" || !auth
            ? undefined
            : {
                amzDate: auth.amzDate,
                scope: auth.scope.value,
                signingKey: auth.signingKey,
                seedSignature: auth.signature,
              },
        accessKeyId: auth?.accessKeyId,
        trailer: headers.get("x-amz-trailer"),
        decodedLength: decoded,
      });
    } catch (err) {
      if (err instanceof ChunkedDecodeError) throw S3Error.fromFailure(err.failure);
      throw err;
    }
  } else {
    if (/chunked/i.test(headers.get("transfer-encoding") ?? "")) {
      throw new S3Error("NotImplemented", undefined, [["Header", "Transfer-Encoding"]]);
    }
    if (contentLength === undefined) throw new S3Error("MissingContentLength");
    declared = contentLength;
  }
  if (declared > maxBytes) {
    throw new S3Error("EntityTooLarge", undefined, [
      ["ProposedSize", String(declared)],
      ["MaxSizeAllowed", String(maxBytes)],
    ]);
  }
  if (checksumHeaders) checkSdkAlgorithm(headers);
  const md5Header = headers.get("content-md5");
  const md5Expected = md5Header === undefined ? undefined : fromBase64(md5Header);
  if (md5Header !== undefined && md5Expected?.length !== 16) throw new S3Error("InvalidDigest");
  const checksums = checksumHeaders ? declaredChecksums(headers) : new Map<string, never>();
  const sha256 = HEX64.test(payloadHash) ? createHash("sha256") : undefined;
  const guardedSink = async (chunk: Uint8Array) => {
    try {
      await sink(chunk);
    } catch (cause) {
      throw new SinkError("sink failed", { cause });
    }
  };
  // Large bodies: writes overlap the socket reads, and md5 runs on a worker thread (sha256 stays here).
  const pipeline = declared >= PIPELINE_MIN_BYTES ? new BodyPipeline(guardedSink) : undefined;
  const md5 = pipeline ? undefined : createHash("md5");

  let length = 0;
  const take = async (piece: Uint8Array) => {
    length += piece.length;
    sha256?.update(piece);
    for (const c of checksums.values()) c.hasher.update(piece);
    if (md5) {
      md5.update(piece);
      await guardedSink(piece);
    } else {
      await pipeline!.push(piece).catch((err: unknown) => {
        throw err instanceof SinkError ? err : new SinkError("hashing failed", { cause: err });
      });
    }
  };
  let md5Hex: string;
  let finished = false;
  try {
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        if (decoder) for (const piece of await decoder.push(chunk)) await take(piece);
        else await take(chunk);
      }
    } catch (err) {
      if (err instanceof SinkError) throw err.cause;
      if (err instanceof ChunkedDecodeError) throw S3Error.fromFailure(err.failure);
      if (err instanceof S3Error) throw err;
      throw new S3Error("IncompleteBody");
    }
    md5Hex = md5
      ? md5.digest("hex")
      : (
          await pipeline!.finish().catch((err: unknown) => {
            throw err instanceof SinkError ? err.cause : err;
          })
        ).toString("hex");
    finished = true;
  } finally {
    // Every write has settled before the caller discards what the sink wrote.
    if (!finished) await pipeline?.abandon();
  }
  const result: BodyResult = { length, etag: `"${md5Hex}"`, checksums: {} };
  if (decoder) {
    try {
      const { trailers } = await decoder.end();
      for (const [name, value] of trailers) {
        if (name.startsWith(CHECKSUM_HEADER)) result.checksums[name.slice(CHECKSUM_HEADER.length)] = value;
      }
    } catch (err) {
      if (err instanceof ChunkedDecodeError) throw S3Error.fromFailure(err.failure);
      throw err;
    }
  } else if (length !== declared) {
    throw new S3Error("IncompleteBody");
  }
  if (
    md5Expected &&
    Buffer.compare(Buffer.from(md5Expected), Buffer.from(result.etag.slice(1, -1), "hex")) !== 0
  ) {
    throw new S3Error("BadDigest");
  }
  if (sha256 && sha256.digest("hex") !== payloadHash) throw new S3Error("XAmzContentSHA256Mismatch");
  for (const [alg, { expected, hasher }] of checksums) {
    if ((await hasher.digestBase64()) !== expected) {
      throw new S3Error(
        "BadDigest",
        `The ${alg.toUpperCase()} you specified did not match the calculated checksum.`,
      );
    }
    result.checksums[alg] = expected;
  }
  return result;
}
