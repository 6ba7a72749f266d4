import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseS3Error } from "../../support/s3-error.js";
import { sendParts } from "./signed-parts.js";
import {
  complete,
  createUpload,
  type Harness,
  PNG_1X1,
  postForm,
  putWith,
  signToken,
  startGateway,
} from "./support.js";

const png = { name: "a.png", type: "image/png", size: PNG_1X1.length };

const s3Code = async (res: Response) => parseS3Error(await res.text(), res.status).code;

describe("storage.acl: every upload signs its ACL, so storage refuses any other", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startGateway({
      storage: { acl: "private" },
      routes: {
        images: { types: ["image/png"], maxSize: "1MB", strategy: "put" },
        forms: { types: ["image/png"], maxSize: "1MB", strategy: "post" },
        videos: { types: ["application/octet-stream"], maxSize: "10MB", strategy: "multipart" },
      },
    });
    token = await signToken("alice");
  });
  afterAll(async () => {
    await h.close();
  });

  it("a PUT URL signs x-amz-acl; the upload with it verifies, one sending another ACL is refused", async () => {
    const put = (await createUpload(h, token, "images", png)).body.uploads[0];
    expect(put.headers["x-amz-acl"]).toBe("private");
    expect(new URL(put.url).searchParams.get("X-Amz-SignedHeaders")?.split(";")).toContain("x-amz-acl");
    const other = await putWith(put, PNG_1X1, { ...put.headers, "x-amz-acl": "public-read" });
    expect(other.status).toBe(403);
    expect(await s3Code(other)).toBe("SignatureDoesNotMatch");
    expect(await h.gateway.storage.head(put.key)).toBeUndefined();
    expect((await putWith(put, PNG_1X1)).status).toBe(200);
    expect((await complete(h, token, put.id)).res.status).toBe(200);
  });

  it("a POST policy pins the acl field; the promoted copy keeps it; a form with another ACL is refused", async () => {
    const form = (await createUpload(h, token, "forms", png)).body.uploads[0];
    expect(form.fields.acl).toBe("private");
    const policy = JSON.parse(Buffer.from(form.fields.policy, "base64").toString("utf8"));
    expect(policy.conditions).toContainEqual({ acl: "private" });
    const other = await postForm(
      { ...form, fields: { ...form.fields, acl: "public-read" } },
      PNG_1X1,
      "image/png",
    );
    expect(other.status).toBe(403);
    expect((await postForm(form, PNG_1X1, "image/png")).status).toBe(204);
    const { res, body } = await complete(h, token, form.id);
    expect(res.status).toBe(200);
    expect(body.upload.key).not.toBe(form.key);
  });

  it("CreateMultipartUpload carries the ACL: the multipart upload completes and verifies", async () => {
    const data = new TextEncoder().encode("a small one-part multipart upload\n");
    const { res, body } = await createUpload(h, token, "videos", {
      name: "clip.bin",
      type: "application/octet-stream",
      size: data.length,
    });
    expect(res.status).toBe(201);
    const [mp] = body.uploads;
    const parts = await sendParts(h, token, mp, data);
    const done = await complete(h, token, mp.id, { parts });
    expect(done.res.status).toBe(200);
  });

  it("the embedded store, which keeps no ACLs, refuses a signed ACL that is not owner-only, as S3 with ACLs disabled", async () => {
    const storage = h.gateway.storage;
    for (const acl of ["private", "bucket-owner-full-control"]) {
      const key = `acl/${acl}.txt`;
      const signed = await storage.presignPut(key, { "x-amz-acl": acl }, 60);
      expect((await fetch(signed.url, { method: "PUT", headers: signed.headers, body: "x" })).status).toBe(
        200,
      );
      await storage.delete(key);
    }
    for (const headers of <Array<Record<string, string>>>[
      { "x-amz-acl": "public-read" },
      { "x-amz-grant-read": 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' },
    ]) {
      const signed = await storage.presignPut("acl/public.txt", headers, 60);
      const res = await fetch(signed.url, { method: "PUT", headers: signed.headers, body: "x" });
      expect(res.status).toBe(400);
      expect(parseS3Error(await res.text(), 400)).toMatchObject({
        code: "AccessControlListNotSupported",
        message: "The bucket does not allow ACLs",
      });
    }
    await expect(storage.createMultipart("acl/mp.bin", { "x-amz-acl": "public-read" })).rejects.toMatchObject(
      {
        code: "AccessControlListNotSupported",
        status: 400,
      },
    );
    expect(await storage.head("acl/public.txt")).toBeUndefined();
  });
});
