import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readS3Error, sdkFailure } from "../../support/s3-error.js";
import { signedFetch } from "../../support/signed-fetch.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

describe("buckets (us-east-1)", () => {
  let f: StoreFixture;
  beforeAll(async () => {
    f = await startStore();
  });
  afterAll(async () => {
    await f.close();
  });

  it("lists the start-up bucket with an owner and creation date", async () => {
    const out = await f.s3.send(new ListBucketsCommand({}));
    expect(out.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    const names = out.Buckets?.map((b) => b.Name);
    expect(names).toContain(f.bucket);
    const created = out.Buckets?.find((b) => b.Name === f.bucket)?.CreationDate;
    expect(created).toBeInstanceOf(Date);
    expect(Math.abs(Date.now() - created!.getTime())).toBeLessThan(60_000);
  });

  it("creates, heads, lists and deletes a bucket, with a Location header", async () => {
    const created = await f.s3.send(new CreateBucketCommand({ Bucket: "fresh.bucket-1" }));
    expect(created.Location).toBe("/fresh.bucket-1");
    const head = await f.s3.send(new HeadBucketCommand({ Bucket: "fresh.bucket-1" }));
    expect(head.BucketRegion).toBe("us-east-1");
    const listed = await f.s3.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => b.Name)).toEqual(["fresh.bucket-1", f.bucket]);
    const del = await f.s3.send(new DeleteBucketCommand({ Bucket: "fresh.bucket-1" }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    const gone = await sdkFailure(f.s3.send(new HeadBucketCommand({ Bucket: "fresh.bucket-1" })));
    expect(gone.status).toBe(404);
  });

  it("pages ListBuckets with prefix and max-buckets", async () => {
    for (const name of ["page-a", "page-b", "page-c"])
      await f.s3.send(new CreateBucketCommand({ Bucket: name }));
    const first = await f.s3.send(new ListBucketsCommand({ Prefix: "page-", MaxBuckets: 2 }));
    expect(first.Buckets?.map((b) => b.Name)).toEqual(["page-a", "page-b"]);
    expect(first.Prefix).toBe("page-");
    expect(first.ContinuationToken).toBeTruthy();
    const second = await f.s3.send(
      new ListBucketsCommand({ Prefix: "page-", MaxBuckets: 2, ContinuationToken: first.ContinuationToken }),
    );
    expect(second.Buckets?.map((b) => b.Name)).toEqual(["page-c"]);
    expect(second.ContinuationToken).toBeUndefined();
    for (const name of ["page-a", "page-b", "page-c"])
      await f.s3.send(new DeleteBucketCommand({ Bucket: name }));
  });

  it("answers 200 when the owner re-creates a bucket in us-east-1 (S3's legacy behaviour)", async () => {
    const again = await f.s3.send(new CreateBucketCommand({ Bucket: f.bucket }));
    expect(again.$metadata.httpStatusCode).toBe(200);
  });

  it.each([
    "ab",
    "a".repeat(64),
    "UpperCase",
    "under_score",
    "-leading",
    "trailing-",
    "double..dot",
    "192.168.5.4",
    "xn--punycode",
    "sthree-bucket",
    "amzn-s3-demo-bucket",
    "name-s3alias",
    "name--ol-s3",
    "name.mrap",
  ])("refuses the invalid bucket name %s with 400 InvalidBucketName", async (name) => {
    const failure = await sdkFailure(f.s3.send(new CreateBucketCommand({ Bucket: name })));
    expect(failure).toMatchObject({ code: "InvalidBucketName", status: 400 });
    const listed = await f.s3.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => b.Name)).not.toContain(name);
  });

  it("accepts names at the edges of the rules", async () => {
    for (const name of ["abc", "a".repeat(63), "1.2.3", "a-b.c-d"]) {
      await f.s3.send(new CreateBucketCommand({ Bucket: name }));
      await f.s3.send(new DeleteBucketCommand({ Bucket: name }));
    }
  });

  it("refuses a LocationConstraint of us-east-1 and of another region", async () => {
    const explicit = await sdkFailure(
      f.s3.send(
        new CreateBucketCommand({
          Bucket: "located",
          CreateBucketConfiguration: { LocationConstraint: "us-east-1" as never },
        }),
      ),
    );
    expect(explicit).toMatchObject({ code: "InvalidLocationConstraint", status: 400 });
    const other = await sdkFailure(
      f.s3.send(
        new CreateBucketCommand({
          Bucket: "located",
          CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
        }),
      ),
    );
    expect(other).toMatchObject({ code: "IllegalLocationConstraintException", status: 400 });
    const head = await sdkFailure(f.s3.send(new HeadBucketCommand({ Bucket: "located" })));
    expect(head.status).toBe(404);
  });

  it("refuses to delete a bucket with objects (409 BucketNotEmpty), then deletes it once empty", async () => {
    await f.s3.send(new CreateBucketCommand({ Bucket: "full-bucket" }));
    await f.s3.send(new PutObjectCommand({ Bucket: "full-bucket", Key: "k", Body: "x" }));
    const failure = await sdkFailure(f.s3.send(new DeleteBucketCommand({ Bucket: "full-bucket" })));
    expect(failure).toMatchObject({ code: "BucketNotEmpty", status: 409 });
    expect((failure.error as { BucketName?: string }).BucketName).toBe("full-bucket");
    await f.s3.send(new DeleteObjectCommand({ Bucket: "full-bucket", Key: "k" }));
    await f.s3.send(new DeleteBucketCommand({ Bucket: "full-bucket" }));
  });

  it("answers NoSuchBucket for a missing bucket (HEAD: 404 without a body)", async () => {
    expect(await sdkFailure(f.s3.send(new DeleteBucketCommand({ Bucket: "missing-bucket" })))).toMatchObject({
      code: "NoSuchBucket",
      status: 404,
    });
    const head = await fetch(`${f.url}/missing-bucket`, { method: "HEAD" });
    expect(head.status).toBe(403); // unsigned: refused before the bucket is looked up
    const signedHead = await sdkFailure(f.s3.send(new HeadBucketCommand({ Bucket: "missing-bucket" })));
    expect(signedHead).toMatchObject({ code: "NotFound", status: 404 });
    expect(
      await sdkFailure(f.s3.send(new GetBucketLocationCommand({ Bucket: "missing-bucket" }))),
    ).toMatchObject({
      code: "NoSuchBucket",
      status: 404,
    });
  });

  it("reports an empty LocationConstraint for us-east-1", async () => {
    const out = await f.s3.send(new GetBucketLocationCommand({ Bucket: f.bucket }));
    expect(out.LocationConstraint ?? "").toBe("");
  });
});

