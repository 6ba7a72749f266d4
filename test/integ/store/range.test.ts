import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readS3Error, sdkFailure } from "../../support/s3-error.js";
import { signedFetch } from "../../support/signed-fetch.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const BODY = "0123456789abcdefghij"; // 20 bytes

describe.each(["memory", "fs"] as const)("range reads (%s backend)", (backend) => {
  let f: StoreFixture;
  const ranged = (range: string, method = "GET", key = "r/twenty") =>
    signedFetch(f, method, `/${f.bucket}/${key}`, { headers: { range } });

  beforeAll(async () => {
    f = await startStore({ backend });
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "r/twenty", Body: BODY }));
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "r/empty", Body: "" }));
  });
  afterAll(async () => {
    await f.close();
  });

  it.each([
    ["bytes=0-9", "0123456789", "bytes 0-9/20"],
    ["bytes=5-5", "5", "bytes 5-5/20"],
    ["bytes=15-", "fghij", "bytes 15-19/20"],
    ["bytes=-3", "hij", "bytes 17-19/20"],
    ["bytes=10-1000", "abcdefghij", "bytes 10-19/20"],
    ["bytes=-50", BODY, "bytes 0-19/20"],
    ["bytes=0-", BODY, "bytes 0-19/20"],
    ["bytes=19-19", "j", "bytes 19-19/20"],
  ])("%s gives 206 with the bytes and Content-Range", async (range, expected, contentRange) => {
    const res = await ranged(range);
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(contentRange);
    expect(res.headers.get("content-length")).toBe(String(expected.length));
    expect(await res.text()).toBe(expected);
  });

  it.each(["bytes=20-", "bytes=20-30", "bytes=100-200", "bytes=-0"])(
    "%s is 416 InvalidRange with ActualObjectSize and RangeRequested",
    async (range) => {
      const res = await ranged(range);
      expect(await readS3Error(res)).toMatchObject({
        status: 416,
        code: "InvalidRange",
        fields: { ActualObjectSize: "20", RangeRequested: range },
      });
    },
  );

  it("any range of an empty object is 416", async () => {
    for (const range of ["bytes=0-", "bytes=0-0", "bytes=-1"]) {
      const res = await ranged(range, "GET", "r/empty");
      expect(await readS3Error(res)).toMatchObject({
        status: 416,
        code: "InvalidRange",
        fields: { ActualObjectSize: "0" },
      });
    }
  });

  it.each(["bytes=0-1,3-4", "bytes=5-2", "bytes=abc", "items=0-1", "bytes=-", "bytes 0-1"])(
    "ignores %j and returns the whole object with 200",
    async (range) => {
      const res = await ranged(range);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-range")).toBeNull();
      expect(await res.text()).toBe(BODY);
    },
  );

  it("HEAD with a range answers 206 with the range's length and no body", async () => {
    const res = await ranged("bytes=2-5", "HEAD");
    expect(res.status).toBe(206);
    expect(res.headers.get("content-length")).toBe("4");
    expect(res.headers.get("content-range")).toBe("bytes 2-5/20");
    expect(await res.text()).toBe("");
  });

  it("works through the SDK, including its InvalidRange error", async () => {
    const got = await f.s3.send(
      new GetObjectCommand({ Bucket: f.bucket, Key: "r/twenty", Range: "bytes=3-6" }),
    );
    expect(got.$metadata.httpStatusCode).toBe(206);
    expect(got.ContentRange).toBe("bytes 3-6/20");
    expect(await got.Body!.transformToString()).toBe("3456");
    const failure = await sdkFailure(
      f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: "r/twenty", Range: "bytes=40-50" })),
    );
    expect(failure).toMatchObject({ code: "InvalidRange", status: 416 });
  });

  it("applies conditions before the range (If-None-Match match gives 304, not 206)", async () => {
    const head = await signedFetch(f, "HEAD", `/${f.bucket}/r/twenty`);
    const res = await signedFetch(f, "GET", `/${f.bucket}/r/twenty`, {
      headers: { range: "bytes=0-1", "if-none-match": head.headers.get("etag")! },
    });
    expect(res.status).toBe(304);
  });
});
