/**
 * S3's checksums on the store, with the AWS SDK as the client (it computes and checks checksums
 * itself): COMPOSITE and FULL_OBJECT multipart uploads for every algorithm, single PUTs, reads with
 * x-amz-checksum-mode, and GetObjectAttributes. The part values and whole-object values of the three
 * 5 MiB parts ('A', 'B', 'C' repeated) are ceph/s3-tests' vectors, computed by another implementation.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { crc32 as zlibCrc32 } from "node:zlib";
import { AwsCrc32c } from "@aws-crypto/crc32c";
import {
  type ChecksumAlgorithm,
  type ChecksumType,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readS3Error, sdkFailure } from "../../support/s3-error.js";
import { signedFetch } from "../../support/signed-fetch.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const MIB = 1024 * 1024;
const PARTS = ["A", "B", "C"].map((c) => Buffer.alloc(5 * MIB, c));
const WHOLE = Buffer.concat(PARTS);

type Field = "ChecksumCRC32" | "ChecksumCRC32C" | "ChecksumCRC64NVME" | "ChecksumSHA1" | "ChecksumSHA256";

interface Case {
  algorithm: ChecksumAlgorithm;
  type: ChecksumType;
  parts: string[];
  object: string;
}

const b64 = (n: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0);
  return out.toString("base64");
};
const crc32cOf = (bytes: Uint8Array) => {
  const sum = new AwsCrc32c();
  sum.update(bytes);
  return sum.digest();
};
/** S3's COMPOSITE CRC: the CRC of the parts' raw CRCs, then "-N" (computed here with other code). */
const compositeCrc = (parts: string[], crc: (b: Uint8Array) => Promise<Uint8Array> | Uint8Array) =>
  Promise.resolve(crc(Buffer.concat(parts.map((p) => Buffer.from(p, "base64"))))).then(
    (raw) => `${Buffer.from(raw).toString("base64")}-${parts.length}`,
  );

const CRC32_PARTS = ["JRTCyQ==", "QoZTGg==", "YAgjqw=="];
const CRC32C_PARTS = ["MDaLrw==", "TH4EZg==", "Z7mBIQ=="];

async function cases(): Promise<Case[]> {
  return [
    {
      algorithm: "SHA256",
      type: "COMPOSITE",
      parts: [
        "275VF5loJr1YYawit0XSHREhkFXYkkPKGuoK0x9VKxI=",
        "mrHwOfjTL5Zwfj74F05HOQGLdUb7E5szdCbxgUSq6NM=",
        "Vw7oB/nKQ5xWb3hNgbyfkvDiivl+U+/Dft48nfJfDow=",
      ],
      object: "uWBwpe1dxI4Vw8Gf0X9ynOdw/SS6VBzfWm9giiv1sf4=-3",
    },
    {
      algorithm: "SHA1",
      type: "COMPOSITE",
      parts: ["iIaTCGbm+vdVjNqIMF2S0T7ibMk=", "LS/TJ32bAVKEwRu+sE3X7awh/lk=", "6DDwovUaHwrKNXDMzOGbuvj9kxI="],
      object: "sizjvY4eud3MrcHdZM3cQ/ol39o=-3",
    },
    {
      algorithm: "CRC32",
      type: "COMPOSITE",
      parts: CRC32_PARTS,
      object: await compositeCrc(CRC32_PARTS, (b) => Buffer.from(b64(zlibCrc32(b)), "base64")),
    },
    {
      algorithm: "CRC32C",
      type: "COMPOSITE",
      parts: CRC32C_PARTS,
      object: await compositeCrc(CRC32C_PARTS, crc32cOf),
    },
    {
      algorithm: "CRC64NVME",
      type: "FULL_OBJECT",
      parts: ["L/E4WYn8v98=", "xW1l19VobYM=", "cK5MnNaWrW4="],
      object: "i+6LR0y3eFo=",
    },
    { algorithm: "CRC32", type: "FULL_OBJECT", parts: CRC32_PARTS, object: "WgDhBQ==" },
    { algorithm: "CRC32C", type: "FULL_OBJECT", parts: CRC32C_PARTS, object: "xU+Krw==" },
  ];
}