describe("buckets (another region)", () => {
  let f: StoreFixture;
  beforeAll(async () => {
    f = await startStore({ backend: "fs", options: { region: "eu-central-1" } });
  });
  afterAll(async () => {
    await f.close();
  });

  it("answers 409 BucketAlreadyOwnedByYou to a re-create outside us-east-1", async () => {
    const failure = await sdkFailure(
      f.s3.send(
        new CreateBucketCommand({
          Bucket: f.bucket,
          CreateBucketConfiguration: { LocationConstraint: "eu-central-1" },
        }),
      ),
    );
    expect(failure).toMatchObject({ code: "BucketAlreadyOwnedByYou", status: 409 });
  });

  it("needs the matching LocationConstraint to create a bucket", async () => {
    // The SDK always adds its region as LocationConstraint outside us-east-1, so send one without.
    const missing = await signedFetch(f, "PUT", "/regional");
    expect(await readS3Error(missing)).toMatchObject({
      code: "IllegalLocationConstraintException",
      status: 400,
    });
    expect((await signedFetch(f, "HEAD", "/regional")).status).toBe(404);
    await f.s3.send(
      new CreateBucketCommand({
        Bucket: "regional",
        CreateBucketConfiguration: { LocationConstraint: "eu-central-1" },
      }),
    );
    const location = await f.s3.send(new GetBucketLocationCommand({ Bucket: "regional" }));
    expect(location.LocationConstraint).toBe("eu-central-1");
    const head = await f.s3.send(new HeadBucketCommand({ Bucket: "regional" }));
    expect(head.BucketRegion).toBe("eu-central-1");
  });

  it("refuses a malformed CreateBucketConfiguration with MalformedXML", async () => {
    const client = f.s3 as S3Client;
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown; headers: Record<string, string> };
        request.body =
          "<CreateBucketConfiguration><LocationConstraint>eu-central-1</CreateBucketConfiguration>";
        delete request.headers["content-length"];
        request.headers["content-length"] = String((request.body as string).length);
        return next(args);
      },
      { step: "build", name: "corruptBody" },
    );
    try {
      const failure = await sdkFailure(
        client.send(
          new CreateBucketCommand({
            Bucket: "broken-xml",
            CreateBucketConfiguration: { LocationConstraint: "eu-central-1" },
          }),
        ),
      );
      expect(failure).toMatchObject({ code: "MalformedXML", status: 400 });
    } finally {
      client.middlewareStack.remove("corruptBody");
    }
  });
});
