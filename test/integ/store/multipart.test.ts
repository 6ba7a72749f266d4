import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crc32 } from "../../../src/core/sigv4/checksums.js";
import { toBase64 } from "../../../src/core/sigv4/crypto.js";
import { presignUrl } from "../../../src/core/sigv4/presign.js";
import { readS3Error, sdkFailure } from "../../support/s3-error.js";
import { signedFetch } from "../../support/signed-fetch.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const MiB = 1024 * 1024;
const md5Hex = (b: Uint8Array) => createHash("md5").update(b).digest("hex");
/** S3's multipart ETag, computed here independently of the store: md5 of the binary part md5s, "-N". */
function expectedMultipartEtag(parts: Uint8Array[]): string {
  const digests = Buffer.concat(parts.map((p) => createHash("md5").update(p).digest()));
  return `"${createHash("md5").update(digests).digest("hex")}-${parts.length}"`;
}
const crc32Base64 = (b: Uint8Array) => {
  const v = crc32(b, 0);
  return toBase64(new Uint8Array([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]));
};
const completeXml = (parts: Array<{ n: number; etag: string }>) =>
  `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts
    .map((p) => `<Part><PartNumber>${p.n}</PartNumber><ETag>${p.etag}</ETag></Part>`)
    .join("")}</CompleteMultipartUpload>`;

