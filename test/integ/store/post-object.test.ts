import { createHash, randomBytes } from "node:crypto";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostPolicy, type PolicyCondition } from "../../../src/core/sigv4/post-policy.js";
import { readS3Error } from "../../support/s3-error.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const md5Hex = (b: Uint8Array | string) => createHash("md5").update(b).digest("hex");
const sha256Base64 = (b: Uint8Array) => createHash("sha256").update(b).digest("base64");

interface FilePart {
  data: Uint8Array;
  filename?: string;
  type?: string;
  /** The part's field name ("file" unless testing its case-insensitivity). */
  name?: string;
}

/** A multipart/form-data POST: fields in order, then the file (if any), then fields after it. */
function postForm(
  url: string,
  fields: Record<string, string> | Array<[string, string]>,
  files: FilePart[] = [],
  after: Array<[string, string]> = [],
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Array.isArray(fields) ? fields : Object.entries(fields))
    form.append(name, value);
  for (const file of files) {
    form.append(
      file.name ?? "file",
      new Blob([file.data], { type: file.type ?? "application/octet-stream" }),
      file.filename ?? "upload.bin",
    );
  }
  for (const [name, value] of after) form.append(name, value);
  return fetch(url, { method: "POST", body: form, redirect: "manual" });
}

describe("POST Object (browser form upload)", () => {
  let f: StoreFixture;

  beforeAll(async () => {
    f = await startStore();
  });
  afterAll(async () => {
    await f.close();
  });

  async function head(key: string) {
    try {
      const out = await f.s3.send(new HeadObjectCommand({ Bucket: f.bucket, Key: key }));
      return { etag: out.ETag, size: out.ContentLength, type: out.ContentType, metadata: out.Metadata };
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return undefined;
      throw err;
    }
  }

  async function body(key: string): Promise<Buffer> {
    const out = await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  }

  const policy = (input: {
    key?: string;
    keyPrefix?: string;
    fields?: Record<string, string>;
    conditions?: PolicyCondition[];
    date?: Date;
    expiresIn?: number;
  }) =>
    createPostPolicy({
      endpoint: f.url,
      bucket: f.bucket,
      forcePathStyle: true,
      region: f.region,
      credentials: f.credentials,
      expiresIn: input.expiresIn ?? 300,
      ...input,
    });

  describe("accepted uploads", () => {
    it("stores a file posted with an @aws-sdk/s3-presigned-post form (204, ETag, type and metadata)", async () => {
      const { url, fields } = await createPresignedPost(f.s3, {
        Bucket: f.bucket,
        Key: "sdk/photo.png",
        Conditions: [
          ["content-length-range", 1, 4096],
          ["starts-with", "$Content-Type", "image/"],
        ],
        Fields: { "Content-Type": "image/png", "x-amz-meta-owner": "user-1" },
        Expires: 300,
      });
      const data = randomBytes(3000);
      const res = await postForm(url, fields, [{ data, filename: "photo.png", type: "text/plain" }]);
      expect(res.status).toBe(204);
      expect(await res.text()).toBe("");
      expect(res.headers.get("etag")).toBe(`"${md5Hex(data)}"`);
      expect(res.headers.get("location")).toBe(`${f.url}/${f.bucket}/sdk/photo.png`);
      expect(await head("sdk/photo.png")).toEqual({
        etag: `"${md5Hex(data)}"`,
        size: 3000,
        type: "image/png",
        metadata: { owner: "user-1" },
      });
      expect((await body("sdk/photo.png")).equals(data)).toBe(true);
    });

    it("substitutes the file name into the key, answers 201 with a PostResponse, and ignores fields after the file", async () => {
      const p = await policy({ keyPrefix: "named/", fields: { success_action_status: "201" } });
      const data = Buffer.from("a small text file\n");
      const res = await postForm(
        p.url,
        p.fields,
        [{ data, filename: "notes.txt" }],
        [["x-amz-meta-late", "ignored"]],
      );
      expect(res.status).toBe(201);
      const xml = await res.text();
      expect(xml).toContain("<PostResponse>");
      expect(xml).toContain(`<Location>${f.url}/${f.bucket}/named/notes.txt</Location>`);
      expect(xml).toContain(`<Bucket>${f.bucket}</Bucket>`);
      expect(xml).toContain("<Key>named/notes.txt</Key>");
      expect(xml).toContain(`<ETag>&quot;${md5Hex(data)}&quot;</ETag>`);
      const stored = await head("named/notes.txt");
      expect(stored?.metadata).toEqual({});
      expect(stored?.type).toBe("binary/octet-stream");
    });

    it("answers 200 when asked, and 303 to success_action_redirect with bucket, key and etag", async () => {
      const ok = await policy({ key: "status/200.bin", fields: { success_action_status: "200" } });
      const r200 = await postForm(ok.url, ok.fields, [{ data: Buffer.from("x") }]);
      expect(r200.status).toBe(200);
      expect(await r200.text()).toBe("");

      const redirect = "https://app.example.com/done?from=form";
      const p = await policy({ key: "status/303.bin", fields: { success_action_redirect: redirect } });
      const data = Buffer.from("redirected");
      const res = await postForm(p.url, p.fields, [{ data }]);
      expect(res.status).toBe(303);
      const location = new URL(res.headers.get("location")!);
      expect(location.origin + location.pathname).toBe("https://app.example.com/done");
      expect(Object.fromEntries(location.searchParams)).toEqual({
        from: "form",
        bucket: f.bucket,
        key: "status/303.bin",
        etag: `"${md5Hex(data)}"`,
      });
      expect((await head("status/303.bin"))?.size).toBe(data.length);
    });

    it("matches field names case-insensitively, including the file part", async () => {
      const p = await policy({ key: "case/upper.bin", fields: { "Content-Type": "text/csv" } });
      const upper: Array<[string, string]> = Object.entries(p.fields).map(([k, v]) => [k.toUpperCase(), v]);
      const data = Buffer.from("a,b\n1,2\n");
      const res = await postForm(p.url, upper, [{ data, name: "File" }]);
      expect(res.status).toBe(204);
      expect((await head("case/upper.bin"))?.type).toBe("text/csv");
    });

    it("verifies an x-amz-checksum-sha256 field against the file", async () => {
      const data = randomBytes(10_000);
      const good = await policy({
        key: "sum/good.bin",
        fields: { "x-amz-checksum-sha256": sha256Base64(data) },
      });
      expect((await postForm(good.url, good.fields, [{ data }])).status).toBe(204);
      const stored = await f.s3.send(
        new HeadObjectCommand({ Bucket: f.bucket, Key: "sum/good.bin", ChecksumMode: "ENABLED" }),
      );
      expect(stored.ChecksumSHA256).toBe(sha256Base64(data));

      const bad = await policy({
        key: "sum/bad.bin",
        fields: { "x-amz-checksum-sha256": sha256Base64(randomBytes(8)) },
      });
      const err = await readS3Error(await postForm(bad.url, bad.fields, [{ data }]));
      expect(err).toMatchObject({ status: 400, code: "BadDigest" });
      expect(await head("sum/bad.bin")).toBeUndefined();
    });
  });

  describe("refused uploads leave the store unchanged", () => {
    const key = "guarded/object.bin";
    const original = Buffer.from("the original object");

    beforeAll(async () => {
      await f.s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: key, Body: original }));
    });

    /** The guarded object is still the original one, and nothing else appeared under the prefix. */
    async function unchanged() {
      expect(await head(key)).toMatchObject({ etag: `"${md5Hex(original)}"`, size: original.length });
      expect((await body(key)).equals(original)).toBe(true);
      expect(await head("guarded/other.bin")).toBeUndefined();
    }

    async function refused(res: Response, status: number, code: string, message?: string) {
      const err = await readS3Error(res);
      expect({ status: err.status, code: err.code }).toEqual({ status, code });
      if (message !== undefined) expect(err.message).toBe(message);
      await unchanged();
      return err;
    }

    it("eq: a field with another value than the policy's", async () => {
      const p = await policy({ key, fields: { "Content-Type": "image/png" } });
      await refused(
        await postForm(p.url, { ...p.fields, "Content-Type": "text/html" }, [
          { data: Buffer.from("<script>") },
        ]),
        403,
        "AccessDenied",
        'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "image/png"]',
      );
    });

    it("starts-with: a key outside the allowed prefix", async () => {
      const p = await policy({ keyPrefix: "user-7/" });
      await refused(
        await postForm(p.url, { ...p.fields, key }, [{ data: Buffer.from("mine now") }]),
        403,
        "AccessDenied",
        'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "user-7/"]',
      );
    });

    it("content-length-range: a file over the maximum (EntityTooLarge, exact sizes)", async () => {
      const p = await policy({ key, conditions: [["content-length-range", 10, 1024 * 1024]] });
      const data = randomBytes(3 * 1024 * 1024 + 5);
      const err = await refused(await postForm(p.url, p.fields, [{ data }]), 400, "EntityTooLarge");
      expect(err.fields).toMatchObject({
        ProposedSize: String(data.length),
        MaxSizeAllowed: String(1024 * 1024),
      });
      const edge = await postForm(p.url, p.fields, [{ data: data.subarray(0, 1024 * 1024 + 1) }]);
      expect((await readS3Error(edge)).code).toBe("EntityTooLarge");
      await unchanged();
    });

    it("content-length-range: a file under the minimum (EntityTooSmall)", async () => {
      const p = await policy({ key, conditions: [["content-length-range", 10, 1024]] });
      const err = await refused(
        await postForm(p.url, p.fields, [{ data: Buffer.from("tiny") }]),
        400,
        "EntityTooSmall",
      );
      expect(err.fields).toMatchObject({ ProposedSize: "4", MinSizeAllowed: "10" });
    });

    it("content-length-range bounds are inclusive", async () => {
      const p = await policy({
        key: "guarded/range-edges.bin",
        conditions: [["content-length-range", 4, 8]],
      });
      expect((await postForm(p.url, p.fields, [{ data: Buffer.from("1234") }])).status).toBe(204);
      expect((await postForm(p.url, p.fields, [{ data: Buffer.from("12345678") }])).status).toBe(204);
    });

    it("a field the policy does not cover", async () => {
      const p = await policy({ key });
      await refused(
        await postForm(p.url, { ...p.fields, "x-amz-meta-role": "admin" }, [{ data: Buffer.from("x") }]),
        403,
        "AccessDenied",
        "Invalid according to Policy: Extra input fields: x-amz-meta-role",
      );
    });

    it("an expired policy", async () => {
      const p = await policy({ key, date: new Date(Date.now() - 10 * 60_000), expiresIn: 60 });
      await refused(
        await postForm(p.url, p.fields, [{ data: Buffer.from("late") }]),
        403,
        "AccessDenied",
        "Invalid according to Policy: Policy expired.",
      );
    });

    it("a tampered signature or policy", async () => {
      const p = await policy({ key, conditions: [["content-length-range", 0, 10]] });
      const sig = p.fields["x-amz-signature"]!;
      const flipped = (sig[0] === "0" ? "1" : "0") + sig.slice(1);
      await refused(
        await postForm(p.url, { ...p.fields, "x-amz-signature": flipped }, [{ data: Buffer.from("x") }]),
        403,
        "SignatureDoesNotMatch",
      );
      const widened = Buffer.from(
        JSON.stringify({ ...p.policy, conditions: p.policy.conditions.filter((c) => !Array.isArray(c)) }),
      ).toString("base64");
      await refused(
        await postForm(p.url, { ...p.fields, policy: widened }, [{ data: randomBytes(100) }]),
        403,
        "SignatureDoesNotMatch",
      );
    });

    it("two files, or none", async () => {
      const p = await policy({ key });
      const data = Buffer.from("x");
      await refused(
        await postForm(p.url, p.fields, [{ data }, { data: Buffer.from("second") }]),
        400,
        "IncorrectNumberOfFilesInPostRequest",
      );
      await refused(await postForm(p.url, p.fields), 400, "IncorrectNumberOfFilesInPostRequest");
    });

    it("a body that is not well-formed multipart/form-data", async () => {
      const p = await policy({ key });
      const boundary = "----upgate-test-boundary";
      const parts = Object.entries(p.fields)
        .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
        .join("");
      const truncated = `${parts}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\nhalf a file`;
      const headers = { "content-type": `multipart/form-data; boundary=${boundary}` };
      await refused(
        await fetch(`${f.url}/${f.bucket}`, { method: "POST", headers, body: truncated }),
        400,
        "MalformedPOSTRequest",
      );
      const noBoundary = await fetch(`${f.url}/${f.bucket}`, {
        method: "POST",
        headers: { "content-type": "multipart/form-data" },
        body: "whatever",
      });
      await refused(noBoundary, 400, "MalformedPOSTRequest");
      const badHeader = `--${boundary}\r\nContent-Disposition form-data\r\n\r\nx\r\n--${boundary}--\r\n`;
      await refused(
        await fetch(`${f.url}/${f.bucket}`, { method: "POST", headers, body: badHeader }),
        400,
        "MalformedPOSTRequest",
      );
    });

    it("fields before the file larger than 20 KB", async () => {
      const p = await policy({ key, conditions: [["starts-with", "$x-amz-meta-note", ""]] });
      await refused(
        await postForm(p.url, { ...p.fields, "x-amz-meta-note": "n".repeat(21 * 1024) }, [
          { data: Buffer.from("x") },
        ]),
        400,
        "MaxPostPreDataLengthExceededError",
      );
    });

    it("a bucket that does not exist", async () => {
      const p = await createPostPolicy({
        endpoint: f.url,
        bucket: "no-such-bucket",
        forcePathStyle: true,
        key,
        region: f.region,
        credentials: f.credentials,
        expiresIn: 60,
      });
      await refused(await postForm(p.url, p.fields, [{ data: Buffer.from("x") }]), 404, "NoSuchBucket");
    });
  });
});
