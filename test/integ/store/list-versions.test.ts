import { DeleteObjectsCommand, ListObjectVersionsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readS3Error } from "../../support/s3-error.js";
import { signedFetch } from "../../support/signed-fetch.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const KEYS = ["a.txt", "dir/one", "dir/two", "dir/sub/three", "z z"];

describe.each(["memory", "fs"] as const)(
  "ListObjectVersions on an unversioned bucket (%s backend)",
  (backend) => {
    let f: StoreFixture;
    beforeAll(async () => {
      f = await startStore({ backend });
      for (const Key of KEYS) await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key, Body: Key }));
    });
    afterAll(async () => {
      await f?.close();
    });

    it("lists each object as its only version, with the version id null", async () => {
      const out = await f.s3.send(new ListObjectVersionsCommand({ Bucket: f.bucket }));
      expect(out.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size])).toEqual(
        [...KEYS].sort().map((k) => [k, "null", true, Buffer.byteLength(k)]),
      );
      expect(out.Versions?.[0]?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(out.Versions?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
      expect(out.DeleteMarkers).toBeUndefined();
      expect(out.IsTruncated).toBe(false);
    });

    it("groups by delimiter and pages with key-marker", async () => {
      const grouped = await f.s3.send(
        new ListObjectVersionsCommand({ Bucket: f.bucket, Prefix: "dir/", Delimiter: "/" }),
      );
      expect(grouped.Versions?.map((v) => v.Key)).toEqual(["dir/one", "dir/two"]);
      expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["dir/sub/"]);

      const seen: string[] = [];
      let KeyMarker: string | undefined;
      let VersionIdMarker: string | undefined;
      for (let page = 0; page < 10; page++) {
        const out = await f.s3.send(
          new ListObjectVersionsCommand({ Bucket: f.bucket, MaxKeys: 2, KeyMarker, VersionIdMarker }),
        );
        seen.push(...(out.Versions ?? []).map((v) => v.Key!));
        if (!out.IsTruncated) break;
        expect(out.NextVersionIdMarker).toBe("null");
        KeyMarker = out.NextKeyMarker;
        VersionIdMarker = out.NextVersionIdMarker;
      }
      expect(seen).toEqual([...KEYS].sort());
    });

    it("url-encodes keys with encoding-type=url", async () => {
      const res = await signedFetch(f, "GET", `/${f.bucket}?versions&encoding-type=url&prefix=z`);
      const xml = await res.text();
      expect(xml).toContain("<Key>z%20z</Key>");
      expect(xml).toContain("<EncodingType>url</EncodingType>");
    });

    it("refuses a version-id-marker without a key-marker, or naming a version that cannot exist", async () => {
      for (const query of ["version-id-marker=null", "key-marker=a.txt&version-id-marker=abc"]) {
        const res = await signedFetch(f, "GET", `/${f.bucket}?versions&${query}`);
        expect(await readS3Error(res), query).toMatchObject({ status: 400, code: "InvalidArgument" });
      }
    });

    it("feeds DeleteObjects the way cleanup scripts (and ceph/s3-tests) use it", async () => {
      await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: "tmp/x", Body: "x" }));
      const out = await f.s3.send(new ListObjectVersionsCommand({ Bucket: f.bucket, Prefix: "tmp/" }));
      const deleted = await f.s3.send(
        new DeleteObjectsCommand({
          Bucket: f.bucket,
          Delete: { Objects: out.Versions!.map((v) => ({ Key: v.Key!, VersionId: v.VersionId! })) },
        }),
      );
      expect(deleted.Deleted?.map((d) => [d.Key, d.VersionId])).toEqual([["tmp/x", "null"]]);
      const after = await f.s3.send(new ListObjectVersionsCommand({ Bucket: f.bucket, Prefix: "tmp/" }));
      expect(after.Versions).toBeUndefined();
    });
  },
);
