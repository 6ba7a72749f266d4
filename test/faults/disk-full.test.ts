/**
 * The store's disk fills up. On a 16 MiB tmpfs (or, where mounting is refused, with ENOSPC injected
 * into its file writes) the store must refuse the write with an S3 error document, not crash: the
 * code MinIO answers when a write hits ENOSPC, 500 InternalError (AWS S3 has no disk-full error), with
 * a message naming the cause. Nothing may be corrupted: earlier objects stay byte-identical, the
 * refused object is not visible, a multipart upload whose completion was refused keeps its parts,
 * no temporary file is left, and once space is freed the same writes succeed, also after a restart.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createObjectStore, type ObjectStore } from "../../src/store/index.js";
import { bytes } from "../integ/gateway/support.js";
import { readS3Error, sdkFailure } from "../support/s3-error.js";
import { TEST_BUCKET, TEST_CREDENTIALS, TEST_REGION } from "../support/store-fixture.js";
import { DISK_BYTES, type SmallDisk, smallDisk } from "./disk.js";
import { newTally } from "./model.js";
import { describeTally, FAULT_ROUNDS, recordTotals } from "./report.js";

const KiB = 1024;
const tally = newTally();
const sha = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

describe("the store's disk fills up", () => {
  let parent = "";
  let disk: SmallDisk;
  let store: ObjectStore;
  let s3: S3Client;
  const kept = new Map<string, string>();

  async function startStore() {
    store = createObjectStore({
      dataDir: join(disk.dir, "data"),
      durability: "fsync",
      credentials: [{ ...TEST_CREDENTIALS }],
      buckets: [TEST_BUCKET],
      region: TEST_REGION,
    });
    await store.listen(0, "127.0.0.1");
    s3 = new S3Client({
      endpoint: store.url,
      forcePathStyle: true,
      region: TEST_REGION,
      credentials: { ...TEST_CREDENTIALS },
      maxAttempts: 1,
    });
  }

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), "upgate-disk-"));
    disk = await smallDisk(parent);
    console.log(
      disk.kind === "tmpfs"
        ? `disk full: a ${DISK_BYTES / 1024 / 1024} MiB tmpfs at ${disk.dir}`
        : `disk full: mount refused (${disk.fallbackReason}); falling back to ENOSPC injected into file writes`,
    );
    await startStore();
  });

  afterAll(async () => {
    s3?.destroy();
    await store?.close();
    await disk?.release();
    await rm(parent, { recursive: true, force: true });
    console.log(describeTally(`disk full (${disk?.kind})`, tally));
    recordTotals(`disk full (${disk?.kind})`, tally);
  });

  const put = (key: string, body: Uint8Array) =>
    s3.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: key, Body: body, ChecksumAlgorithm: "SHA256" }));

  async function read(key: string): Promise<string | undefined> {
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: key }));
      return sha(await got.Body!.transformToByteArray());
    } catch (error) {
      if ((error as { name?: string }).name === "NoSuchKey") return undefined;
      throw error;
    }
  }

  async function expectKeptIntact() {
    for (const [key, digest] of kept) expect(await read(key), key).toBe(digest);
  }

  const tmpFiles = () => readdir(join(disk.dir, "data", "tmp"));

  /** One fill-refuse-free cycle; each cycle's keys start with c<cycle>/. */
  async function fillRefuseFree(cycle: number) {
    for (let i = 0; i < 4; i++) {
      const data = bytes(200 * KiB, 1000 * cycle + 100 + i);
      await put(`c${cycle}/kept/${i}`, data);
      kept.set(`c${cycle}/kept/${i}`, sha(data));
    }
    const partData = bytes(300 * KiB, 1000 * cycle + 200);
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: TEST_BUCKET, Key: `c${cycle}/mp` }),
    );
    const part = await s3.send(
      new UploadPartCommand({
        Bucket: TEST_BUCKET,
        Key: `c${cycle}/mp`,
        UploadId,
        PartNumber: 1,
        Body: partData,
      }),
    );

    // Fill the disk: big objects first, then small ones, down to empty objects (a file holding only
    // its record, one page) until the store refuses one. Completing a multipart upload writes just
    // such a record, so with a page left it would succeed, as it should.
    const fillers: string[] = [];
    disk.setFull(true);
    for (const size of [2048 * KiB, 64 * KiB, 4 * KiB, 0]) {
      for (let i = 0; i < 64; i++) {
        const key = `c${cycle}/filler/${size}/${i}`;
        const failure = await put(key, bytes(size, 1000 * cycle + 300 + fillers.length)).then(
          () => undefined,
          (error: unknown) => error,
        );
        if (failure) break;
        fillers.push(key);
      }
    }
    if (disk.kind === "tmpfs")
      expect(fillers.length, "objects written before the disk was full").toBeGreaterThan(4);

    // A browser's upload through a presigned URL: the S3 error document, with the cause in its message.
    const refused = bytes(512 * KiB, 1000 * cycle + 400);
    const url = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: TEST_BUCKET, Key: `c${cycle}/refused` }),
      {
        expiresIn: 300,
      },
    );
    const answer = await fetch(url, { method: "PUT", body: refused });
    const error = await readS3Error(answer);
    tally.faultsInjected++;
    expect(error.status).toBe(500);
    expect(error.code).toBe("InternalError");
    expect(error.message).toMatch(/out of disk space/);
    expect(error.fields.RequestId).toBeTruthy();

    // The SDK sees the same, and completing the multipart upload is refused the same way.
    const viaSdk = await sdkFailure(put(`c${cycle}/refused-too`, refused));
    expect([viaSdk.code, viaSdk.status]).toEqual(["InternalError", 500]);
    const completion = await sdkFailure(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: TEST_BUCKET,
          Key: `c${cycle}/mp`,
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
        }),
      ),
    );
    expect([completion.code, completion.status]).toEqual(["InternalError", 500]);

    // Nothing corrupted, nothing half-written visible, no temporary file left behind.
    await expectKeptIntact();
    for (const key of [`c${cycle}/refused`, `c${cycle}/refused-too`, `c${cycle}/mp`]) {
      expect(
        (await sdkFailure(s3.send(new HeadObjectCommand({ Bucket: TEST_BUCKET, Key: key })))).status,
      ).toBe(404);
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: TEST_BUCKET }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(
      expect.not.arrayContaining([`c${cycle}/refused`, `c${cycle}/refused-too`, `c${cycle}/mp`]),
    );
    const parts = await s3.send(new ListPartsCommand({ Bucket: TEST_BUCKET, Key: `c${cycle}/mp`, UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([
      [1, part.ETag, partData.length],
    ]);
    expect(await tmpFiles()).toEqual([]);

    // Free the space: the refused writes now succeed.
    disk.setFull(false);
    for (const key of fillers) await s3.send(new DeleteObjectCommand({ Bucket: TEST_BUCKET, Key: key }));
    const retried = await fetch(url, { method: "PUT", body: refused });
    expect(retried.status).toBe(200);
    kept.set(`c${cycle}/refused`, sha(refused));
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: TEST_BUCKET,
        Key: `c${cycle}/mp`,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    kept.set(`c${cycle}/mp`, sha(partData));
    await expectKeptIntact();
    expect(await tmpFiles()).toEqual([]);
    tally.faultsSurvived++;
  }

  test(
    `a full disk refuses writes with an S3 InternalError, corrupts nothing, and leaves no temporary file (${FAULT_ROUNDS} fill-and-free cycle(s))`,
    async () => {
      for (let cycle = 0; cycle < FAULT_ROUNDS; cycle++) await fillRefuseFree(cycle);
    },
    30_000 * FAULT_ROUNDS,
  );

  test("after a restart on the same disk, every object is still byte-identical", async () => {
    expect(kept.size).toBe(6 * FAULT_ROUNDS);
    s3.destroy();
    await store.close();
    await startStore();
    await expectKeptIntact();
    expect(await tmpFiles()).toEqual([]);
  });
});
