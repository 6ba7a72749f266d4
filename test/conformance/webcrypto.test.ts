import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cryptoBackend, forceWebCrypto, sha256Hex } from "../../src/core/sigv4/crypto.js";
import { clearSigningKeyCache } from "../../src/core/sigv4/signing-key.js";
import { checkHeaderSigning, checkQuerySigning } from "./check-aws-c-auth.js";
import { checkBotocoreCase } from "./check-botocore.js";
import { checkChunksAndTrailer, checkSeed } from "./check-s3-chunked.js";
import {
  checkHeaderAuthCase,
  checkPostPolicySignature,
  checkPresignedGet,
  checkSigningKeys,
} from "./check-s3-examples.js";
import {
  awsCAuthCaseNames,
  botocoreCaseNames,
  loadAwsCAuthCase,
  loadBotocoreCase,
  loadS3DocExamples,
} from "./vectors.js";

/**
 * The browser and edge path: the same conformance checks with node:crypto switched off, so every
 * hash, HMAC and signing key comes from WebCrypto (crypto.subtle).
 */
const ex = loadS3DocExamples();

beforeAll(() => {
  forceWebCrypto(true);
  // Keys cached by other code in this worker were derived with node:crypto.
  clearSigningKeyCache();
});

afterAll(() => {
  forceWebCrypto(false);
  clearSigningKeyCache();
});

describe("with the WebCrypto fallback forced", () => {
  it("really runs on WebCrypto (hashes are asynchronous)", () => {
    expect(cryptoBackend()).toBe("webcrypto");
    expect(sha256Hex("")).toBeInstanceOf(Promise);
  });

  it.each(awsCAuthCaseNames())("aws-c-auth %s: header and query signing", async (name) => {
    const c = loadAwsCAuthCase(name);
    await checkHeaderSigning(c);
    await checkQuerySigning(c);
  });

  it.each(
    botocoreCaseNames().filter((n) => n.startsWith("normalize-path/") || n.startsWith("post-sts-token/")),
  )("botocore %s", async (name) => {
    await checkBotocoreCase(loadBotocoreCase(name));
  });

  it("S3 signing key", async () => {
    await checkSigningKeys(ex);
  });

  it("S3 presigned GET", async () => {
    await checkPresignedGet(ex);
  });

  it.each(ex.headerAuth.cases.map((c) => c.name))("S3 header auth: %s", async (name) => {
    await checkHeaderAuthCase(ex, name);
  });

  it("S3 chunked upload: seed, chunk and trailer signatures", async () => {
    await checkSeed(ex);
    await checkChunksAndTrailer(ex);
  });

  it("S3 POST policy signature", async () => {
    await checkPostPolicySignature(ex);
  });
});
