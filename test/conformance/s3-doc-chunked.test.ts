import { describe, expect, it } from "vitest";
import { AwsChunkedDecoder, ChunkedDecodeError } from "../../src/core/sigv4/chunked-decoder.js";
import type { ChunkSigningContext } from "../../src/core/sigv4/sign-request.js";
import { verifyAuthorizationHeader } from "../../src/core/sigv4/verify.js";
import {
  checkChunksAndTrailer,
  checkEncodedLength,
  checkSeed,
  chunkedExample,
  signSeed,
} from "./check-s3-chunked.js";
import { amzDateToDate, loadS3DocExamples } from "./vectors.js";

const ex = loadS3DocExamples();

/** The server side: verify the seed request, then decode the body with the context it yields. */
async function serverContext(): Promise<ChunkSigningContext> {
  const c = chunkedExample(ex);
  const seed = await signSeed(ex, c);
  const verified = await verifyAuthorizationHeader(
    { method: c.method, url: c.path, headers: { ...seed.headers, host: c.host } },
    {
      region: ex.presignedGet.region,
      lookupSecret: (id) => (id === ex.credentials.accessKeyId ? ex.credentials.secretAccessKey : undefined),
      now: new Date(amzDateToDate(c.amzDate).getTime() + 60_000),
    },
  );
  if (!verified.ok) throw new Error(`seed request rejected: ${verified.error.code}`);
  const { amzDate, scope, signingKey, signature } = verified.auth;
  return { amzDate, scope: scope.value, signingKey, seedSignature: signature };
}

async function decode(body: Uint8Array, signing: ChunkSigningContext): Promise<Uint8Array> {
  const c = chunkedExample(ex);
  const decoder = new AwsChunkedDecoder({ mode: "signed", signing, decodedLength: c.payload.length });
  const pieces = await decoder.push(body);
  await decoder.end();
  return new Uint8Array(pieces.flatMap((p) => [...p]));
}

describe("S3 streaming (aws-chunked) example", () => {
  it("seed request: canonical request and signature", async () => {
    await checkSeed(ex);
  });

  it("chunk signatures 65536 + 1024 + 0, then the trailer signature from the final chunk's", async () => {
    await checkChunksAndTrailer(ex);
  });

  it("encoded content length 66824, computed and encoded", async () => {
    await checkEncodedLength(ex);
  });

  it("the verified seed's context decodes the encoded body back to the payload", async () => {
    const body = await checkEncodedLength(ex);
    expect(await decode(body, await serverContext())).toEqual(chunkedExample(ex).payload);
  });

  it("one changed payload byte fails that chunk's signature", async () => {
    const body = (await checkEncodedLength(ex)).slice();
    const at = body.length - 2000;
    body[at] = body[at]! ^ 1;
    const error = await decode(body, await serverContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChunkedDecodeError);
    expect((error as ChunkedDecodeError).failure.code).toBe("SignatureDoesNotMatch");
  });
});