describe("multipart uploads", () => {
  let f: StoreFixture;
  const big1 = randomBytes(5 * MiB);
  const big2 = randomBytes(5 * MiB + 17);
  const tail = randomBytes(1000);

  beforeAll(async () => {
    f = await startStore();
  });
  afterAll(async () => {
    await f.close();
  });

  async function create(
    key: string,
    extra: { ContentType?: string; Metadata?: Record<string, string> } = {},
  ) {
    const out = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: f.bucket, Key: key, ...extra }));
    expect(out.Bucket).toBe(f.bucket);
    expect(out.Key).toBe(key);
    expect(out.UploadId).toBeTruthy();
    return out.UploadId!;
  }

  async function upload(key: string, uploadId: string, partNumber: number, body: Uint8Array) {
    const out = await f.s3.send(
      new UploadPartCommand({
        Bucket: f.bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: partNumber,
        Body: body,
      }),
    );
    expect(out.ETag).toBe(`"${md5Hex(body)}"`);
    return out.ETag!;
  }

  async function parts(key: string, uploadId: string) {
    const out = await f.s3.send(new ListPartsCommand({ Bucket: f.bucket, Key: key, UploadId: uploadId }));
    return (out.Parts ?? []).map((p) => ({
      n: p.PartNumber,
      etag: p.ETag,
      size: p.Size,
      at: p.LastModified?.getTime(),
    }));
  }

  async function head(key: string) {
    try {
      const out = await f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: key }));
      return { etag: out.ETag, size: out.ContentLength };
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return undefined;
      throw err;
    }
  }

  /** The store's state for one upload and its key: what a refused request must leave unchanged. */
  async function snapshot(key: string, uploadId: string) {
    return { parts: await parts(key, uploadId), object: await head(key) };
  }

  const completeRaw = (key: string, uploadId: string, body: string, headers: Record<string, string> = {}) =>
    signedFetch(f, "POST", `/${f.bucket}/${key}?uploadId=${encodeURIComponent(uploadId)}`, { body, headers });

  it("assembles buffer and stream parts; the ETag is md5-of-md5s-N and the object keeps the create attributes", async () => {
    const key = "mp/assembled.bin";
    const id = await create(key, { ContentType: "video/mp4", Metadata: { owner: "user-1" } });
    const e1 = await upload(key, id, 1, big1);
    const streamed = await f.s3.send(
      new UploadPartCommand({
        Bucket: f.bucket,
        Key: key,
        UploadId: id,
        PartNumber: 2,
        Body: Readable.from([big2.subarray(0, 3 * MiB), big2.subarray(3 * MiB)]),
        ContentLength: big2.length,
      }),
    );
    expect(streamed.ETag).toBe(`"${md5Hex(big2)}"`);
    expect(streamed.ChecksumCRC32).toBe(crc32Base64(big2));
    const e3 = await upload(key, id, 3, tail);

    expect(await parts(key, id)).toEqual([
      { n: 1, etag: e1, size: big1.length, at: expect.any(Number) },
      { n: 2, etag: streamed.ETag, size: big2.length, at: expect.any(Number) },
      { n: 3, etag: e3, size: tail.length, at: expect.any(Number) },
    ]);
    const done = await f.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: f.bucket,
        Key: key,
        UploadId: id,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: e1 },
            { PartNumber: 2, ETag: streamed.ETag },
            { PartNumber: 3, ETag: e3 },
          ],
        },
      }),
    );
    expect(done.ETag).toBe(expectedMultipartEtag([big1, big2, tail]));
    expect(done.Bucket).toBe(f.bucket);
    expect(done.Key).toBe(key);
    expect(done.Location).toBe(`${f.url}/${f.bucket}/mp/assembled.bin`);

    const got = await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(bytes.equals(Buffer.concat([big1, big2, tail]))).toBe(true);
    expect(got.ETag).toBe(done.ETag);
    expect(got.ContentType).toBe("video/mp4");
    expect(got.Metadata).toEqual({ owner: "user-1" });
    const gone = await sdkFailure(
      f.s3.send(new ListPartsCommand({ Bucket: f.bucket, Key: key, UploadId: id })),
    );
    expect(gone).toMatchObject({ code: "NoSuchUpload", status: 404 });
  });

  it("re-uploading a part number replaces the part", async () => {
    const key = "mp/replace.bin";
    const id = await create(key);
    await upload(key, id, 1, randomBytes(100));
    const second = randomBytes(200);
    const etag = await upload(key, id, 1, second);
    expect(await parts(key, id)).toEqual([{ n: 1, etag, size: 200, at: expect.any(Number) }]);
    const done = await f.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: f.bucket,
        Key: key,
        UploadId: id,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: etag }] },
      }),
    );
    expect(done.ETag).toBe(expectedMultipartEtag([second]));
  });

  it("pages ListParts with max-parts and part-number-marker", async () => {
    const key = "mp/paged.bin";
    const id = await create(key);
    for (const n of [1, 2, 3, 5]) await upload(key, id, n, Buffer.from(`part ${n}`));
    const first = await f.s3.send(
      new ListPartsCommand({ Bucket: f.bucket, Key: key, UploadId: id, MaxParts: 2 }),
    );
    expect(first.Parts?.map((p) => p.PartNumber)).toEqual([1, 2]);
    expect(first.IsTruncated).toBe(true);
    expect(first.MaxParts).toBe(2);
    expect(first.NextPartNumberMarker).toBe("2");
    expect(first.StorageClass).toBe("STANDARD");
    expect(first.Initiator?.DisplayName).toBe(f.credentials.accessKeyId);
    expect(first.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    const second = await f.s3.send(
      new ListPartsCommand({ Bucket: f.bucket, Key: key, UploadId: id, MaxParts: 2, PartNumberMarker: "2" }),
    );
    expect(second.Parts?.map((p) => p.PartNumber)).toEqual([3, 5]);
    expect(second.PartNumberMarker).toBe("2");
    expect(second.IsTruncated).toBe(false);
    await f.s3.send(new AbortMultipartUploadCommand({ Bucket: f.bucket, Key: key, UploadId: id }));
  });

  it("lists uploads by prefix, delimiter and key/upload-id markers", async () => {
    const ids = {
      a1: await create("lmu/a.txt"),
      a2: await create("lmu/a.txt"),
      b: await create("lmu/b.txt"),
      dir: await create("lmu/dir/c.txt"),
    };
    await create("other/z.txt");
    const all = await f.s3.send(new ListMultipartUploadsCommand({ Bucket: f.bucket, Prefix: "lmu/" }));
    expect(all.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([
      ["lmu/a.txt", ids.a1],
      ["lmu/a.txt", ids.a2],
      ["lmu/b.txt", ids.b],
      ["lmu/dir/c.txt", ids.dir],
    ]);
    expect(all.Uploads?.[0]?.Initiated).toBeInstanceOf(Date);
    expect(all.IsTruncated).toBe(false);

    const page1 = await f.s3.send(
      new ListMultipartUploadsCommand({ Bucket: f.bucket, Prefix: "lmu/", MaxUploads: 1 }),
    );
    expect(page1.Uploads?.map((u) => u.UploadId)).toEqual([ids.a1]);
    expect(page1.IsTruncated).toBe(true);
    expect(page1.NextKeyMarker).toBe("lmu/a.txt");
    expect(page1.NextUploadIdMarker).toBe(ids.a1);
    const page2 = await f.s3.send(
      new ListMultipartUploadsCommand({
        Bucket: f.bucket,
        Prefix: "lmu/",
        KeyMarker: page1.NextKeyMarker,
        UploadIdMarker: page1.NextUploadIdMarker,
      }),
    );
    expect(page2.Uploads?.map((u) => u.UploadId)).toEqual([ids.a2, ids.b, ids.dir]);
    const afterKey = await f.s3.send(
      new ListMultipartUploadsCommand({ Bucket: f.bucket, Prefix: "lmu/", KeyMarker: "lmu/a.txt" }),
    );
    expect(afterKey.Uploads?.map((u) => u.UploadId)).toEqual([ids.b, ids.dir]);

    const grouped = await f.s3.send(
      new ListMultipartUploadsCommand({ Bucket: f.bucket, Prefix: "lmu/", Delimiter: "/" }),
    );
    expect(grouped.Uploads?.map((u) => u.Key)).toEqual(["lmu/a.txt", "lmu/a.txt", "lmu/b.txt"]);
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["lmu/dir/"]);
  });

  describe("presigned part URLs", () => {
    async function presignPart(key: string, uploadId: string, partNumber: number, length: number) {
      return presignUrl({
        method: "PUT",
        endpoint: f.url,
        bucket: f.bucket,
        key,
        forcePathStyle: true,
        region: f.region,
        credentials: f.credentials,
        expiresIn: 300,
        query: { partNumber, uploadId },
        headers: { "content-length": length },
      });
    }

    it("uploads a part through a URL that signs its number, upload and length", async () => {
      const key = "mp/presigned.bin";
      const id = await create(key);
      const body = randomBytes(4096);
      const signed = await presignPart(key, id, 1, body.length);
      expect(signed.signedHeaders).toEqual(["content-length", "host"]);
      const res = await fetch(signed.url, { method: "PUT", body });
      expect(res.status).toBe(200);
      expect(res.headers.get("etag")).toBe(`"${md5Hex(body)}"`);
      expect(await parts(key, id)).toEqual([
        { n: 1, etag: `"${md5Hex(body)}"`, size: 4096, at: expect.any(Number) },
      ]);
    });

    it("refuses the URL replayed as another part number, another upload, or another length", async () => {
      const key = "mp/replay.bin";
      const id = await create(key);
      const other = await create(key);
      const body = randomBytes(2048);
      const signed = await presignPart(key, id, 1, body.length);
      const before = await snapshot(key, id);
      const otherBefore = await snapshot(key, other);

      const asPart2 = new URL(signed.url);
      asPart2.searchParams.set("partNumber", "2");
      const r1 = await readS3Error(await fetch(asPart2, { method: "PUT", body }));
      expect(r1).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });

      const asOther = new URL(signed.url);
      asOther.searchParams.set("uploadId", other);
      const r2 = await readS3Error(await fetch(asOther, { method: "PUT", body }));
      expect(r2).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });

      const r3 = await readS3Error(await fetch(signed.url, { method: "PUT", body: randomBytes(2049) }));
      expect(r3).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });

      expect(await snapshot(key, id)).toEqual(before);
      expect(await snapshot(key, other)).toEqual(otherBefore);
      expect(before.parts).toEqual([]);
      // The genuine request still works.
      expect((await fetch(signed.url, { method: "PUT", body })).status).toBe(200);
    });
  });

  describe("CompleteMultipartUpload enforcement", () => {
    /** An upload with two full-size parts and a small last one, ready to complete. */
    async function ready(key: string) {
      const id = await create(key);
      const etags = [
        await upload(key, id, 1, big1),
        await upload(key, id, 2, big2),
        await upload(key, id, 3, tail),
      ];
      return { id, etags, plan: etags.map((etag, i) => ({ PartNumber: i + 1, ETag: etag })) };
    }

    const complete = (
      key: string,
      id: string,
      Parts: Array<{ PartNumber: number; ETag: string }>,
      extra = {},
    ) =>
      f.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: f.bucket,
          Key: key,
          UploadId: id,
          MultipartUpload: { Parts },
          ...extra,
        }),
      );

    it("refuses parts out of order (InvalidPartOrder) and leaves the upload as it was", async () => {
      const key = "mpc/order.bin";
      const { id, plan } = await ready(key);
      const before = await snapshot(key, id);
      const swapped = [plan[1]!, plan[0]!, plan[2]!];
      expect(await sdkFailure(complete(key, id, swapped))).toMatchObject({
        code: "InvalidPartOrder",
        status: 400,
      });
      // A repeated number is allowed (test/integ/store/multipart-retry.test.ts), a decreasing one is not.
      const backwards = [plan[0]!, plan[1]!, plan[1]!, plan[0]!];
      expect(await sdkFailure(complete(key, id, backwards))).toMatchObject({
        code: "InvalidPartOrder",
        status: 400,
      });
      expect(await snapshot(key, id)).toEqual(before);
      expect(before.object).toBeUndefined();
    });

    it("refuses a wrong ETag or a part never uploaded (InvalidPart)", async () => {
      const key = "mpc/etag.bin";
      const { id, plan } = await ready(key);
      const before = await snapshot(key, id);
      const wrong = [plan[0]!, { PartNumber: 2, ETag: `"${"0".repeat(32)}"` }, plan[2]!];
      expect(await sdkFailure(complete(key, id, wrong))).toMatchObject({ code: "InvalidPart", status: 400 });
      const missing = [plan[0]!, plan[1]!, { PartNumber: 4, ETag: plan[2]!.ETag }];
      expect(await sdkFailure(complete(key, id, missing))).toMatchObject({
        code: "InvalidPart",
        status: 400,
      });
      expect(await snapshot(key, id)).toEqual(before);
    });

    it("refuses a non-last part under 5 MiB with EntityTooSmall and S3's details", async () => {
      const key = "mpc/small.bin";
      const id = await create(key);
      const small = randomBytes(5 * MiB - 1);
      const e1 = await upload(key, id, 1, small);
      const e2 = await upload(key, id, 2, tail);
      const before = await snapshot(key, id);
      const res = await completeRaw(
        key,
        id,
        completeXml([
          { n: 1, etag: e1 },
          { n: 2, etag: e2 },
        ]),
      );
      const err = await readS3Error(res);
      expect(err).toMatchObject({ status: 400, code: "EntityTooSmall" });
      expect(err.fields).toMatchObject({
        ProposedSize: String(small.length),
        MinSizeAllowed: "5242880",
        PartNumber: "1",
        ETag: md5Hex(small),
      });
      expect(await snapshot(key, id)).toEqual(before);
      // A small part is fine as the last (here: only) part.
      const alone = await complete(key, id, [{ PartNumber: 1, ETag: e1 }]);
      expect(alone.ETag).toBe(expectedMultipartEtag([small]));
    });

    it("accepts ETags quoted, entity-quoted or bare", async () => {
      const key = "mpc/bare.bin";
      const { id, etags } = await ready(key);
      const bare = etags.map((e) => e.slice(1, -1));
      const body = completeXml([
        { n: 1, etag: bare[0]! },
        { n: 2, etag: `&quot;${bare[1]}&quot;` },
        { n: 3, etag: `"${bare[2]}"` },
      ]);
      const res = await completeRaw(key, id, body);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(
        `<ETag>${expectedMultipartEtag([big1, big2, tail]).replaceAll('"', "&quot;")}</ETag>`,
      );
    });

    it("answers NoSuchUpload for an unknown or finished upload, on every multipart operation", async () => {
      const key = "mpc/unknown.bin";
      const bogus = "bm9zdWNodXBsb2Fk";
      const calls = [
        () => complete(key, bogus, [{ PartNumber: 1, ETag: `"${md5Hex(tail)}"` }]),
        () =>
          f.s3.send(
            new UploadPartCommand({ Bucket: f.bucket, Key: key, UploadId: bogus, PartNumber: 1, Body: tail }),
          ),
        () => f.s3.send(new ListPartsCommand({ Bucket: f.bucket, Key: key, UploadId: bogus })),
        () => f.s3.send(new AbortMultipartUploadCommand({ Bucket: f.bucket, Key: key, UploadId: bogus })),
      ];
      for (const call of calls)
        expect(await sdkFailure(call())).toMatchObject({ code: "NoSuchUpload", status: 404 });
      // An upload belongs to its key.
      const id = await create("mpc/owner.bin");
      const wrongKey = await sdkFailure(
        f.s3.send(new ListPartsCommand({ Bucket: f.bucket, Key: key, UploadId: id })),
      );
      expect(wrongKey).toMatchObject({ code: "NoSuchUpload", status: 404 });
      expect(await head(key)).toBeUndefined();
    });

    it("refuses malformed documents, empty part lists and DOCTYPE/entity documents with MalformedXML", async () => {
      const key = "mpc/malformed.bin";
      const { id, etags } = await ready(key);
      const before = await snapshot(key, id);
      const bombs = [
        "not xml at all",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>",
        "<CompleteMultipartUpload></CompleteMultipartUpload>",
        "<CompleteMultipartUpload/>",
        "<Other><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></Other>",
        `<CompleteMultipartUpload><Part><ETag>${etags[0]}</ETag></Part></CompleteMultipartUpload>`,
        `<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>${etags[0]}</ETag></Part></CompleteMultipartUpload>`,
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">' +
          "]><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&lol2;</ETag></Part></CompleteMultipartUpload>",
        '<!DOCTYPE x SYSTEM "file:///etc/passwd"><CompleteMultipartUpload/>',
        `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&undefined;</ETag></Part></CompleteMultipartUpload>`,
      ];
      for (const body of bombs) {
        const err = await readS3Error(await completeRaw(key, id, body));
        expect({ body, status: err.status, code: err.code }).toEqual({
          body,
          status: 400,
          code: "MalformedXML",
        });
      }
      const empty = await readS3Error(await completeRaw(key, id, ""));
      expect(empty).toMatchObject({ status: 400, code: "MalformedXML" });
      expect(await snapshot(key, id)).toEqual(before);
    });

    it("honours If-None-Match: * (412 over an existing key, upload kept) and x-amz-mp-object-size", async () => {
      const key = "mpc/conditional.bin";
      const existing = await f.s3.send(
        new PutObjectCommand({ Bucket: f.bucket, Key: key, Body: "already here" }),
      );
      const { id, plan } = await ready(key);
      const before = await snapshot(key, id);
      expect(before.object?.etag).toBe(existing.ETag);
      const refused = await sdkFailure(complete(key, id, plan, { IfNoneMatch: "*" }));
      expect(refused).toMatchObject({ code: "PreconditionFailed", status: 412 });
      const raw = await readS3Error(
        await completeRaw(key, id, completeXml(plan.map((p) => ({ n: p.PartNumber, etag: p.ETag }))), {
          "if-none-match": "*",
        }),
      );
      expect(raw.fields.Condition).toBe("If-None-Match");
      expect(await snapshot(key, id)).toEqual(before);

      const wrongSize = await readS3Error(
        await completeRaw(key, id, completeXml(plan.map((p) => ({ n: p.PartNumber, etag: p.ETag }))), {
          "x-amz-mp-object-size": "12",
        }),
      );
      expect(wrongSize).toMatchObject({ status: 400, code: "InvalidRequest" });
      expect(await snapshot(key, id)).toEqual(before);

      const done = await complete(key, id, plan, { IfMatch: existing.ETag });
      expect(done.ETag).toBe(expectedMultipartEtag([big1, big2, tail]));
      expect((await head(key))?.size).toBe(big1.length + big2.length + tail.length);
    });

    it("If-Match on a key with no object is 404 NoSuchKey", async () => {
      const key = "mpc/if-match-missing.bin";
      const { id, plan } = await ready(key);
      const refused = await sdkFailure(complete(key, id, plan, { IfMatch: `"${md5Hex(tail)}"` }));
      expect(refused).toMatchObject({ code: "NoSuchKey", status: 404 });
      expect((await snapshot(key, id)).parts).toHaveLength(3);
    });
  });

  it("refuses part numbers outside 1..10000 with InvalidArgument, storing nothing", async () => {
    const key = "mp/part-range.bin";
    const id = await create(key);
    for (const n of ["0", "10001", "abc", "-1"]) {
      const res = await signedFetch(f, "PUT", `/${f.bucket}/${key}?partNumber=${n}&uploadId=${id}`, {
        body: "x",
      });
      const err = await readS3Error(res);
      expect({ n, status: err.status, code: err.code }).toEqual({ n, status: 400, code: "InvalidArgument" });
    }
    expect(await parts(key, id)).toEqual([]);
    const ok = await signedFetch(f, "PUT", `/${f.bucket}/${key}?partNumber=10000&uploadId=${id}`, {
      body: "x",
    });
    expect(ok.status).toBe(200);
  });

  it("aborts an upload (204), after which it is gone (404 NoSuchUpload)", async () => {
    const key = "mp/abort.bin";
    const id = await create(key);
    await upload(key, id, 1, tail);
    const out = await f.s3.send(
      new AbortMultipartUploadCommand({ Bucket: f.bucket, Key: key, UploadId: id }),
    );
    expect(out.$metadata.httpStatusCode).toBe(204);
    const again = await sdkFailure(
      f.s3.send(new AbortMultipartUploadCommand({ Bucket: f.bucket, Key: key, UploadId: id })),
    );
    expect(again).toMatchObject({ code: "NoSuchUpload", status: 404 });
    const listed = await f.s3.send(new ListMultipartUploadsCommand({ Bucket: f.bucket, Prefix: key }));
    expect(listed.Uploads ?? []).toEqual([]);
    expect(await head(key)).toBeUndefined();
  });
});
