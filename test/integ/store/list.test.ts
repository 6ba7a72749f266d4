import { ListObjectsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readS3Error } from "../../support/s3-error.js";
import { signedFetch } from "../../support/signed-fetch.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** What a listing must return, in order: "K:key" for objects and "P:prefix" for common prefixes. */
function model(keys: string[], prefix: string, delimiter: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const key of keys.filter((k) => k.startsWith(prefix)).sort(utf8Order)) {
    const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (at === -1) {
      out.push(`K:${key}`);
      continue;
    }
    const group = key.slice(0, at + delimiter.length);
    if (!seen.has(group)) out.push(`P:${group}`);
    seen.add(group);
  }
  return out;
}

const KEYS = [
  ...Array.from({ length: 40 }, (_, i) => `photos/2024/${String(i).padStart(3, "0")}.jpg`),
  ...Array.from({ length: 15 }, (_, i) => `photos/2025/${i}.jpg`),
  ...Array.from({ length: 12 }, (_, i) => `docs/${i}/readme.md`),
  "photos/top.jpg",
  "photos/",
  "photos//double",
  "/leading",
  "a",
  "A",
  "b",
  "z",
  "~tilde",
  "é/accent",
  "\u{E000}private",
  "😀/emoji",
  "日本/語",
  "with space/x",
  "with+plus/y",
  "dash--sep--one",
  "dash--sep--two",
  "dash--x",
];

async function putAll(f: StoreFixture, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 16) {
    await Promise.all(
      keys
        .slice(i, i + 16)
        .map((Key) => f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key, Body: Key }))),
    );
  }
}

