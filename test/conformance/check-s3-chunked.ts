import { expect } from "vitest";
import { STREAMING_PAYLOAD } from "../../src/core/sigv4/canonical.js";
import {
  awsChunkedLength,
  ChunkSigner,
  canonicalTrailers,
  encodeAwsChunked,
} from "../../src/core/sigv4/chunked.js";
import { type SignedRequest, signRequest } from "../../src/core/sigv4/sign-request.js";
import { amzDateToDate, type S3DocExamples } from "./vectors.js";

/** The sigv4-streaming example, read from the JSON's one-line description of it. */
export interface ChunkedExample {
  method: string;
  path: string;
  host: string;
  amzDate: string;
  payload: Uint8Array;
  chunkSizes: number[];
}

export function chunkedExample(ex: S3DocExamples): ChunkedExample {
  const m =
    /^(\w+) (\/\S+), host (\S+), x-amz-date (\d{8}T\d{6}Z), (\d+) bytes of '(.)' sent as chunks of ([\d +]+)$/.exec(
      ex.chunkedUpload.request,
    );
  if (!m) throw new Error(`unexpected chunked example description: ${ex.chunkedUpload.request}`);
  const [, method, path, host, amzDate, length, byte, sizes] = m as unknown as string[];
  return {
    method: method!,
    path: path!,
    host: host!,
    amzDate: amzDate!,
    payload: new Uint8Array(Number(length)).fill(byte!.charCodeAt(0)),
    chunkSizes: sizes!.split("+").map((s) => Number(s.trim())),
  };
}

/** The seed request: aws-chunked, its wire length from awsChunkedLength, stored as REDUCED_REDUNDANCY. */
export function signSeed(ex: S3DocExamples, c: ChunkedExample): Promise<SignedRequest> {
  return signRequest({
    method: c.method,
    url: `https://${c.host}${c.path}`,
    headers: {
      "Content-Encoding": "aws-chunked",
      "Content-Length": String(awsChunkedLength(c.payload.length, c.chunkSizes[0]!, { signed: true })),
      "x-amz-decoded-content-length": String(c.payload.length),
      "x-amz-storage-class": "REDUCED_REDUNDANCY",
    },
    payloadHash: STREAMING_PAYLOAD,
    region: ex.presignedGet.region,
    credentials: ex.credentials,
    date: amzDateToDate(c.amzDate),
  });
}

/** The payload cut into the example's chunks (the last, empty one included). */
export function chunksOf(c: ChunkedExample): Uint8Array[] {
  let offset = 0;
  return c.chunkSizes.map((size) => {
    const chunk = c.payload.subarray(offset, offset + size);
    offset += size;
    return chunk;
  });
}

/** "name:value\n" lines back into pairs. */
export function trailerPairs(canonical: string): Array<[string, string]> {
  return canonical
    .split("\n")
    .filter(Boolean)
    .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1)]);
}

export async function checkSeed(ex: S3DocExamples): Promise<SignedRequest> {
  const c = chunkedExample(ex);
  expect(c.payload.length).toBe(c.chunkSizes.reduce((a, b) => a + b, 0));
  const seed = await signSeed(ex, c);
  expect(seed.canonicalRequest).toBe(ex.chunkedUpload.seedCanonicalRequest);
  expect(seed.signature).toBe(ex.chunkedUpload.seedSignature);
  return seed;
}

/** Each chunk chained to the one before, then the trailer chained to the final (empty) chunk. */
export async function checkChunksAndTrailer(ex: S3DocExamples): Promise<void> {
  const c = chunkedExample(ex);
  const signer = new ChunkSigner((await signSeed(ex, c)).chunkSigning);
  const signatures: string[] = [];
  for (const chunk of chunksOf(c)) signatures.push(await signer.sign(chunk));
  expect(signatures).toEqual(ex.chunkedUpload.chunkSignatures);

  const trailers = trailerPairs(ex.chunkedUpload.trailer.canonicalTrailers);
  expect(canonicalTrailers(trailers)).toBe(ex.chunkedUpload.trailer.canonicalTrailers);
  expect(await signer.signTrailer(trailers)).toBe(ex.chunkedUpload.trailer.signature);
}

/** The wire length, computed and actually encoded, is the Content-Length the seed signs. */
export async function checkEncodedLength(ex: S3DocExamples): Promise<Uint8Array> {
  const c = chunkedExample(ex);
  const size = c.chunkSizes[0]!;
  expect(awsChunkedLength(c.payload.length, size, { signed: true })).toBe(
    ex.chunkedUpload.encodedContentLength,
  );
  const signer = new ChunkSigner((await signSeed(ex, c)).chunkSigning);
  const body = await encodeAwsChunked(c.payload, size, { signer });
  expect(body.length).toBe(ex.chunkedUpload.encodedContentLength);
  const text = new TextDecoder().decode(body);
  for (const sig of ex.chunkedUpload.chunkSignatures) expect(text).toContain(`;chunk-signature=${sig}\r\n`);
  return body;
}
