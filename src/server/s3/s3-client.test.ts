import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EMPTY_SHA256 } from "../../core/sigv4/canonical.js";
import { putBucketCors } from "./bucket-cors.js";
import { createStorageClient } from "./s3-client.js";
import { createS3Transport } from "./transport.js";
import { type StorageConfig, StorageError } from "./types.js";

const CONFIG: StorageConfig = {
  endpoint: "https://s3.example.com",
  region: "eu-west-1",
  bucket: "uploads",
  credentials: { accessKeyId: "AKID", secretAccessKey: "secret" },
};

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  init: RequestInit;
}

/** A fetch that records each request and answers from `reply`. */
function fakeFetch(reply: (req: Sent, n: number) => Response | Promise<Response>) {
  const sent: Sent[] = [];
  const fn = async (input: string | URL | Request, init: RequestInit = {}) => {
    const body = init.body ? new TextDecoder().decode(init.body as Uint8Array) : "";
    const req = {
      url: String(input),
      method: init.method ?? "GET",
      headers: init.headers as Record<string, string>,
      body,
      init,
    };
    sent.push(req);
    return reply(req, sent.length);
  };
  return { fetch: fn as typeof fetch, sent };
}

const xml = (body: string, status = 200) =>
  new Response(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`, {
    status,
    headers: { "content-type": "application/xml" },
  });

async function failure(call: Promise<unknown>): Promise<StorageError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StorageError);
  return err as StorageError;
}

describe("signing and addressing", () => {
  it("signs every request with an Authorization header; bodyless ones hash the empty payload", async () => {
    const f = fakeFetch(() => new Response(null, { status: 204 }));
    await createStorageClient(CONFIG, { fetch: f.fetch }).delete("a b/c.png");
    const [req] = f.sent;
    expect(req!.url).toBe("https://uploads.s3.example.com/a%20b/c.png");
    expect(req!.method).toBe("DELETE");
    expect(req!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKID\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(req!.headers["x-amz-content-sha256"]).toBe(EMPTY_SHA256);
    expect(req!.init.redirect).toBe("manual");
    expect(req!.init.signal).toBeInstanceOf(AbortSignal);
  });

  it("uses path style when forced, and hashes request bodies", async () => {
    const f = fakeFetch(() =>
      xml("<CompleteMultipartUploadResult><ETag>&quot;e-1&quot;</ETag></CompleteMultipartUploadResult>"),
    );
    const client = createStorageClient({ ...CONFIG, forcePathStyle: true }, { fetch: f.fetch });
    expect(
      await client.completeMultipart("k", "U", [{ partNumber: 1, etag: "x" }], { ifNoneMatch: true }),
    ).toEqual({
      etag: '"e-1"',
    });
    const [req] = f.sent;
    expect(req!.url).toBe("https://s3.example.com/uploads/k?uploadId=U");
    expect(req!.headers["x-amz-content-sha256"]).toBe(createHash("sha256").update(req!.body).digest("hex"));
    expect(req!.headers["if-none-match"]).toBe("*");
    expect(req!.headers.authorization).toContain("SignedHeaders=content-type;host;if-none-match;");
  });

  it("adds Content-MD5 where S3 requires a body checksum (PutBucketCors)", async () => {
    const f = fakeFetch(() => new Response(null, { status: 200 }));
    await putBucketCors(createS3Transport(CONFIG, { fetch: f.fetch }), [
      { allowedOrigins: ["*"], allowedMethods: ["PUT"] },
    ]);
    const [req] = f.sent;
    expect(req!.url).toBe("https://uploads.s3.example.com/?cors");
    expect(req!.headers["content-md5"]).toBe(createHash("md5").update(req!.body).digest("base64"));
    expect(req!.headers.authorization).toContain("content-md5;");
  });
});

describe("responses", () => {
  it("reads HEAD headers: checksums without x-amz-checksum-type, metadata without the prefix", async () => {
    const f = fakeFetch(
      () =>
        new Response(null, {
          headers: {
            "content-length": "68",
            "content-type": "image/png",
            etag: '"abc"',
            "last-modified": "Wed, 21 Oct 2026 07:28:00 GMT",
            "x-amz-meta-upgate-user": "u1",
            "x-amz-checksum-sha256": "c2hh",
            "x-amz-checksum-crc64nvme": "Y3Jj",
            "x-amz-checksum-type": "FULL_OBJECT",
            "content-encoding": "zstd",
            "cache-control": "public, max-age=31536000",
            "x-amz-website-redirect-location": "/elsewhere",
            "x-amz-request-id": "r1",
          },
        }),
    );
    const head = await createStorageClient(CONFIG, { fetch: f.fetch }).head("k");
    expect(head).toEqual({
      size: 68,
      contentType: "image/png",
      etag: '"abc"',
      lastModified: new Date("2026-10-21T07:28:00Z"),
      metadata: { "upgate-user": "u1" },
      checksums: { sha256: "c2hh", crc64nvme: "Y3Jj" },
      system: {
        "content-encoding": "zstd",
        "cache-control": "public, max-age=31536000",
        "x-amz-website-redirect-location": "/elsewhere",
      },
    });
    expect(f.sent[0]!.headers["x-amz-checksum-mode"]).toBe("ENABLED");
  });

  it("follows ListParts pages and refuses a marker that does not advance", async () => {
    const page = (from: number, truncated: boolean, next: number) =>
      xml(
        `<ListPartsResult><IsTruncated>${truncated}</IsTruncated><NextPartNumberMarker>${next}</NextPartNumberMarker>` +
          `<Part><PartNumber>${from}</PartNumber><ETag>"e${from}"</ETag><Size>5</Size></Part></ListPartsResult>`,
      );
    const f = fakeFetch((_, n) => (n === 1 ? page(1, true, 1) : page(2, false, 2)));
    const parts = await createStorageClient(CONFIG, { fetch: f.fetch }).listParts("k", "U");
    expect(parts).toEqual([
      { partNumber: 1, size: 5, etag: '"e1"' },
      { partNumber: 2, size: 5, etag: '"e2"' },
    ]);
    expect(new URL(f.sent[1]!.url).searchParams.get("part-number-marker")).toBe("1");

    const stuck = fakeFetch(() => page(1, true, 0));
    const err = await failure(createStorageClient(CONFIG, { fetch: stuck.fetch }).listParts("k", "U"));
    expect(err.code).toBe("MalformedResponse");
  });

  it("follows ListMultipartUploads markers", async () => {
    const f = fakeFetch((_, n) =>
      n === 1
        ? xml(
            "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated><NextKeyMarker>a</NextKeyMarker>" +
              "<NextUploadIdMarker>U1</NextUploadIdMarker><Upload><Key>a</Key><UploadId>U1</UploadId>" +
              "<Initiated>2026-01-01T00:00:00.000Z</Initiated></Upload></ListMultipartUploadsResult>",
          )
        : xml(
            "<ListMultipartUploadsResult><IsTruncated>false</IsTruncated><Upload><Key>b</Key><UploadId>U2</UploadId>" +
              "<Initiated>2026-01-02T00:00:00.000Z</Initiated></Upload></ListMultipartUploadsResult>",
          ),
    );
    const uploads = await createStorageClient(CONFIG, { fetch: f.fetch }).listMultipartUploads("");
    expect(uploads.map((u) => u.uploadId)).toEqual(["U1", "U2"]);
    const second = new URL(f.sent[1]!.url).searchParams;
    expect([second.get("key-marker"), second.get("upload-id-marker")]).toEqual(["a", "U1"]);
  });

  it("turns a 200 whose body is an <Error> into a StorageError (Complete may do this)", async () => {
    const f = fakeFetch(() =>
      xml("<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>"),
    );
    const err = await failure(
      createStorageClient(CONFIG, { fetch: f.fetch }).completeMultipart("k", "U", [
        { partNumber: 1, etag: "e" },
      ]),
    );
    expect([err.code, err.status]).toEqual(["InternalError", 200]);
    expect(err.message).toBe("We encountered an internal error. (CompleteMultipartUpload uploads/k)");
  });

  it("refuses malformed XML, a DOCTYPE, and the wrong document", async () => {
    const client = (body: string) => createStorageClient(CONFIG, { fetch: fakeFetch(() => xml(body)).fetch });
    for (const body of [
      "<InitiateMultipartUploadResult><UploadId>U</InitiateMultipartUploadResult>",
      '<!DOCTYPE x [<!ENTITY e "U">]><InitiateMultipartUploadResult><UploadId>&e;</UploadId></InitiateMultipartUploadResult>',
      "<ListBucketResult/>",
      "<InitiateMultipartUploadResult></InitiateMultipartUploadResult>",
    ]) {
      expect((await failure(client(body).createMultipart("k", {}))).code).toBe("MalformedResponse");
    }
  });

  it("maps errors without an S3 document by status", async () => {
    const f = fakeFetch(() => new Response("<html>Bad Gateway</html>", { status: 502 }));
    const err = await failure(createStorageClient(CONFIG, { fetch: f.fetch }).delete("k"));
    expect([err.code, err.status]).toEqual(["Http502", 502]);
    expect(err.message).toContain("storage answered 502: <html>Bad Gateway</html> (DeleteObject uploads/k)");
    const moved = fakeFetch(
      () => new Response(null, { status: 301, headers: { location: "https://elsewhere" } }),
    );
    expect((await failure(createStorageClient(CONFIG, { fetch: moved.fetch }).head("k"))).code).toBe(
      "PermanentRedirect",
    );
  });

  it("takes only the asked span when a server ignores Range", async () => {
    const f = fakeFetch(() => new Response("0123456789"));
    expect(
      new TextDecoder().decode(await createStorageClient(CONFIG, { fetch: f.fetch }).getRange("k", 2, 4)),
    ).toBe("234");
    expect(f.sent[0]!.headers.range).toBe("bytes=2-4");
  });

  it("reads the stored bytes undecoded, and only while the object has the given ETag", async () => {
    const f = fakeFetch(() => new Response("01234", { status: 206 }));
    const client = createStorageClient(CONFIG, { fetch: f.fetch });
    await client.getRange("k", 0, 4, { ifMatch: '"e1"' });
    await (await client.getStream("k")).cancel();
    expect(f.sent[0]!.url).toContain("response-content-encoding=identity");
    expect(f.sent[0]!.headers["if-match"]).toBe('"e1"');
    expect(f.sent[0]!.headers.authorization).toContain("if-match;");
    expect(f.sent[1]!.url).toContain("response-content-encoding=identity");
    expect(f.sent[1]!.headers["if-match"]).toBeUndefined();
  });

  it("copies with x-amz-copy-source-if-match and exactly the replacing headers, returning the ETag", async () => {
    const f = fakeFetch(() => xml('<CopyObjectResult><ETag>"new"</ETag></CopyObjectResult>'));
    const copied = await createStorageClient(CONFIG, { fetch: f.fetch }).copy("a", "b", {
      ifMatch: '"old"',
      replaceHeaders: { "content-type": "image/png", "x-amz-meta-upgate-user": "u1" },
    });
    expect(copied).toEqual({ etag: '"new"' });
    expect(f.sent[0]!.headers).toMatchObject({
      "x-amz-copy-source": "uploads/a",
      "x-amz-copy-source-if-match": '"old"',
      "x-amz-metadata-directive": "REPLACE",
      "content-type": "image/png",
      "x-amz-meta-upgate-user": "u1",
    });
  });
});

describe("timeouts", () => {
  /** A fetch that answers only when aborted, with the abort reason, as fetch does. */
  const hanging = (async (_: unknown, init: RequestInit = {}) =>
    new Promise<Response>((_, reject) => {
      init.signal!.addEventListener("abort", () => reject(init.signal!.reason));
    })) as typeof fetch;

  it("abort a request that does not answer in time", async () => {
    const client = createStorageClient(CONFIG, { fetch: hanging, timeoutMs: 50 });
    await expect(client.head("k")).rejects.toThrow(
      "storage did not answer HeadObject uploads/k within 50 ms",
    );
  });

  it("abort a stream that stalls between chunks, but not one that keeps flowing", async () => {
    const stalling = fakeFetch(
      (req) =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(c) {
              c.enqueue(new Uint8Array([1, 2, 3]));
              req.init.signal!.addEventListener("abort", () => c.error(req.init.signal!.reason));
            },
          }),
        ),
    );
    const stream = await createStorageClient(CONFIG, { fetch: stalling.fetch, timeoutMs: 50 }).getStream("k");
    await expect(new Response(stream).arrayBuffer()).rejects.toThrow(/GetObject uploads\/k within 50 ms/);

    const slow = fakeFetch(() => {
      let n = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(c) {
            await new Promise((r) => setTimeout(r, 30));
            if (++n > 4) c.close();
            else c.enqueue(new Uint8Array([n]));
          },
        }),
      );
    });
    // 150 ms in all, more than the 50 ms timeout, but never 50 ms without data.
    const flowing = await createStorageClient(CONFIG, { fetch: slow.fetch, timeoutMs: 50 }).getStream("k");
    expect(new Uint8Array(await new Response(flowing).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3, 4]));
  });
});