const fieldOf = (algorithm: ChecksumAlgorithm) => `Checksum${algorithm}` as Field;

describe.each(["memory", "fs"] as const)("checksums (%s backend)", (backend) => {
  let f: StoreFixture;
  let all: Case[];
  beforeAll(async () => {
    f = await startStore({ backend });
    all = await cases();
  });
  afterAll(async () => {
    await f?.close();
  });

  async function create(key: string, algorithm: ChecksumAlgorithm, type?: ChecksumType) {
    return f.s3.send(
      new CreateMultipartUploadCommand({
        Bucket: f.bucket,
        Key: key,
        ChecksumAlgorithm: algorithm,
        ...(type ? { ChecksumType: type } : {}),
      }),
    );
  }

  async function uploadAll(key: string, uploadId: string, algorithm: ChecksumAlgorithm) {
    const parts: CompletedPart[] = [];
    for (const [i, body] of PARTS.entries()) {
      const out = await f.s3.send(
        new UploadPartCommand({
          Bucket: f.bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: i + 1,
          Body: body,
          ChecksumAlgorithm: algorithm,
        }),
      );
      parts.push({ PartNumber: i + 1, ETag: out.ETag, [fieldOf(algorithm)]: out[fieldOf(algorithm)] });
    }
    return parts;
  }

  it.each([
    ["SHA256", "COMPOSITE"],
    ["SHA1", "COMPOSITE"],
    ["CRC32", "COMPOSITE"],
    ["CRC32C", "COMPOSITE"],
    ["CRC64NVME", "FULL_OBJECT"],
    ["CRC32", "FULL_OBJECT"],
    ["CRC32C", "FULL_OBJECT"],
  ] as const)(
    "%s %s: parts, Complete, HEAD, GET, part reads and GetObjectAttributes",
    async (algorithm, type) => {
      const c = all.find((x) => x.algorithm === algorithm && x.type === type)!;
      const field = fieldOf(algorithm);
      const key = `mp/${algorithm}-${type}`;
      const created = await create(key, algorithm, type);
      expect(created.ChecksumAlgorithm).toBe(algorithm);
      expect(created.ChecksumType).toBe(type);
      const parts = await uploadAll(key, created.UploadId!, algorithm);
      expect(parts.map((p) => p[field])).toEqual(c.parts);

      const listed = await f.s3.send(
        new ListPartsCommand({ Bucket: f.bucket, Key: key, UploadId: created.UploadId }),
      );
      expect(listed.Parts?.map((p) => p[field])).toEqual(c.parts);
      expect(listed.ChecksumAlgorithm).toBe(algorithm);
      expect(listed.ChecksumType).toBe(type);

      const done = await f.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: f.bucket,
          Key: key,
          UploadId: created.UploadId,
          MultipartUpload: { Parts: parts },
          // FULL_OBJECT: the client's whole-object value, checked by the store.
          ...(type === "FULL_OBJECT" ? { [field]: c.object, ChecksumType: type } : {}),
        }),
      );
      expect(done[field]).toBe(c.object);
      expect(done.ChecksumType).toBe(type);

      const plain = await f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: key }));
      expect(plain[field]).toBeUndefined();
      expect(plain.ChecksumType).toBeUndefined();
      const head = await f.s3.send(
        new HeadObjectCommand({ Bucket: f.bucket, Key: key, ChecksumMode: "ENABLED" }),
      );
      expect(head[field]).toBe(c.object);
      expect(head.ChecksumType).toBe(type);

      // The SDK checks a FULL_OBJECT value against the bytes it reads.
      const got = await f.s3.send(
        new GetObjectCommand({ Bucket: f.bucket, Key: key, ChecksumMode: "ENABLED" }),
      );
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(WHOLE)).toBe(true);
      expect(got[field]).toBe(c.object);
      expect(got.ChecksumType).toBe(type);

      // A part read carries that part's own checksum, with the object's type.
      const part = await f.s3.send(
        new GetObjectCommand({ Bucket: f.bucket, Key: key, PartNumber: 2, ChecksumMode: "ENABLED" }),
      );
      expect(Buffer.from(await part.Body!.transformToByteArray()).equals(PARTS[1]!)).toBe(true);
      expect(part[field]).toBe(c.parts[1]);
      expect(part.ChecksumType).toBe(type);

      const attributes = await f.s3.send(
        new GetObjectAttributesCommand({
          Bucket: f.bucket,
          Key: key,
          ObjectAttributes: ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"],
        }),
      );
      expect(attributes.ETag).toBe(done.ETag!.replaceAll('"', ""));
      expect(attributes.ObjectSize).toBe(WHOLE.length);
      expect(attributes.StorageClass).toBe("STANDARD");
      expect(attributes.Checksum?.[field]).toBe(c.object);
      expect(attributes.Checksum?.ChecksumType).toBe(type);
      expect(attributes.LastModified).toBeInstanceOf(Date);
      expect(attributes.ObjectParts?.TotalPartsCount).toBe(3);
      expect(attributes.ObjectParts?.IsTruncated).toBe(false);
      expect(attributes.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size, p[field]])).toEqual(
        c.parts.map((value, i) => [i + 1, 5 * MIB, value]),
      );

      const page = await f.s3.send(
        new GetObjectAttributesCommand({
          Bucket: f.bucket,
          Key: key,
          ObjectAttributes: ["ObjectParts"],
          MaxParts: 1,
          PartNumberMarker: "1",
        }),
      );
      expect(page.ObjectParts).toMatchObject({
        TotalPartsCount: 3,
        MaxParts: 1,
        PartNumberMarker: "1",
        NextPartNumberMarker: "2",
        IsTruncated: true,
      });
      expect(page.ObjectParts?.Parts?.map((p) => [p.PartNumber, p[field]])).toEqual([[2, c.parts[1]]]);
    },
  );

  it("defaults the type: FULL_OBJECT for CRC64NVME, COMPOSITE for the others", async () => {
    expect((await create("default/crc64", "CRC64NVME")).ChecksumType).toBe("FULL_OBJECT");
    expect((await create("default/crc32", "CRC32")).ChecksumType).toBe("COMPOSITE");
    expect((await create("default/sha1", "SHA1")).ChecksumType).toBe("COMPOSITE");
  });

  it("refuses the types an algorithm does not support, and a type without an algorithm", async () => {
    expect(await sdkFailure(create("bad/crc64", "CRC64NVME", "COMPOSITE"))).toMatchObject({
      code: "InvalidRequest",
      status: 400,
      error: {
        message: "The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.",
      },
    });
    expect(await sdkFailure(create("bad/sha256", "SHA256", "FULL_OBJECT"))).toMatchObject({
      code: "InvalidRequest",
      error: { message: "The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm." },
    });
    expect(await sdkFailure(create("bad/sha1", "SHA1", "FULL_OBJECT"))).toMatchObject({
      code: "InvalidRequest",
      error: { message: "The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm." },
    });
    const typeOnly = f.s3.send(
      new CreateMultipartUploadCommand({ Bucket: f.bucket, Key: "bad/type", ChecksumType: "FULL_OBJECT" }),
    );
    expect(await sdkFailure(typeOnly)).toMatchObject({
      code: "InvalidRequest",
      error: {
        message: "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.",
      },
    });
  });

  it("UploadPart: another algorithm than the upload's is InvalidRequest, a wrong value BadDigest", async () => {
    const created = await create("part/mismatch", "CRC64NVME");
    const send = (extra: Partial<UploadPartCommand["input"]>) =>
      f.s3.send(
        new UploadPartCommand({
          Bucket: f.bucket,
          Key: "part/mismatch",
          UploadId: created.UploadId,
          PartNumber: 1,
          Body: PARTS[0],
          ...extra,
        }),
      );
    expect(await sdkFailure(send({ ChecksumAlgorithm: "CRC32" }))).toMatchObject({
      code: "InvalidRequest",
      status: 400,
      error: {
        message:
          "Checksum Type mismatch occurred, expected checksum Type: CRC64NVME, actual checksum Type: CRC32",
      },
    });
    expect(await sdkFailure(send({ ChecksumCRC64NVME: "xW1l19VobYM=" }))).toMatchObject({
      code: "BadDigest",
      error: { message: "The CRC64NVME you specified did not match the calculated checksum." },
    });
    // A stream body goes as aws-chunked, its checksum in a trailer: checked the same way.
    const streamed = (algorithm: ChecksumAlgorithm) =>
      send({
        Body: Readable.from([PARTS[0]!.subarray(0, MIB), PARTS[0]!.subarray(MIB)]),
        ContentLength: PARTS[0]!.length,
        ChecksumAlgorithm: algorithm,
      });
    expect(await sdkFailure(streamed("CRC32C"))).toMatchObject({
      code: "InvalidRequest",
      error: {
        message:
          "Checksum Type mismatch occurred, expected checksum Type: CRC64NVME, actual checksum Type: CRC32C",
      },
    });
    const listed = await f.s3.send(
      new ListPartsCommand({ Bucket: f.bucket, Key: "part/mismatch", UploadId: created.UploadId }),
    );
    expect(listed.Parts ?? []).toEqual([]);
    expect((await streamed("CRC64NVME")).ChecksumCRC64NVME).toBe("L/E4WYn8v98=");
  });

  it("Complete: a part checksum that is not the stored one is InvalidPart, a wrong whole value BadDigest", async () => {
    const key = "complete/refusals";
    const created = await create(key, "CRC64NVME");
    const parts = await uploadAll(key, created.UploadId!, "CRC64NVME");
    const complete = (input: Partial<CompleteMultipartUploadCommand["input"]>) =>
      f.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: f.bucket,
          Key: key,
          UploadId: created.UploadId,
          MultipartUpload: { Parts: parts },
          ...input,
        }),
      );
    const swapped = parts.map((p, i) => ({ ...p, ChecksumCRC64NVME: parts[(i + 1) % 3]!.ChecksumCRC64NVME }));
    expect(await sdkFailure(complete({ MultipartUpload: { Parts: swapped } }))).toMatchObject({
      code: "InvalidPart",
      status: 400,
    });
    expect(
      await sdkFailure(complete({ ChecksumCRC64NVME: "L/E4WYn8v98=", ChecksumType: "FULL_OBJECT" })),
    ).toMatchObject({
      code: "BadDigest",
      error: { message: "The CRC64NVME you specified did not match the calculated checksum." },
    });
    expect(await sdkFailure(complete({ ChecksumType: "COMPOSITE" }))).toMatchObject({
      code: "InvalidRequest",
      error: {
        message:
          "The upload was created using the FULL_OBJECT checksum mode. The complete request must use the same checksum mode.",
      },
    });
    expect(await sdkFailure(complete({ ChecksumCRC32: "WgDhBQ==" }))).toMatchObject({
      code: "InvalidRequest",
      error: {
        message:
          "Checksum Type mismatch occurred, expected checksum Type: CRC64NVME, actual checksum Type: CRC32",
      },
    });
    // Nothing was stored, and the upload still completes (part checksums are optional for FULL_OBJECT).
    expect(await sdkFailure(f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: key })))).toMatchObject({
      status: 404,
    });
    const bare = parts.map(({ PartNumber, ETag }) => ({ PartNumber, ETag }));
    const done = await complete({ MultipartUpload: { Parts: bare } });
    expect(done.ChecksumCRC64NVME).toBe("i+6LR0y3eFo=");
  });

  it("PutObject keeps a FULL_OBJECT checksum of each algorithm, from a header or an aws-chunked trailer", async () => {
    const body = Buffer.alloc(1024, "A");
    for (const algorithm of ["CRC64NVME", "CRC32", "CRC32C", "SHA1", "SHA256"] as const) {
      const field = fieldOf(algorithm);
      const key = `put/${algorithm}`;
      const put = await f.s3.send(
        new PutObjectCommand({ Bucket: f.bucket, Key: key, Body: body, ChecksumAlgorithm: algorithm }),
      );
      expect(put.ChecksumType).toBe("FULL_OBJECT");
      const head = await f.s3.send(
        new HeadObjectCommand({ Bucket: f.bucket, Key: key, ChecksumMode: "ENABLED" }),
      );
      expect(head[field]).toBe(put[field]);
      expect(head.ChecksumType).toBe("FULL_OBJECT");
      const attributes = await f.s3.send(
        new GetObjectAttributesCommand({
          Bucket: f.bucket,
          Key: key,
          ObjectAttributes: ["Checksum", "ObjectParts"],
        }),
      );
      expect(attributes.Checksum).toEqual({ [field]: put[field], ChecksumType: "FULL_OBJECT" });
      expect(attributes.ObjectParts).toBeUndefined();
    }
    // s3-tests' vectors for 1 KiB of 'A'.
    const head64 = await f.s3.send(
      new HeadObjectCommand({ Bucket: f.bucket, Key: "put/CRC64NVME", ChecksumMode: "ENABLED" }),
    );
    expect(head64.ChecksumCRC64NVME).toBe("Qeh8oXvGiSo=");
    const head256 = await f.s3.send(
      new HeadObjectCommand({ Bucket: f.bucket, Key: "put/SHA256", ChecksumMode: "ENABLED" }),
    );
    expect(head256.ChecksumSHA256).toBe(createHash("sha256").update(body).digest("base64"));

    // A stream of known length goes as aws-chunked with the checksum in a trailer.
    const streamed = await f.s3.send(
      new PutObjectCommand({
        Bucket: f.bucket,
        Key: "put/trailer",
        Body: Readable.from([body.subarray(0, 300), body.subarray(300)]),
        ContentLength: body.length,
        ChecksumAlgorithm: "CRC64NVME",
      }),
    );
    expect(streamed.ChecksumCRC64NVME).toBe("Qeh8oXvGiSo=");
    const trailerHead = await f.s3.send(
      new HeadObjectCommand({ Bucket: f.bucket, Key: "put/trailer", ChecksumMode: "ENABLED" }),
    );
    expect(trailerHead.ChecksumCRC64NVME).toBe("Qeh8oXvGiSo=");

    expect(
      await sdkFailure(
        f.s3.send(
          new PutObjectCommand({
            Bucket: f.bucket,
            Key: "put/bad",
            Body: body,
            ChecksumCRC64NVME: "xW1l19VobYM=",
          }),
        ),
      ),
    ).toMatchObject({ code: "BadDigest", status: 400 });
  });

  it("GetObjectAttributes: a multipart object without checksums lists its part count only", async () => {
    const key = "attrs/plain";
    const created = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: f.bucket, Key: key }));
    const etags: CompletedPart[] = [];
    for (const [i, body] of PARTS.slice(0, 2).entries()) {
      const out = await f.s3.send(
        new UploadPartCommand({
          Bucket: f.bucket,
          Key: key,
          UploadId: created.UploadId,
          PartNumber: i + 1,
          Body: body,
        }),
      );
      etags.push({ PartNumber: i + 1, ETag: out.ETag });
    }
    await f.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: f.bucket,
        Key: key,
        UploadId: created.UploadId,
        MultipartUpload: { Parts: etags },
      }),
    );
    const attributes = await f.s3.send(
      new GetObjectAttributesCommand({
        Bucket: f.bucket,
        Key: key,
        ObjectAttributes: ["ETag", "Checksum", "ObjectParts", "ObjectSize"],
      }),
    );
    expect(attributes.Checksum).toBeUndefined();
    expect(attributes.ObjectParts).toEqual({ TotalPartsCount: 2 });
    expect(attributes.ObjectSize).toBe(10 * MIB);
    expect(
      await sdkFailure(
        f.s3.send(
          new GetObjectAttributesCommand({ Bucket: f.bucket, Key: "attrs/none", ObjectAttributes: ["ETag"] }),
        ),
      ),
    ).toMatchObject({ code: "NoSuchKey", status: 404 });
  });

  describe("raw requests", () => {
    const createRaw = async (key: string, headers: Record<string, string>) =>
      signedFetch(f, "POST", `/${f.bucket}/${key}?uploads`, { headers });
    const uploadIdOf = async (res: Response) => {
      expect(res.status).toBe(200);
      return /<UploadId>([^<]+)<\/UploadId>/.exec(await res.text())![1]!;
    };
    const partPath = (key: string, id: string, n: number) =>
      `/${f.bucket}/${key}?partNumber=${n}&uploadId=${encodeURIComponent(id)}`;

    it("CreateMultipartUpload: an unknown type or algorithm is InvalidRequest", async () => {
      expect(
        await readS3Error(
          await createRaw("raw/type", {
            "x-amz-checksum-algorithm": "CRC32",
            "x-amz-checksum-type": "PARTIAL",
          }),
        ),
      ).toMatchObject({
        status: 400,
        code: "InvalidRequest",
        message: "Value for x-amz-checksum-type header is invalid.",
      });
      expect(
        await readS3Error(await createRaw("raw/alg", { "x-amz-checksum-algorithm": "MD5" })),
      ).toMatchObject({
        status: 400,
        code: "InvalidRequest",
      });
      const res = await createRaw("raw/ok", {
        "x-amz-checksum-algorithm": "crc32c",
        "x-amz-checksum-type": "full_object",
      });
      expect(res.headers.get("x-amz-checksum-algorithm")).toBe("CRC32C");
      expect(res.headers.get("x-amz-checksum-type")).toBe("FULL_OBJECT");
    });

    it("UploadPart without a checksum: refused for COMPOSITE, computed for FULL_OBJECT", async () => {
      const composite = await uploadIdOf(
        await createRaw("raw/composite", { "x-amz-checksum-algorithm": "SHA256" }),
      );
      expect(
        await readS3Error(
          await signedFetch(f, "PUT", partPath("raw/composite", composite, 1), { body: "x" }),
        ),
      ).toMatchObject({
        status: 400,
        code: "InvalidRequest",
        message:
          "Checksum Type mismatch occurred, expected checksum Type: SHA256, actual checksum Type: null",
      });
      const full = await uploadIdOf(await createRaw("raw/full", { "x-amz-checksum-algorithm": "CRC64NVME" }));
      const put = await signedFetch(f, "PUT", partPath("raw/full", full, 1), { body: PARTS[0]! });
      expect(put.status).toBe(200);
      expect(put.headers.get("x-amz-checksum-crc64nvme")).toBe("L/E4WYn8v98=");
      const second = await signedFetch(f, "PUT", partPath("raw/full", full, 2), { body: PARTS[1]! });
      const body = `<CompleteMultipartUpload>${[put, second]
        .map((r, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${r.headers.get("etag")}</ETag></Part>`)
        .join("")}</CompleteMultipartUpload>`;
      const done = await signedFetch(
        f,
        "POST",
        `/${f.bucket}/raw/full?uploadId=${encodeURIComponent(full)}`,
        {
          body,
        },
      );
      expect(done.status).toBe(200);
      const xml = await done.text();
      // CRC-64/NVME of 'A' * 5 MiB || 'B' * 5 MiB, combined from the two part values.
      const whole = await f.s3.send(
        new PutObjectCommand({
          Bucket: f.bucket,
          Key: "raw/full-reference",
          Body: Buffer.concat(PARTS.slice(0, 2)),
          ChecksumAlgorithm: "CRC64NVME",
        }),
      );
      expect(xml).toContain(`<ChecksumCRC64NVME>${whole.ChecksumCRC64NVME}</ChecksumCRC64NVME>`);
      expect(xml).toContain("<ChecksumType>FULL_OBJECT</ChecksumType>");
    });

    it("Complete of a COMPOSITE upload must list every part's checksum", async () => {
      const key = "raw/sha1";
      const id = await uploadIdOf(await createRaw(key, { "x-amz-checksum-algorithm": "SHA1" }));
      const sha1 = (b: Uint8Array) => createHash("sha1").update(b).digest("base64");
      const etags: string[] = [];
      for (const [i, part] of PARTS.slice(0, 2).entries()) {
        const res = await signedFetch(f, "PUT", partPath(key, id, i + 1), {
          body: part,
          headers: { "x-amz-checksum-sha1": sha1(part) },
        });
        etags.push(res.headers.get("etag")!);
      }
      const doc = (second: string) =>
        `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etags[0]}</ETag><ChecksumSHA1>${sha1(
          PARTS[0]!,
        )}</ChecksumSHA1></Part><Part><PartNumber>2</PartNumber><ETag>${etags[1]}</ETag>${second}</Part></CompleteMultipartUpload>`;
      const path = `/${f.bucket}/${key}?uploadId=${encodeURIComponent(id)}`;
      expect(await readS3Error(await signedFetch(f, "POST", path, { body: doc("") }))).toMatchObject({
        status: 400,
        code: "InvalidRequest",
        message:
          "The upload was created using a sha1 checksum. The complete request must include the checksum for each part. It was missing for part 2 in the request.",
      });
      expect(
        await readS3Error(
          await signedFetch(f, "POST", path, { body: doc(`<ChecksumCRC32>AAAAAA==</ChecksumCRC32>`) }),
        ),
      ).toMatchObject({ status: 400, code: "InvalidPart" });
      const ok = await signedFetch(f, "POST", path, {
        body: doc(`<ChecksumSHA1>${sha1(PARTS[1]!)}</ChecksumSHA1>`),
      });
      expect(ok.status).toBe(200);
      const composite = createHash("sha1")
        .update(Buffer.concat(PARTS.slice(0, 2).map((p) => createHash("sha1").update(p).digest())))
        .digest("base64");
      expect(await ok.text()).toContain(`<ChecksumSHA1>${composite}-2</ChecksumSHA1>`);
    });

    it("GetObjectAttributes: a missing or empty attribute list and an unknown name are refused", async () => {
      await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "raw/attrs", Body: "abc" }));
      const get = (headers: Record<string, string>) =>
        signedFetch(f, "GET", `/${f.bucket}/raw/attrs?attributes`, { headers });
      const message =
        "The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty";
      expect(await readS3Error(await get({}))).toMatchObject({
        status: 400,
        code: "InvalidRequest",
        message,
      });
      expect(await readS3Error(await get({ "x-amz-object-attributes": " , " }))).toMatchObject({
        code: "InvalidRequest",
        message,
      });
      const unknown = await readS3Error(await get({ "x-amz-object-attributes": "ETag,Owner" }));
      expect(unknown).toMatchObject({
        status: 400,
        code: "InvalidArgument",
        message: "Invalid attribute name specified.",
      });
      expect(
        await readS3Error(await get({ "x-amz-object-attributes": "ObjectParts", "x-amz-max-parts": "-1" })),
      ).toMatchObject({ status: 400, code: "InvalidArgument" });
      const ok = await get({ "x-amz-object-attributes": "ETag,ObjectSize" });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("last-modified")).toBeTruthy();
      const xml = await ok.text();
      expect(xml).toContain("<GetObjectAttributesResponse");
      expect(xml).toContain(`<ETag>${createHash("md5").update("abc").digest("hex")}</ETag>`);
      expect(xml).toContain("<ObjectSize>3</ObjectSize>");
      expect(xml).not.toContain("<StorageClass>");
    });
  });
});
