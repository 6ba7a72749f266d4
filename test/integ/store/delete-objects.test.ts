import { createHash } from "node:crypto";
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readS3Error, sdkFailure } from "../../support/s3-error.js";
import { signedFetch } from "../../support/signed-fetch.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const contentMd5 = (body: string) => createHash("md5").update(body).digest("base64");
const xmlEscape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
const deleteXml = (keys: string[], quiet = false) =>
  `<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${
    quiet ? "<Quiet>true</Quiet>" : ""
  }${keys.map((k) => `<Object><Key>${xmlEscape(k)}</Key></Object>`).join("")}</Delete>`;

describe.each(["memory", "fs"] as const)("DeleteObjects (%s backend)", (backend) => {
  let f: StoreFixture;
  const keys = ["a", "dir/b", "space c", "amp&<d>", "line\rbreak"];
  const listKeys = async () =>
    ((await f.s3.send(new ListObjectsV2Command({ Bucket: f.bucket }))).Contents ?? []).map((o) => o.Key);
  const post = (body: string, headers: Record<string, string> = { "content-md5": contentMd5(body) }) =>
    signedFetch(f, "POST", `/${f.bucket}?delete`, { body: Buffer.from(body), headers });

  beforeAll(async () => {
    f = await startStore({ backend });
  });
  afterAll(async () => {
    await f.close();
  });
  beforeEach(async () => {
    for (const key of keys) await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: key, Body: key }));
  });

  it("deletes existing and missing keys alike, reporting each as Deleted", async () => {
    const out = await f.s3.send(
      new DeleteObjectsCommand({
        Bucket: f.bucket,
        Delete: { Objects: [{ Key: "a" }, { Key: "dir/b" }, { Key: "never-existed" }, { Key: "amp&<d>" }] },
      }),
    );
    expect(out.Deleted?.map((d) => d.Key).sort()).toEqual(["a", "amp&<d>", "dir/b", "never-existed"]);
    expect(out.Errors ?? []).toEqual([]);
    expect(await listKeys()).toEqual(["line\rbreak", "space c"].sort());
  });

  it("decodes character references in keys (a carriage return)", async () => {
    const res = await post(deleteXml(["line\rbreak"]));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<Deleted><Key>line&#13;break</Key></Deleted>");
    expect(await listKeys()).not.toContain("line\rbreak");
  });

  it("lists only errors in Quiet mode", async () => {
    const out = await f.s3.send(
      new DeleteObjectsCommand({
        Bucket: f.bucket,
        Delete: { Quiet: true, Objects: [{ Key: "a" }, { Key: "space c" }] },
      }),
    );
    expect(out.Deleted ?? []).toEqual([]);
    expect(out.Errors ?? []).toEqual([]);
    expect(await listKeys()).not.toContain("a");
  });

  it("reports a per-key error for a version id that does not exist", async () => {
    const out = await f.s3.send(
      new DeleteObjectsCommand({
        Bucket: f.bucket,
        Delete: {
          Objects: [
            { Key: "a", VersionId: "v123" },
            { Key: "dir/b", VersionId: "null" },
          ],
        },
      }),
    );
    expect(out.Errors).toEqual([
      { Key: "a", VersionId: "v123", Code: "NoSuchVersion", Message: expect.any(String) },
    ]);
    expect(out.Deleted).toEqual([{ Key: "dir/b", VersionId: "null" }]);
    const remaining = await listKeys();
    expect(remaining).toContain("a");
    expect(remaining).not.toContain("dir/b");
  });

  it("requires Content-MD5 or an x-amz-checksum-* header (400 InvalidRequest)", async () => {
    const res = await post(deleteXml(["a"]), {});
    expect(await readS3Error(res)).toMatchObject({
      status: 400,
      code: "InvalidRequest",
      message: "Missing required header for this request: Content-MD5",
    });
    expect(await listKeys()).toContain("a");
    const body = deleteXml(["a"]);
    const withSha = await post(body, {
      "x-amz-checksum-sha256": createHash("sha256").update(body).digest("base64"),
    });
    expect(withSha.status).toBe(200);
    await withSha.arrayBuffer();
    expect(await listKeys()).not.toContain("a");
  });

  it("refuses a body that does not match its Content-MD5 (400 BadDigest), deleting nothing", async () => {
    const res = await post(deleteXml(["a"]), { "content-md5": contentMd5("something else") });
    expect(await readS3Error(res)).toMatchObject({ status: 400, code: "BadDigest" });
    expect(await listKeys()).toContain("a");
  });

  it.each([
    ["no objects", '<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></Delete>'],
    ["an empty key", "<Delete><Object><Key></Key></Object></Delete>"],
    ["a missing key", "<Delete><Object><VersionId>null</VersionId></Object></Delete>"],
    ["two keys in one object", "<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>"],
    ["broken markup", "<Delete><Object><Key>a</Key></Delete>"],
    ["a wrong root", "<Remove><Object><Key>a</Key></Object></Remove>"],
    ["a bad Quiet", "<Delete><Quiet>maybe</Quiet><Object><Key>a</Key></Object></Delete>"],
    ["an undefined entity", "<Delete><Object><Key>&nbsp;</Key></Object></Delete>"],
    ["not XML at all", "delete a please"],
    [
      "a DTD with entity expansion",
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "a"><!ENTITY y "&x;&x;&x;">]><Delete><Object><Key>&y;</Key></Object></Delete>',
    ],
    ["1001 keys", deleteXml(Array.from({ length: 1001 }, (_, i) => `k${i}`))],
  ])("refuses %s with 400 MalformedXML", async (_name, body) => {
    const res = await post(body);
    expect(await readS3Error(res)).toMatchObject({ status: 400, code: "MalformedXML" });
    expect(await listKeys()).toContain("a");
  });

  it("accepts exactly 1000 keys", async () => {
    const many = Array.from({ length: 1000 }, (_, i) => `bulk/${i}`);
    const res = await post(deleteXml(["a", ...many.slice(1)]));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.match(/<Deleted>/g)).toHaveLength(1000);
    expect(await listKeys()).not.toContain("a");
  });

  it("answers NoSuchBucket for a missing bucket", async () => {
    const failure = await sdkFailure(
      f.s3.send(new DeleteObjectsCommand({ Bucket: "missing-bucket", Delete: { Objects: [{ Key: "a" }] } })),
    );
    expect(failure).toMatchObject({ code: "NoSuchBucket", status: 404 });
  });
});
