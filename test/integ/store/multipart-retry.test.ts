/**
 * What clients that retry meet: CompleteMultipartUpload sent again after it succeeded (a lost
 * response), a part uploaded again while its first upload is still running, and the checksum a
 * Complete names for the whole object.
 */
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presignUrl } from "../../../src/core/index.js";
import { readS3Error, sdkFailure } from "../../support/s3-error.js";
import { signedFetch } from "../../support/signed-fetch.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const MIB = 1024 * 1024;
const md5 = (b: Uint8Array) => `"${createHash("md5").update(b).digest("hex")}"`;
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest();
const md5Raw = (b: Uint8Array) => createHash("md5").update(b).digest();

describe.each(["memory", "fs"] as const)("multipart retries (%s backend)", (backend) => {
  let f: StoreFixture;
  beforeAll(async () => {
    f = await startStore({ backend });
  });
  afterAll(async () => {
    await f?.close();
  });

  async function create(key: string, extra: { ChecksumAlgorithm?: "SHA256" } = {}) {
    const out = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: f.bucket, Key: key, ...extra }));
    return out.UploadId!;
  }
  async function upload(key: string, id: string, n: number, body: Uint8Array, sum?: string) {
    const out = await f.s3.send(
      new UploadPartCommand({
        Bucket: f.bucket,
        Key: key,
        UploadId: id,
        PartNumber: n,
        Body: body,
        ...(sum ? { ChecksumSHA256: sum } : {}),
      }),
    );
    return out.ETag!;
  }
  const complete = (key: string, id: string, parts: Array<{ PartNumber: number; ETag: string }>) =>
    f.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: f.bucket,
        Key: key,
        UploadId: id,
        MultipartUpload: { Parts: parts },
      }),
    );
  /** The object's md5 (comparing megabytes with toEqual is slow enough to outlast keep-alive sockets). */
  const read = async (key: string) => {
    const out = await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
    return md5(await out.Body!.transformToByteArray());
  };

  it("answers a repeated CompleteMultipartUpload with 200 and the same result; parts stay NoSuchUpload", async () => {
    const key = "retry/complete.bin";
    const id = await create(key);
    const parts = [randomBytes(5 * MIB), randomBytes(100)];
    const plan = [
      { PartNumber: 1, ETag: await upload(key, id, 1, parts[0]!) },
      { PartNumber: 2, ETag: await upload(key, id, 2, parts[1]!) },
    ];
    const first = await complete(key, id, plan);
    const again = await complete(key, id, plan);
    expect(again.$metadata.httpStatusCode).toBe(200);
    expect({ etag: again.ETag, key: again.Key, bucket: again.Bucket, location: again.Location }).toEqual({
      etag: first.ETag,
      key: first.Key,
      bucket: first.Bucket,
      location: first.Location,
    });
    expect(await read(key)).toBe(md5(Buffer.concat(parts)));
    expect(
      await sdkFailure(
        f.s3.send(
          new UploadPartCommand({ Bucket: f.bucket, Key: key, UploadId: id, PartNumber: 3, Body: "x" }),
        ),
      ),
    ).toMatchObject({ status: 404, code: "NoSuchUpload" });
    // Another plan is no retry of this completion.
    expect(await sdkFailure(complete(key, id, plan.slice(0, 1)))).toMatchObject({
      status: 404,
      code: "NoSuchUpload",
    });
    // Once the key holds another object, the upload is gone for good.
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: key, Body: "replaced" }));
    expect(await sdkFailure(complete(key, id, plan))).toMatchObject({ status: 404, code: "NoSuchUpload" });
    expect(await read(key)).toBe(md5(Buffer.from("replaced")));
  });

  it("keeps the part whose upload finished last when a part is sent twice at once", async () => {
    const key = "retry/race.bin";
    const id = await create(key);
    const first = randomBytes(64 * 1024);
    const second = randomBytes(64 * 1024);
    const signed = await presignUrl({
      method: "PUT",
      endpoint: f.url,
      bucket: f.bucket,
      key,
      forcePathStyle: true,
      region: f.region,
      credentials: f.credentials,
      expiresIn: 300,
      query: { partNumber: 1, uploadId: id },
      headers: { "content-length": first.length },
    });
    // The first upload sends half its body, the second runs to the end, then the first finishes.
    const slow = request(signed.url, { method: "PUT", headers: { "content-length": first.length } });
    const slowDone = new Promise<{ status: number; etag: string }>((resolve, reject) => {
      slow.on("response", (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode!, etag: String(res.headers.etag) }));
      });
      slow.on("error", reject);
    });
    slow.write(first.subarray(0, first.length / 2));
    const fastEtag = await upload(key, id, 1, second);
    slow.end(first.subarray(first.length / 2));
    const slowResult = await slowDone;
    expect(slowResult).toEqual({ status: 200, etag: md5(first) });

    // Each ETag appended as its upload finished: the second's, then the first's, both part 1.
    const done = await complete(key, id, [
      { PartNumber: 1, ETag: fastEtag },
      { PartNumber: 1, ETag: slowResult.etag },
    ]);
    expect(done.$metadata.httpStatusCode).toBe(200);
    expect(await read(key)).toBe(md5(first));
  });

  it("reads a repeated part number once, with the ETag listed last", async () => {
    const key = "retry/duplicate.bin";
    const id = await create(key);
    const a = randomBytes(5 * MIB);
    const b = randomBytes(10);
    const ea = await upload(key, id, 1, a);
    const eb = await upload(key, id, 2, b);
    const stale = md5(randomBytes(8));
    expect(
      await sdkFailure(
        complete(key, id, [
          { PartNumber: 1, ETag: ea },
          { PartNumber: 1, ETag: stale },
          { PartNumber: 2, ETag: eb },
        ]),
      ),
    ).toMatchObject({ status: 400, code: "InvalidPart" });
    const done = await complete(key, id, [
      { PartNumber: 1, ETag: stale },
      { PartNumber: 1, ETag: ea },
      { PartNumber: 2, ETag: eb },
    ]);
    expect(done.ETag).toBe(
      `"${createHash("md5")
        .update(Buffer.concat([md5Raw(a), md5Raw(b)]))
        .digest("hex")}-2"`,
    );
    expect(await read(key)).toBe(md5(Buffer.concat([a, b])));
  });

  it("echoes x-amz-checksum-algorithm, returns the composite SHA-256 and checks the one a Complete names", async () => {
    const key = "retry/checksum.bin";
    const created = await f.s3.send(
      new CreateMultipartUploadCommand({ Bucket: f.bucket, Key: key, ChecksumAlgorithm: "SHA256" }),
    );
    expect(created.ChecksumAlgorithm).toBe("SHA256");
    const id = created.UploadId!;
    const parts = [randomBytes(5 * MIB), randomBytes(33)];
    const sums = parts.map((p) => sha256(p).toString("base64"));
    const etags = [
      await upload(key, id, 1, parts[0]!, sums[0]),
      await upload(key, id, 2, parts[1]!, sums[1]),
    ];
    const composite = `${sha256(Buffer.concat(sums.map((s) => Buffer.from(s, "base64")))).toString("base64")}-2`;
    const document = (withSums: boolean) =>
      `<CompleteMultipartUpload>${etags
        .map(
          (e, i) =>
            `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag>${
              withSums ? `<ChecksumSHA256>${sums[i]}</ChecksumSHA256>` : ""
            }</Part>`,
        )
        .join("")}</CompleteMultipartUpload>`;
    const body = document(true);
    const path = `/${f.bucket}/${key}?uploadId=${encodeURIComponent(id)}`;
    const send = (value: string) =>
      signedFetch(f, "POST", path, { body, headers: { "x-amz-checksum-sha256": value } });
    // A COMPOSITE upload's Complete must list each part's checksum, as S3 requires.
    const bare = await signedFetch(f, "POST", path, { body: document(false) });
    expect(await readS3Error(bare)).toMatchObject({
      status: 400,
      code: "InvalidRequest",
      message:
        "The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.",
    });

    expect(await readS3Error(await send("bad"))).toMatchObject({ status: 400, code: "InvalidRequest" });
    const other = `${sha256(Buffer.from("other")).toString("base64")}-2`;
    expect(await readS3Error(await send(other))).toMatchObject({ status: 400, code: "BadDigest" });

    const ok = await send(composite);
    expect(ok.status).toBe(200);
    const xml = await ok.text();
    expect(xml).toContain(`<ChecksumSHA256>${composite}</ChecksumSHA256>`);
    expect(xml).toContain("<ChecksumType>COMPOSITE</ChecksumType>");
    // The retried Complete answers the same checksum.
    const again = await send(composite);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(xml);
  });
});
