import { createHash, randomBytes } from "node:crypto";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const MIB = 1024 * 1024;
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest();

/** Uploads these parts through the AWS SDK (an independent client), with or without their SHA-256s. */
async function multipart(f: StoreFixture, key: string, parts: Buffer[], checksums: boolean) {
  const { UploadId } = await f.s3.send(
    new CreateMultipartUploadCommand({
      Bucket: f.bucket,
      Key: key,
      ...(checksums ? { ChecksumAlgorithm: "SHA256" as const } : {}),
    }),
  );
  const done = [];
  for (const [i, body] of parts.entries()) {
    const sum = sha(body).toString("base64");
    const { ETag } = await f.s3.send(
      new UploadPartCommand({
        Bucket: f.bucket,
        Key: key,
        UploadId,
        PartNumber: i + 1,
        Body: body,
        ...(checksums ? { ChecksumSHA256: sum } : {}),
      }),
    );
    done.push({ PartNumber: i + 1, ETag, ...(checksums ? { ChecksumSHA256: sum } : {}) });
  }
  await f.s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: f.bucket,
      Key: key,
      UploadId,
      MultipartUpload: { Parts: done },
    }),
  );
  return f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: key, ChecksumMode: "ENABLED" }));
}

describe.each(["memory", "fs"] as const)("store (%s): composite SHA-256 of multipart objects", (backend) => {
  let f: StoreFixture;
  beforeAll(async () => {
    f = await startStore({ backend });
  });
  afterAll(async () => {
    await f?.close();
  });

  it("keeps S3's COMPOSITE checksum when every part was sent with its SHA-256", async () => {
    const parts = [randomBytes(5 * MIB), randomBytes(5 * MIB), randomBytes(1234)];
    const head = await multipart(f, "composite.bin", parts, true);
    const expected = `${sha(Buffer.concat(parts.map(sha))).toString("base64")}-3`;
    expect(head.ChecksumSHA256).toBe(expected);
    expect(head.ChecksumType).toBe("COMPOSITE");
  });

  it("keeps no sha256 when the parts were sent without one", async () => {
    const head = await multipart(f, "plain.bin", [randomBytes(5 * MIB), randomBytes(10)], false);
    expect(head.ChecksumSHA256).toBeUndefined();
  });
});