describe.each(["memory", "fs"] as const)("listing (%s backend)", (backend) => {
  let f: StoreFixture;

  async function listAllV2(prefix: string, delimiter: string, maxKeys: number) {
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const out = await f.s3.send(
        new ListObjectsV2Command({
          Bucket: f.bucket,
          Prefix: prefix || undefined,
          Delimiter: delimiter || undefined,
          MaxKeys: maxKeys,
          ContinuationToken: token,
        }),
      );
      const page = [
        ...(out.Contents ?? []).map((c) => `K:${c.Key}`),
        ...(out.CommonPrefixes ?? []).map((p) => `P:${p.Prefix}`),
      ].sort((a, b) => utf8Order(a.slice(2), b.slice(2)));
      expect(out.KeyCount).toBe(page.length);
      expect(page.length).toBeLessThanOrEqual(maxKeys);
      expect(out.IsTruncated).toBe(out.NextContinuationToken !== undefined);
      if (out.IsTruncated) expect(page.length).toBe(maxKeys);
      pages.push(page);
      token = out.NextContinuationToken;
      expect(pages.length).toBeLessThan(500);
    } while (token);
    return pages.flat();
  }

  beforeAll(async () => {
    f = await startStore({ backend });
    await putAll(f, KEYS);
  });
  afterAll(async () => {
    await f.close();
  });

  it("lists every key in UTF-8 binary order", async () => {
    const out = await f.s3.send(new ListObjectsV2Command({ Bucket: f.bucket }));
    expect(out.Contents?.map((c) => c.Key)).toEqual([...KEYS].sort(utf8Order));
    expect(out.KeyCount).toBe(KEYS.length);
    expect(out.IsTruncated).toBe(false);
    expect(out.MaxKeys).toBe(1000);
    const first = out.Contents?.find((c) => c.Key === "a");
    expect(first).toMatchObject({
      Size: 1,
      StorageClass: "STANDARD",
      ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
    });
    expect(first?.LastModified?.getMilliseconds()).toBe(0);
    expect(first?.Owner).toBeUndefined();
  });

  it.each([
    ["", "", 1],
    ["", "", 7],
    ["", "/", 1],
    ["", "/", 3],
    ["", "/", 1000],
    ["photos/", "/", 4],
    ["photos/", "", 9],
    ["photos/2024/", "/", 11],
    ["photos", "/", 2],
    ["", "--", 2],
    ["dash--", "--", 1],
    ["docs/", "/", 5],
    ["nothing-here/", "/", 5],
  ])(
    "prefix %j, delimiter %j, max-keys %i pages exactly through the model listing",
    async (prefix, delimiter, max) => {
      const listed = await listAllV2(prefix, delimiter, max);
      expect(listed).toEqual(model(KEYS, prefix, delimiter));
    },
  );

  it("counts a common prefix as one entry toward max-keys and resumes after the whole group", async () => {
    const page = (token?: string) =>
      f.s3.send(
        new ListObjectsV2Command({
          Bucket: f.bucket,
          Prefix: "photos/",
          Delimiter: "/",
          MaxKeys: 2,
          ContinuationToken: token,
        }),
      );
    const first = await page();
    expect(first.Contents?.map((c) => c.Key)).toEqual(["photos/"]);
    expect(first.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["photos//"]);
    expect(first.IsTruncated).toBe(true);
    const second = await page(first.NextContinuationToken);
    expect(second.ContinuationToken).toBe(first.NextContinuationToken);
    expect(second.Contents ?? []).toEqual([]);
    expect(second.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["photos/2024/", "photos/2025/"]);
    expect(second.IsTruncated).toBe(true);
    const third = await page(second.NextContinuationToken);
    expect(third.Contents?.map((c) => c.Key)).toEqual(["photos/top.jpg"]);
    expect(third.CommonPrefixes ?? []).toEqual([]);
    expect(third.IsTruncated).toBe(false);
  });

  it("starts after start-after, which is echoed", async () => {
    const out = await f.s3.send(
      new ListObjectsV2Command({ Bucket: f.bucket, Prefix: "photos/2025/", StartAfter: "photos/2025/5.jpg" }),
    );
    expect(out.StartAfter).toBe("photos/2025/5.jpg");
    expect(out.Contents?.map((c) => c.Key)).toEqual(["6", "7", "8", "9"].map((n) => `photos/2025/${n}.jpg`));
  });

  it("returns nothing, untruncated, for max-keys=0", async () => {
    const out = await f.s3.send(new ListObjectsV2Command({ Bucket: f.bucket, MaxKeys: 0 }));
    expect(out.KeyCount).toBe(0);
    expect(out.IsTruncated).toBe(false);
    expect(out.Contents).toBeUndefined();
  });

  it("adds owners with fetch-owner=true", async () => {
    const out = await f.s3.send(new ListObjectsV2Command({ Bucket: f.bucket, FetchOwner: true, MaxKeys: 2 }));
    expect(out.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it("URL-encodes keys, prefixes and the delimiter with encoding-type=url", async () => {
    const res = await signedFetch(
      f,
      "GET",
      `/${f.bucket}?list-type=2&encoding-type=url&delimiter=%2F&prefix=with&start-after=with%20`,
    );
    const xml = await res.text();
    const doc = new XMLParser({ parseTagValue: false, isArray: (n) => n === "CommonPrefixes" }).parse(xml);
    const result = doc.ListBucketResult;
    expect(result.EncodingType).toBe("url");
    expect(result.Delimiter).toBe("/");
    // A space is %20 (as Ceph RGW writes it), which every URL decoder reads back as a space.
    expect(result.StartAfter).toBe("with%20");
    expect(result.CommonPrefixes.map((p: { Prefix: string }) => p.Prefix)).toEqual([
      "with%20space/",
      "with%2Bplus/",
    ]);
    expect(result.CommonPrefixes.map((p: { Prefix: string }) => decodeURIComponent(p.Prefix))).toEqual([
      "with space/",
      "with+plus/",
    ]);
    const keys = await signedFetch(
      f,
      "GET",
      `/${f.bucket}?list-type=2&encoding-type=url&prefix=%F0%9F%98%80`,
    );
    expect(await keys.text()).toContain("<Key>%F0%9F%98%80/emoji</Key>");
  });

  it("refuses bad max-keys, encoding-type and continuation tokens with 400 InvalidArgument", async () => {
    for (const query of [
      "list-type=2&max-keys=-1",
      "list-type=2&max-keys=ten",
      "list-type=2&encoding-type=base64",
      "list-type=2&continuation-token=garbage",
      "max-keys=99999999999",
    ]) {
      const res = await signedFetch(f, "GET", `/${f.bucket}?${query}`);
      expect(await readS3Error(res), query).toMatchObject({ status: 400, code: "InvalidArgument" });
    }
  });

  it("takes an empty continuation-token as none, and echoes it", async () => {
    const res = await signedFetch(
      f,
      "GET",
      `/${f.bucket}?list-type=2&continuation-token=&prefix=photos/2025/`,
    );
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain("<ContinuationToken></ContinuationToken>");
    expect(xml).toContain("<Key>photos/2025/0.jpg</Key>");
    const sdk = await f.s3.send(
      new ListObjectsV2Command({ Bucket: f.bucket, Prefix: "photos/2025/", ContinuationToken: "" }),
    );
    expect(sdk.Contents).toHaveLength(15);
  });

  it("encodes a newline in Prefix for ListObjectsV2, and echoes ListObjects' Prefix as sent", async () => {
    const v2 = await signedFetch(f, "GET", `/${f.bucket}?list-type=2&encoding-type=url&prefix=%0A`);
    expect(await v2.text()).toContain("<Prefix>%0A</Prefix>");
    // botocore asks every ListObjects for url encoding and never decodes this element.
    const v1 = await signedFetch(f, "GET", `/${f.bucket}?encoding-type=url&prefix=%0A&delimiter=%2F`);
    const v1Xml = await v1.text();
    expect(v1Xml).toContain("<Prefix>\n</Prefix>");
    expect(v1Xml).toContain("<Delimiter>/</Delimiter>");
    // A prefix XML cannot carry is still encoded.
    const ctrl = await signedFetch(f, "GET", `/${f.bucket}?encoding-type=url&prefix=a%01b`);
    expect(await ctrl.text()).toContain("<Prefix>a%01b</Prefix>");
  });

  describe("ListObjects (v1)", () => {
    it("pages with marker, giving NextMarker only with a delimiter", async () => {
      const plain = await f.s3.send(
        new ListObjectsCommand({ Bucket: f.bucket, Prefix: "photos/2024/", MaxKeys: 10 }),
      );
      expect(plain.IsTruncated).toBe(true);
      expect(plain.NextMarker).toBeUndefined();
      expect(plain.Contents).toHaveLength(10);
      expect(plain.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
      const next = await f.s3.send(
        new ListObjectsCommand({
          Bucket: f.bucket,
          Prefix: "photos/2024/",
          MaxKeys: 10,
          Marker: plain.Contents?.at(-1)?.Key,
        }),
      );
      expect(next.Marker).toBe("photos/2024/009.jpg");
      expect(next.Contents?.[0]?.Key).toBe("photos/2024/010.jpg");

      const grouped = await f.s3.send(
        new ListObjectsCommand({ Bucket: f.bucket, Delimiter: "/", MaxKeys: 3 }),
      );
      expect(grouped.IsTruncated).toBe(true);
      const names = [
        ...(grouped.Contents ?? []).map((c) => c.Key!),
        ...(grouped.CommonPrefixes ?? []).map((p) => p.Prefix!),
      ].sort(utf8Order);
      expect(grouped.NextMarker).toBe(names.at(-1));
      const all: string[] = [];
      let marker: string | undefined;
      for (;;) {
        const page = await f.s3.send(
          new ListObjectsCommand({ Bucket: f.bucket, Delimiter: "/", MaxKeys: 3, Marker: marker }),
        );
        all.push(
          ...[
            ...(page.Contents ?? []).map((c) => `K:${c.Key}`),
            ...(page.CommonPrefixes ?? []).map((p) => `P:${p.Prefix}`),
          ].sort((a, b) => utf8Order(a.slice(2), b.slice(2))),
        );
        if (!page.IsTruncated) break;
        marker = page.NextMarker;
      }
      expect(all).toEqual(model(KEYS, "", "/"));
    });
  });
});

describe("listing a thousand-plus keys", () => {
  let f: StoreFixture;
  const keys = Array.from({ length: 1105 }, (_, i) => `bulk/${String(i).padStart(5, "0")}`);

  beforeAll(async () => {
    f = await startStore();
    await putAll(f, keys);
  });
  afterAll(async () => {
    await f.close();
  });

  it("caps a page at 1000 keys and continues with the token", async () => {
    const first = await f.s3.send(new ListObjectsV2Command({ Bucket: f.bucket, MaxKeys: 5000 }));
    expect(first.Contents).toHaveLength(1000);
    expect(first.IsTruncated).toBe(true);
    const second = await f.s3.send(
      new ListObjectsV2Command({ Bucket: f.bucket, ContinuationToken: first.NextContinuationToken }),
    );
    expect(second.Contents).toHaveLength(105);
    expect([...first.Contents!, ...second.Contents!].map((c) => c.Key)).toEqual(keys);
  });

  it("encodes control characters that XML cannot carry when encoding-type=url is asked for", async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "ctrl\u0001key\u001f end", Body: "x" }));
    const res = await signedFetch(f, "GET", `/${f.bucket}?list-type=2&encoding-type=url&prefix=ctrl`);
    expect(await res.text()).toContain("<Key>ctrl%01key%1F%20end</Key>");
  });

  it("rolls a thousand keys up into one common prefix", async () => {
    const out = await f.s3.send(
      new ListObjectsV2Command({ Bucket: f.bucket, Prefix: "bulk", Delimiter: "/", MaxKeys: 1 }),
    );
    expect(out.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["bulk/"]);
    expect(out.IsTruncated).toBe(false);
  });
});
